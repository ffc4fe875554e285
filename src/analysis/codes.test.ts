import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instanceKeysEqual, type SemiSyncState } from '../topology/index.js';
import { analyze } from './analyze.js';
import { ANALYSIS, CODES_BY_PRIORITY } from './codes.js';
import {
  down,
  link,
  NOW,
  primary,
  replica,
  snapshot,
  withInstance,
  type SnapshotOptions,
} from './fixtures.js';
import type { ObservedInstance } from './input.js';
import { ANALYSIS_CODES, type AnalysisCode } from './spec.js';

interface Case {
  readonly name: string;
  readonly servers: readonly ObservedInstance[];
  /** The row whose code is checked. */
  readonly row: ObservedInstance;
  readonly options?: SnapshotOptions;
}

/** The code `analyze` gives the row, with nothing filtered out. */
function codeOf(c: Case): AnalysisCode | undefined {
  const all = analyze(snapshot(c.servers, c.options), {
    includeNoProblem: true,
    includeDowntimed: true,
  });
  return all.find((a) => instanceKeysEqual(a.key, c.row.instance.key))?.code;
}

const semiSync = (over: Partial<SemiSyncState>): SemiSyncState => ({
  sourceEnabled: true,
  sourceActive: true,
  sourceClients: 0,
  sourceWaitForReplicaCount: 1,
  sourceTimeoutMs: 10_000,
  replicaEnabled: false,
  replicaActive: false,
  enforced: false,
  ...over,
});

// A primary P with room for replicas at 23307…; an intermediate primary IM under P.
const P = primary(23306);
const failing = { link: link.failingToConnect };
const stopped = { link: link.stoppedByHand };
const lagging = { over: { replicationLagSeconds: 60 } };
const IM = replica(23307, P);

// Co-primaries A (23306) and B (23307) replicating from each other; R replicates from A.
const B = replica(23307, P);
const A = replica(23306, B);
const coWith = (a: ObservedInstance, b: ObservedInstance, r?: ObservedInstance) =>
  r === undefined ? [a, b] : [a, b, r];

const lockedPrimary = withInstance(P, { semiSync: semiSync({ sourceClients: 0 }) });
const stuckSince = (seconds: number) => ({
  binlogPositionRecords: [
    {
      key: P.instance.key,
      coordinates: { file: 'mysqld-bin.000002', pos: 1234 },
      firstSeenAt: NOW - seconds * 1000,
    },
  ],
});
const member = {
  ...primary(23306),
  group: { groupName: 'g1', memberState: 'ONLINE', memberRole: 'SECONDARY' },
};

/** One case per code; `satisfies` makes a code without a case a compile error. */
const CASES = {
  PrimaryTooManyConnections: {
    name: 'primary refusing with too many connections while replicas fail to connect',
    servers: [
      down(P, 'too-many-connections'),
      replica(23307, P, failing),
      replica(23308, P, failing),
    ],
    row: P,
  },
  PrimaryAccessDenied: {
    name: 'primary denying orc access while its replica replicates',
    servers: [down(P, 'access-denied'), replica(23307, P)],
    row: P,
  },
  PrimaryHostBlocked: {
    name: 'primary blocking orc host, no replicas',
    servers: [down(P, 'host-blocked')],
    row: P,
  },
  DeadMasterWithoutReplicas: {
    name: 'unreachable primary without replicas',
    servers: [down(P)],
    row: P,
  },
  DeadMaster: {
    name: 'dead primary with all replicas failing to connect',
    servers: [down(P), replica(23307, P, failing), replica(23308, P, failing)],
    row: P,
  },
  DeadMasterAndReplicas: {
    name: 'unreachable primary and unreachable replicas',
    servers: [down(P), down(replica(23307, P)), down(replica(23308, P))],
    row: P,
  },
  DeadMasterAndSomeReplicas: {
    name: 'dead primary, one replica failing to connect, one unreachable',
    servers: [down(P), replica(23307, P, failing), down(replica(23308, P))],
    row: P,
  },
  UnreachableMasterWithLaggingReplicas: {
    name: 'unreachable primary whose replicas all replicate with lag',
    servers: [down(P), replica(23307, P, lagging), replica(23308, P, lagging)],
    row: P,
  },
  UnreachableMaster: {
    name: 'unreachable primary with a replicating replica',
    servers: [down(P), replica(23307, P), replica(23308, P, failing)],
    row: P,
  },
  UnreachablePrimaryWithStoppedReplicas: {
    name: 'unreachable primary whose only replica was stopped by hand',
    servers: [down(P), replica(23307, P, stopped)],
    row: P,
  },
  LockedSemiSyncMasterHypothesis: {
    name: 'semi-sync primary waiting without clients, position not yet stale',
    servers: [lockedPrimary, replica(23307, lockedPrimary)],
    row: P,
  },
  LockedSemiSyncMaster: {
    name: 'semi-sync primary waiting without clients, position stuck 60 s',
    servers: [lockedPrimary, replica(23307, lockedPrimary)],
    row: P,
    options: stuckSince(60),
  },
  MasterWithTooManySemiSyncReplicas: {
    name: 'semi-sync primary with two clients for a wait count of one',
    servers: [withInstance(P, { semiSync: semiSync({ sourceClients: 2 }) }), replica(23307, P)],
    row: P,
    options: { settings: { enforceExactSemiSyncReplicas: true } },
  },
  NoWriteableMasterStructureWarning: {
    name: 'read-only primary with replicating replicas when RecoverNonWriteableMaster is set',
    servers: [withInstance(P, { readOnly: true }), replica(23307, P)],
    row: P,
    options: { settings: { recoverNonWriteablePrimary: true } },
  },
  MasterSingleReplicaNotReplicating: {
    name: 'primary whose single replica is stopped',
    servers: [P, replica(23307, P, stopped)],
    row: P,
  },
  MasterSingleReplicaDead: {
    name: 'primary whose single replica is unreachable',
    servers: [P, down(replica(23307, P))],
    row: P,
  },
  AllMasterReplicasNotReplicating: {
    name: 'primary whose replicas are all stopped',
    servers: [P, replica(23307, P, stopped), replica(23308, P, failing)],
    row: P,
  },
  AllMasterReplicasNotReplicatingOrDead: {
    name: 'primary whose replicas are stopped or unreachable',
    servers: [P, replica(23307, P, stopped), down(replica(23308, P))],
    row: P,
  },
  CoPrimaryTooManyConnections: {
    name: 'co-primary refusing with too many connections',
    servers: coWith(down(A, 'too-many-connections'), replica(23307, P, failing)),
    row: A,
  },
  CoPrimaryAccessDenied: {
    name: 'co-primary denying access',
    servers: coWith(down(A, 'access-denied'), B),
    row: A,
  },
  CoPrimaryHostBlocked: {
    name: 'co-primary blocking orc host',
    servers: coWith(down(A, 'host-blocked'), B),
    row: A,
  },
  DeadCoMaster: {
    name: 'dead co-primary with its replicas failing to connect',
    servers: coWith(down(A), replica(23307, P, failing), replica(23308, A, failing)),
    row: A,
  },
  DeadCoMasterAndSomeReplicas: {
    name: 'dead co-primary, other co-primary failing to connect, a replica unreachable',
    servers: coWith(down(A), replica(23307, P, failing), down(replica(23308, A))),
    row: A,
  },
  UnreachableCoMaster: {
    name: 'unreachable co-primary whose peer still replicates from it',
    servers: coWith(down(A), B),
    row: A,
  },
  UnreachableCoPrimaryWithStoppedReplicas: {
    name: 'unreachable co-primary whose peer was stopped by hand',
    servers: coWith(down(A), replica(23307, P, stopped)),
    row: A,
  },
  AllCoMasterReplicasNotReplicating: {
    name: 'reachable co-primary whose peer is stopped',
    servers: coWith(A, replica(23307, P, stopped)),
    row: A,
  },
  IntermediatePrimaryTooManyConnections: {
    name: 'intermediate primary refusing with too many connections',
    servers: [P, down(IM, 'too-many-connections'), replica(23308, IM, failing)],
    row: IM,
  },
  IntermediatePrimaryAccessDenied: {
    name: 'intermediate primary denying access',
    servers: [P, down(IM, 'access-denied'), replica(23308, IM)],
    row: IM,
  },
  IntermediatePrimaryHostBlocked: {
    name: 'intermediate primary blocking orc host',
    servers: [P, down(IM, 'host-blocked'), replica(23308, IM)],
    row: IM,
  },
  DeadIntermediateMasterWithSingleReplicaFailingToConnect: {
    name: 'dead intermediate primary whose single replica fails to connect',
    servers: [P, down(IM), replica(23308, IM, failing)],
    row: IM,
  },
  DeadIntermediateMasterWithSingleReplica: {
    name: 'unreachable intermediate primary whose single replica is stopped',
    servers: [P, down(IM), replica(23308, IM, stopped)],
    row: IM,
  },
  DeadIntermediateMaster: {
    name: 'dead intermediate primary with its replicas failing to connect',
    servers: [P, down(IM), replica(23308, IM, failing), replica(23309, IM, failing)],
    row: IM,
  },
  DeadIntermediateMasterAndSomeReplicas: {
    name: 'dead intermediate primary, a replica failing to connect, one unreachable',
    servers: [P, down(IM), replica(23308, IM, failing), down(replica(23309, IM))],
    row: IM,
  },
  DeadIntermediateMasterAndReplicas: {
    name: 'unreachable intermediate primary and unreachable replicas',
    servers: [P, down(IM), down(replica(23308, IM)), down(replica(23309, IM))],
    row: IM,
  },
  UnreachableIntermediateMasterWithLaggingReplicas: {
    name: 'unreachable intermediate primary whose replicas replicate with lag',
    servers: [P, down(IM), replica(23308, IM, lagging), replica(23309, IM, lagging)],
    row: IM,
  },
  UnreachableIntermediateMaster: {
    name: 'unreachable intermediate primary with a replicating replica',
    servers: [P, down(IM), replica(23308, IM), replica(23309, IM, failing)],
    row: IM,
  },
  UnreachableIntermediatePrimaryWithStoppedReplicas: {
    name: 'unreachable intermediate primary whose replicas were stopped by hand',
    servers: [P, down(IM), replica(23308, IM, stopped), replica(23309, IM, stopped)],
    row: IM,
  },
  AllIntermediateMasterReplicasFailingToConnectOrDead: {
    name: 'reachable intermediate primary, replicas failing to connect or unreachable',
    servers: [P, IM, replica(23308, IM, failing), down(replica(23309, IM))],
    row: IM,
  },
  AllIntermediateMasterReplicasNotReplicating: {
    name: 'reachable intermediate primary whose replica is stopped',
    servers: [P, IM, replica(23308, IM, stopped)],
    row: IM,
  },
  BinlogServerFailingToConnectToMaster: {
    name: 'binlog server failing to connect to its primary',
    servers: [P, { ...replica(23307, P, failing), binlogServer: true }],
    row: IM,
  },
  FirstTierReplicaFailingToConnectToMaster: {
    name: 'reachable primary, first-tier replica failing to connect to it',
    servers: [P, replica(23307, P, failing), replica(23308, P)],
    row: IM,
  },
  DeadReplicationGroupMemberWithReplicas: {
    name: 'unreachable group member whose async replica fails to connect',
    servers: [down(member), replica(23307, member, failing)],
    row: member,
  },
  NoProblem: {
    name: 'healthy primary with a replicating replica',
    servers: [P, replica(23307, P)],
    row: P,
  },
} satisfies Record<AnalysisCode, Case>;

for (const code of ANALYSIS_CODES) {
  const c: Case = CASES[code];
  void test(`analysis: ${c.name} is ${code}`, () => {
    assert.equal(codeOf(c), code);
  });
}

void test('analysis: every code has a unique priority and at least one condition', () => {
  const priorities = ANALYSIS_CODES.map((c) => ANALYSIS[c].priority);
  assert.equal(new Set(priorities).size, priorities.length);
  assert.equal(CODES_BY_PRIORITY[CODES_BY_PRIORITY.length - 1], 'NoProblem');
  for (const code of ANALYSIS_CODES) assert.ok(ANALYSIS[code].when.length > 0, code);
});

void test('analysis: codes keep orchestrator order, orc additions come before what they guard', () => {
  const order = (c: AnalysisCode) => CODES_BY_PRIORITY.indexOf(c);
  assert.ok(order('PrimaryTooManyConnections') < order('DeadMasterWithoutReplicas'));
  assert.ok(order('DeadMaster') < order('DeadMasterAndReplicas'));
  assert.ok(order('UnreachableMaster') < order('LockedSemiSyncMasterHypothesis'));
  assert.ok(order('AllMasterReplicasNotReplicatingOrDead') < order('DeadCoMaster'));
  assert.ok(order('CoPrimaryTooManyConnections') < order('DeadCoMaster'));
  assert.ok(order('AllCoMasterReplicasNotReplicating') < order('IntermediatePrimaryHostBlocked'));
  assert.ok(
    order('AllIntermediateMasterReplicasNotReplicating') <
      order('FirstTierReplicaFailingToConnectToMaster'),
  );
});

void test('analysis: only dead-server codes with evidence and semi-sync/read-only fixes act', () => {
  const actionable = ANALYSIS_CODES.filter((c) => ANALYSIS[c].actionable);
  assert.deepEqual(actionable, [
    'DeadMaster',
    'DeadMasterAndSomeReplicas',
    'LockedSemiSyncMaster',
    'MasterWithTooManySemiSyncReplicas',
    'NoWriteableMasterStructureWarning',
    'DeadCoMaster',
    'DeadCoMasterAndSomeReplicas',
    'DeadIntermediateMasterWithSingleReplicaFailingToConnect',
    'DeadIntermediateMaster',
    'DeadIntermediateMasterAndSomeReplicas',
    'AllIntermediateMasterReplicasFailingToConnectOrDead',
    'DeadReplicationGroupMemberWithReplicas',
  ]);
  for (const code of ANALYSIS_CODES) {
    const spec = ANALYSIS[code];
    const acts = spec.recovery !== 'none' && spec.recovery !== 'detect-only';
    assert.equal(acts, spec.actionable, code);
    if (spec.origin === 'orc') assert.match(spec.description, /\(orc addition\)$/, code);
  }
});
