import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instanceKeysEqual, parseServerVersion, type Instance } from '../topology/index.js';
import { analyze } from './analyze.js';
import {
  downtime,
  primary,
  replica,
  snapshot,
  withInstance,
  type SnapshotOptions,
} from './fixtures.js';
import type { ObservedInstance } from './input.js';
import { STRUCTURE_WARNINGS, type StructureWarning } from './spec.js';

interface Case {
  readonly name: string;
  readonly servers: readonly ObservedInstance[];
  readonly options?: SnapshotOptions;
}

const P = primary(23306);
const logging = (format: 'STATEMENT' | 'MIXED' | 'ROW'): Partial<Instance> => ({
  binlog: { ...P.instance.binlog, format },
});
const twoReplicas = (a: Partial<Instance>, b: Partial<Instance>) => [
  P,
  replica(23307, P, { over: a }),
  replica(23308, P, { over: b }),
];
const mysql = (mode: 'ON' | 'OFF'): Partial<Instance> => ({
  version: parseServerVersion('8.0.36'),
  gtid: { flavor: 'mysql', mode, executed: '', purged: '' },
});
const MYSQL_P = primary(23306, mysql('ON'));

function warningsOf(c: Case): readonly StructureWarning[] | undefined {
  const all = analyze(snapshot(c.servers, c.options), { includeNoProblem: true });
  return all.find((a) => instanceKeysEqual(a.key, P.instance.key))?.structureWarnings;
}

/** One case per warning; `satisfies` makes a warning without a case a compile error. */
const CASES = {
  NoLoggingReplicasStructureWarning: {
    name: 'replicas without log_slave_updates',
    servers: twoReplicas(
      { binlog: { ...P.instance.binlog, logReplicaUpdates: false } },
      { binlog: { ...P.instance.binlog, logBin: false } },
    ),
  },
  NoFailoverSupportStructureWarning: {
    name: 'replicas on binlog file:pos',
    servers: [
      P,
      replica(23307, P, { link: { gtidUse: 'no' } }),
      replica(23308, P, { link: { gtidUse: 'no' } }),
    ],
  },
  StatementAndMixedLoggingReplicasStructureWarning: {
    name: 'logging replicas on STATEMENT and MIXED',
    servers: twoReplicas(logging('STATEMENT'), logging('MIXED')),
  },
  StatementAndRowLoggingReplicasStructureWarning: {
    name: 'logging replicas on STATEMENT and ROW',
    servers: twoReplicas(logging('STATEMENT'), logging('ROW')),
  },
  MixedAndRowLoggingReplicasStructureWarning: {
    name: 'logging replicas on MIXED and ROW',
    servers: twoReplicas(logging('MIXED'), logging('ROW')),
  },
  MultipleMajorVersionsLoggingReplicasStructureWarning: {
    name: 'logging replicas on 10.6 and 10.11',
    servers: twoReplicas({ version: parseServerVersion('10.6.18-MariaDB') }, {}),
  },
  DifferentGTIDModesStructureWarning: {
    name: 'a MySQL replica with gtid_mode OFF under a primary with ON',
    servers: [MYSQL_P, replica(23307, MYSQL_P, { over: mysql('OFF') })],
  },
  ErrantGTIDStructureWarning: {
    name: 'a replica with errant GTIDs',
    servers: [P, replica(23307, P, { over: { gtidErrant: '0-23307-5' } })],
  },
  NoWriteableMasterStructureWarning: {
    name: 'a read-only primary',
    servers: [withInstance(P, { readOnly: true }), replica(23307, P)],
  },
  NotEnoughValidSemiSyncReplicasStructureWarning: {
    name: 'semi-sync fallen back to async for lack of clients',
    servers: [
      withInstance(P, {
        semiSync: {
          sourceEnabled: true,
          sourceActive: false,
          sourceClients: 0,
          sourceWaitForReplicaCount: 1,
          sourceTimeoutMs: 10_000,
          replicaEnabled: false,
          replicaActive: false,
          enforced: false,
        },
      }),
      replica(23307, P),
    ],
  },
} satisfies Record<StructureWarning, Case>;

for (const warning of STRUCTURE_WARNINGS) {
  const c: Case = CASES[warning];
  void test(`analysis: primary with ${c.name} warns ${warning}`, () => {
    assert.deepEqual(warningsOf(c), [warning]);
  });
}

void test('analysis: a healthy MariaDB GTID topology has no structure warning', () => {
  const servers = [P, replica(23307, P), replica(23308, P)];
  assert.deepEqual(warningsOf({ name: 'healthy', servers }), []);
});

void test('analysis: errant GTIDs of a downtimed replica do not warn', () => {
  const r = replica(23307, P, { over: { gtidErrant: '0-23307-5' } });
  const c = { name: 'downtimed', servers: [P, r], options: { downtimes: [downtime(r)] } };
  assert.deepEqual(warningsOf(c), []);
});

void test('analysis: warnings are listed in orchestrator order after the main code', () => {
  const servers = [
    withInstance(P, { readOnly: true }),
    replica(23307, P, { link: { gtidUse: 'no' }, over: logging('STATEMENT') }),
    replica(23308, P, { link: { gtidUse: 'no' }, over: logging('ROW') }),
  ];
  assert.deepEqual(warningsOf({ name: 'many', servers }), [
    'NoFailoverSupportStructureWarning',
    'StatementAndRowLoggingReplicasStructureWarning',
    'NoWriteableMasterStructureWarning',
  ]);
});
