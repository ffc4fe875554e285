import { after, before, test } from 'node:test';
import {
  clustersInfo,
  commandHarness,
  db1,
  db2,
  db3,
  envelope,
  withInstance as i,
  type CommandCase,
} from './testing.js';

const harness = commandHarness();
before(harness.start);
after(harness.stop);

const ascii = 'db1:3306   [0s,ok,10.11.6,rw,ROW,>>]\n+ db2:3306 [0s,ok,10.11.6,ro,ROW,>>]';

/** Read-only commands: the path each calls and what it prints for a recorded answer. */
const cases: CommandCase[] = [
  {
    command: 'clusters',
    path: 'clusters-info',
    reply: { json: clustersInfo },
    stdout: 'db1:3306\ndb7:3306\n',
  },
  {
    command: 'clusters-alias',
    path: 'clusters-info',
    reply: { json: clustersInfo },
    stdout: 'db1:3306,main\ndb7:3306,\n',
  },
  {
    command: 'all-clusters-masters',
    path: 'masters',
    reply: { json: [db1] },
    stdout: 'db1:3306\n',
  },
  {
    command: 'all-instances',
    path: 'all-instances',
    reply: { json: [db1, db2, db3] },
    stdout: 'db1:3306\ndb2:3306\ndb3:3306\n',
  },
  {
    command: 'topology',
    flags: i('db2:3306'),
    path: 'topology/db2:3306',
    reply: envelope(`${ascii}\n`),
    stdout: `${ascii}\n`,
  },
  {
    command: 'topology-tabulated',
    flags: { alias: 'main' },
    path: 'topology-tabulated/main',
    reply: envelope('db1:3306|0s|ok'),
    stdout: 'db1:3306|0s|ok\n',
  },
  {
    command: 'topology-tags',
    flags: { alias: 'main', instance: 'ignored:1' },
    path: 'topology-tags/main',
    reply: envelope('db1:3306 [role=primary]'),
    stdout: 'db1:3306 [role=primary]\n',
  },
  {
    command: 'which-instance',
    flags: i('db2'),
    path: 'instance/db2/3306',
    reply: { json: db2 },
    stdout: 'db2:3306\n',
  },
  {
    command: 'instance',
    flags: i('db2'),
    path: 'instance/db2/3306',
    reply: { json: db2 },
    stdout: 'db2:3306\n',
  },
  {
    command: 'which-master',
    flags: i('db2:3306'),
    path: 'instance/db2/3306',
    reply: { json: db2 },
    stdout: 'db1:3306\n',
  },
  {
    command: 'which-master',
    flags: i('db1'),
    path: 'instance/db1/3306',
    reply: { json: db1 },
    stdout: '',
  },
  {
    command: 'which-replicas',
    flags: i('db1', { defaultPort: '3307' }),
    path: 'instance-replicas/db1/3307',
    reply: { json: [db2, db3] },
    stdout: 'db2:3306\ndb3:3306\n',
  },
  {
    command: 'which-slaves',
    flags: i('db1:3306'),
    path: 'instance-replicas/db1/3306',
    reply: { json: [db2] },
    stdout: 'db2:3306\n',
  },
  {
    command: 'which-broken-replicas',
    flags: i('db1'),
    path: 'instance-replicas/db1/3306',
    reply: { json: [db2, db3] },
    stdout: 'db3:3306\n',
  },
  {
    command: 'which-cluster',
    flags: i('db2:3306'),
    path: 'cluster-info/db2:3306',
    reply: { json: clustersInfo[0] },
    stdout: 'db1:3306\n',
  },
  {
    command: 'which-cluster-alias',
    flags: i('db2:3306'),
    path: 'cluster-info/db2:3306',
    reply: { json: clustersInfo[0] },
    stdout: 'main\n',
  },
  {
    command: 'which-cluster-master',
    flags: { alias: 'main' },
    path: 'master/main',
    reply: { json: db1 },
    stdout: 'db1:3306\n',
  },
  {
    command: 'which-cluster-instances',
    flags: { alias: 'main' },
    path: 'cluster/main',
    reply: { json: [db1, db2] },
    stdout: 'db1:3306\ndb2:3306\n',
  },
  {
    command: 'instance-status',
    flags: i('db1'),
    path: 'instance/db1/3306',
    reply: { json: { ...db1, IsLastCheckValid: true, IsRecentlyChecked: true, Version: '8.0.36' } },
    stdout: '[0s,ok,8.0.36,rw,nobinlog]\n',
  },
  {
    command: 'search',
    flags: i('db 2'),
    path: 'search?s=db%202',
    reply: { json: [db2] },
    stdout: 'db2:3306\n',
  },
];

void test('client commands: information commands call their path and print like orchestrator-client', async () => {
  await harness.check(cases);
});

void test('client commands: --json prints the API answer unchanged', async () => {
  await harness.checkJson(cases);
});
