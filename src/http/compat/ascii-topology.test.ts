import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NOW, primary, replica } from '../../analysis/fixtures.js';
import { parseServerVersion, type Instance, type SemiSyncState } from '../../topology/index.js';
import { fixtureFleet } from '../routes/inventory-testing.js';
import type { InstanceView } from '../routes/inventory-view.js';
import { asciiTopology, lagText, statusText, tabulate } from './ascii-topology.js';
import { toCompatInstance } from './instance-json.js';
import type { CompatInstance } from './orchestrator-types.js';

const LAG = { reasonableMaintenanceLagSeconds: 20 };

function json(instance: Instance, over: Partial<InstanceView> = {}): CompatInstance {
  const view: InstanceView = {
    instance,
    downtime: undefined,
    promotionRule: 'neutral',
    isCandidate: false,
    problems: [],
    isCoPrimary: false,
    ...over,
  };
  return toCompatInstance(view, { now: NOW, instancePollSeconds: 5 });
}

/** Primary 23306; r1 (alias) with a stopped chained replica; a lagging and a dead replica. */
function chainCluster(): CompatInstance[] {
  const f = fixtureFleet();
  return [f.primary, f.r1, f.lagging, f.chained, f.dead].map((i) => json(i));
}

/** MySQL 8.0 with semi-sync, an errant downtimed replica and a delayed one without binlog. */
function markersCluster(): CompatInstance[] {
  const mysql = parseServerVersion('8.0.36-log', 'MySQL Community Server - GPL');
  const gtid = { flavor: 'mysql', mode: 'ON', executed: 'u:1-10', purged: '' } as const;
  const semi: SemiSyncState = {
    sourceEnabled: true,
    sourceActive: true,
    sourceClients: 1,
    sourceWaitForReplicaCount: 1,
    sourceTimeoutMs: 1000,
    replicaEnabled: false,
    replicaActive: false,
    enforced: false,
  };
  const semiReplica = { ...semi, sourceEnabled: false, sourceActive: false };
  const p = primary(3306, { version: mysql, gtid, semiSync: semi });
  const auto = { gtidUse: 'auto_position' } as const;
  const r1 = replica(3307, p, {
    link: auto,
    over: { version: mysql, gtid, semiSync: { ...semiReplica, replicaActive: true } },
  });
  const r2 = replica(3308, p, { link: auto, over: { version: mysql, gtid, gtidErrant: 'x:1-2' } });
  const r3 = replica(3309, p, {
    link: { gtidUse: 'no', secondsBehindSource: 3605, sqlDelaySeconds: 3600 },
    over: {
      version: mysql,
      gtid: undefined,
      replicationLagSeconds: 3605,
      binlog: { ...p.instance.binlog, logBin: false, logReplicaUpdates: false },
    },
  });
  const downtime = {
    key: r2.instance.key,
    owner: 'dba',
    reason: 'fix',
    beginsAt: NOW - 1000,
    endsAt: NOW + 1000,
  };
  return [json(p.instance), json(r1.instance), json(r2.instance, { downtime }), json(r3.instance)];
}

const cases: { name: string; instances: () => CompatInstance[]; options: object; want: string }[] =
  [
    {
      name: 'chained, lagging, stopped and dead replicas, with an alias',
      instances: chainCluster,
      options: {},
      want: [
        '127.0.0.1:23306        [0s,ok,10.11.6-MariaDB-0+deb12u1,rw,ROW,>>]',
        '+ 127.0.0.1:23307 (r1) [0s,ok,10.11.6-MariaDB-0+deb12u1,ro,ROW,>>,GTID]',
        '  - 127.0.0.1:23309    [null,nonreplicating,10.11.6-MariaDB-0+deb12u1,ro,ROW,>>,GTID]',
        '+ 127.0.0.1:23308      [60s,lag,10.11.6-MariaDB-0+deb12u1,ro,ROW,>>,GTID]',
        '- 127.0.0.1:23310      [unknown,invalid,10.11.6-MariaDB-0+deb12u1,ro,ROW,>>,GTID]',
      ].join('\n'),
    },
    {
      name: 'tabulated: columns padded, lag right-aligned',
      instances: chainCluster,
      options: { tabulated: true },
      want: [
        '127.0.0.1:23306       |     0s|ok            |10.11.6-MariaDB-0+deb12u1|rw|ROW|>>     ',
        '+ 127.0.0.1:23307 (r1)|     0s|ok            |10.11.6-MariaDB-0+deb12u1|ro|ROW|>>,GTID',
        '  - 127.0.0.1:23309   |   null|nonreplicating|10.11.6-MariaDB-0+deb12u1|ro|ROW|>>,GTID',
        '+ 127.0.0.1:23308     |    60s|lag           |10.11.6-MariaDB-0+deb12u1|ro|ROW|>>,GTID',
        '- 127.0.0.1:23310     |unknown|invalid       |10.11.6-MariaDB-0+deb12u1|ro|ROW|>>,GTID',
      ].join('\n'),
    },
    {
      name: 'tags: [name=value,name] after each line, [] when untagged',
      instances: () => chainCluster().slice(0, 2),
      options: { tags: new Map([['127.0.0.1:23307', ['dc=east', 'backup']]]) },
      want: [
        '127.0.0.1:23306        [0s,ok,10.11.6-MariaDB-0+deb12u1,rw,ROW,>>] []',
        '+ 127.0.0.1:23307 (r1) [0s,ok,10.11.6-MariaDB-0+deb12u1,ro,ROW,>>,GTID] [dc=east,backup]',
      ].join('\n'),
    },
    {
      name: 'co-primaries each at the first level, the other one not repeated below',
      instances: () => {
        const f = fixtureFleet();
        return [
          json(f.coA, { isCoPrimary: true }),
          json(f.coB, { isCoPrimary: true }),
          json(f.coReplica),
        ];
      },
      options: {},
      want: [
        '+ 127.0.0.1:23406   [0s,ok,10.11.6-MariaDB-0+deb12u1,rw,ROW,>>,GTID]',
        '  + 127.0.0.1:23408 [0s,ok,10.11.6-MariaDB-0+deb12u1,ro,ROW,>>,GTID]',
        '+ 127.0.0.1:23407   [0s,ok,10.11.6-MariaDB-0+deb12u1,rw,ROW,>>,GTID]',
      ].join('\n'),
    },
    {
      name: 'GTID, errant, semi-sync, downtimed, no binlog and a delayed replica',
      instances: markersCluster,
      options: {},
      want: [
        '127.0.0.1:3306   [0s,ok,8.0.36-log,rw,ROW,>>,GTID,semi:master]',
        '+ 127.0.0.1:3307 [0s,ok,8.0.36-log,ro,ROW,>>,GTID,semi:replica]',
        '+ 127.0.0.1:3308 [0s,ok,8.0.36-log,ro,ROW,>>,GTID:errant,downtimed]',
        '+ 127.0.0.1:3309 [3605s,ok,8.0.36-log,ro,nobinlog]',
      ].join('\n'),
    },
    { name: 'no instances: empty text', instances: () => [], options: {}, want: '' },
  ];

for (const c of cases) {
  void test(`ascii topology: ${c.name}`, () => {
    assert.equal(asciiTopology(c.instances(), { ...LAG, ...c.options }), c.want);
  });
}

void test('ascii topology: status and lag words follow orchestrator', () => {
  const p = primary(23306);
  const rows: { name: string; instance: CompatInstance; status: string; lag: string }[] = [
    { name: 'primary', instance: json(p.instance), status: 'ok', lag: '0s' },
    {
      name: 'lag above the maintenance threshold',
      instance: json(replica(23307, p, { link: { secondsBehindSource: 21 } }).instance),
      status: 'lag',
      lag: '21s',
    },
    {
      name: 'SQL_Delay within threshold of its delay',
      instance: json(
        replica(23308, p, { link: { secondsBehindSource: 610, sqlDelaySeconds: 600 } }).instance,
      ),
      status: 'ok',
      lag: '610s',
    },
    {
      name: 'replicating but no Seconds_Behind_Master',
      instance: json(replica(23309, p, { link: { secondsBehindSource: undefined } }).instance),
      status: 'ok',
      lag: 'null',
    },
  ];
  for (const r of rows) {
    assert.equal(statusText(r.instance, 20), r.status, r.name);
    assert.equal(lagText(r.instance), r.lag, r.name);
  }
});

void test('ascii topology: tabulate pads short rows and right-aligns the second column', () => {
  assert.deepEqual(tabulate(['a|1|x', 'bbb|22']), ['a  | 1|x', 'bbb|22| ']);
});
