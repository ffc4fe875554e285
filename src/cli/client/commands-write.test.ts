import { after, before, test } from 'node:test';
import {
  commandHarness,
  db2,
  db3,
  envelope,
  instance,
  key,
  withInstance as i,
  type CommandCase,
} from './testing.js';

const harness = commandHarness();
before(harness.start);
after(harness.stop);

/** Commands that change things, and meta commands: path called, output for a recorded answer. */
const cases: CommandCase[] = [
  {
    command: 'discover',
    flags: i('db4:3307'),
    path: 'discover/db4/3307',
    reply: envelope(instance('db4', 'db1')),
    stdout: 'db4:3306\n',
  },
  {
    command: 'async-discover',
    flags: i('db4:3307'),
    path: 'async-discover/db4/3307',
    reply: envelope(null),
    stdout: 'db4:3307\n',
  },
  {
    command: 'refresh',
    flags: i('db4'),
    path: 'refresh/db4/3306',
    reply: envelope(key('db4')),
    stdout: 'db4:3306\n',
  },
  {
    command: 'forget',
    flags: i('db4'),
    path: 'forget/db4/3306',
    reply: envelope(null),
    stdout: 'db4:3306\n',
  },
  {
    command: 'forget-cluster',
    flags: { alias: 'old' },
    path: 'forget-cluster/old',
    reply: envelope(null),
    stdout: 'old\n',
  },
  {
    command: 'begin-downtime',
    flags: i('db2', { reason: 'disk swap / reboot', owner: 'ops' }),
    path: 'begin-downtime/db2/3306/ops/disk%20swap%20%2F%20reboot/10m',
    reply: envelope(key('db2')),
    stdout: 'db2:3306\n',
  },
  {
    command: 'begin-downtime',
    flags: i('db2', { reason: 'r', duration: '2h' }),
    path: 'begin-downtime/db2/3306/tester/r/2h',
    reply: envelope(key('db2')),
    stdout: 'db2:3306\n',
  },
  {
    command: 'end-downtime',
    flags: i('db2'),
    path: 'end-downtime/db2/3306',
    reply: envelope(key('db2')),
    stdout: 'db2:3306\n',
  },
  {
    command: 'downtimed',
    path: 'downtimed',
    reply: { json: [db2] },
    stdout: 'db2:3306\n',
  },
  {
    command: 'downtimed',
    flags: { alias: 'main' },
    path: 'downtimed/main',
    reply: { json: [] },
    stdout: '',
  },
  {
    command: 'begin-maintenance',
    flags: i('db2', { reason: 'upgrade' }),
    path: 'begin-maintenance/db2/3306/tester/upgrade',
    reply: envelope(key('db2')),
    stdout: 'db2:3306\n',
  },
  {
    command: 'end-maintenance',
    flags: i('db2'),
    path: 'end-maintenance/db2/3306',
    reply: envelope(key('db2')),
    stdout: 'db2:3306\n',
  },
  {
    command: 'in-maintenance',
    flags: i('db2'),
    path: 'in-maintenance/db2/3306',
    reply: envelope('db2:3306', 'true'),
    stdout: 'db2:3306\n',
  },
  {
    command: 'in-maintenance',
    flags: i('db3'),
    path: 'in-maintenance/db3/3306',
    reply: envelope('', 'false'),
    stdout: '',
  },
  {
    command: 'register-candidate',
    flags: i('db2'),
    path: 'register-candidate/db2/3306/prefer',
    reply: envelope(key('db2')),
    stdout: 'db2:3306\n',
  },
  {
    command: 'register-candidate',
    flags: i('db2', { promotionRule: 'Prefer-Not' }),
    path: 'register-candidate/db2/3306/prefer_not',
    reply: envelope(key('db2')),
    stdout: 'db2:3306\n',
  },
  {
    command: 'tag',
    flags: i('db2', { tag: 'role=backup' }),
    path: 'tag/db2/3306?tag=role%3Dbackup',
    reply: envelope(key('db2')),
    stdout: 'db2:3306\n',
  },
  {
    command: 'untag',
    flags: i('db2', { tag: 'role' }),
    path: 'untag/db2/3306?tag=role',
    reply: envelope([key('db2')]),
    stdout: 'db2:3306\n',
  },
  {
    command: 'untag-all',
    flags: { tag: 'role=backup' },
    path: 'untag-all?tag=role%3Dbackup',
    reply: envelope([key('db2'), key('db3')]),
    stdout: 'db2:3306\ndb3:3306\n',
  },
  {
    command: 'tags',
    flags: i('db2'),
    path: 'tags/db2/3306',
    reply: { json: ['dc=east', 'role=backup'] },
    stdout: 'dc=east\nrole=backup\n',
  },
  {
    command: 'tag-value',
    flags: i('db2', { tag: 'role' }),
    path: 'tag-value/db2/3306?tag=role',
    reply: { json: 'backup' },
    stdout: 'backup\n',
  },
  {
    command: 'tagged',
    flags: { tag: '!role,dc=east' },
    path: 'tagged?tag=!role%2Cdc%3Deast',
    reply: { json: [key('db2')] },
    stdout: 'db2:3306\n',
  },
  {
    command: 'set-cluster-alias',
    flags: i('db1:3306', { alias: 'main' }),
    path: 'set-cluster-alias/db1:3306?alias=main',
    reply: envelope(null, "Cluster db1:3306 now has alias 'main'"),
    stdout: 'db1:3306\n',
  },
  {
    command: 'problems',
    path: 'problems',
    reply: { json: [{ ...db3, Problems: ['not_replicating', 'errant_gtid'] }, db2] },
    stdout: 'db3:3306\tnot_replicating,errant_gtid\ndb2:3306\n',
  },
  {
    command: 'relocate',
    flags: i('db3', { destination: 'db2' }),
    path: 'relocate/db3/3306/db2/3306',
    reply: envelope(instance('db3', 'db2')),
    stdout: 'db3:3306<db2:3306\n',
  },
  {
    command: 'move-gtid',
    flags: i('db3', { sibling: 'db2:3307' }),
    path: 'move-below-gtid/db3/3306/db2/3307',
    reply: envelope(instance('db3', 'db2')),
    stdout: 'db3:3306<db2:3306\n',
  },
  {
    command: 'stop-slave',
    flags: i('db2'),
    path: 'stop-replica/db2/3306',
    reply: envelope(db2),
    stdout: 'db2:3306\n',
  },
  {
    command: 'graceful-master-takeover',
    flags: { alias: 'main', destination: 'db2' },
    path: 'graceful-master-takeover/main/db2/3306',
    reply: envelope({ SuccessorKey: key('db2') }),
    stdout: 'db2:3306\n',
  },
  {
    command: 'replication-analysis',
    path: 'replication-analysis',
    reply: envelope([
      {
        AnalyzedInstanceKey: key('db1'),
        ClusterDetails: { ClusterName: 'db1:3306' },
        Analysis: 'DeadMaster',
      },
      {
        AnalyzedInstanceKey: key('db7'),
        ClusterDetails: { ClusterName: 'db7:3306' },
        Analysis: 'NoProblem',
        StructureAnalysis: ['NoWriteableMasterStructureWarning'],
      },
      {
        AnalyzedInstanceKey: key('db8'),
        ClusterDetails: { ClusterName: 'db8:3306' },
        Analysis: 'NoProblem',
      },
    ]),
    stdout:
      'db1:3306 (cluster db1:3306): DeadMaster\n' +
      'db7:3306 (cluster db7:3306): NoWriteableMasterStructureWarning\n',
  },
  {
    command: 'raft-leader',
    path: 'raft-leader',
    reply: { json: '10.0.0.1:10008' },
    stdout: '10.0.0.1:10008\n',
  },
  { command: 'raft-health', path: 'raft-health', reply: { json: 'healthy' }, stdout: 'healthy\n' },
  {
    command: 'api',
    flags: { path: '/clusters' },
    path: 'clusters',
    reply: { json: ['db1:3306'] },
    stdout: '[\n  "db1:3306"\n]\n',
  },
];

void test('client commands: mutations print the affected instance, as orchestrator-client does', async () => {
  await harness.check(cases);
});

void test('client commands: --json of a mutation prints the API envelope unchanged', async () => {
  await harness.checkJson(cases);
});
