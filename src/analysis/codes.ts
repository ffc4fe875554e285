import { is, type Clause } from './clauses.js';
import type { AnalysisCode, AnalysisSpec, RuleRole } from './spec.js';

/**
 * The registry of main analysis codes (orchestrator's go/inst/analysis_dao.go, §4.2 of the
 * reference), one entry per code: who it is about, its clauses, its place in the evaluation
 * order, what it means, and what recovery and emergent operations it asks for. `analyze`
 * walks it by priority; recovery dispatches on `recovery`; nothing else switches on codes.
 *
 * Where orc differs from orchestrator, the clause or the entry says so (`orc` clauses,
 * `origin: 'orc'`):
 * - the actionable Dead* codes also need `is.downEvidence`: a replica failing to connect and
 *   none connected. orchestrator needs only "no replica replicating", which a replica whose
 *   threads were stopped for a backup satisfies, so a blip on the primary's link while the
 *   only replica is stopped would fail over a healthy primary. Without evidence the row gets
 *   an `Unreachable…WithStoppedReplicas` code, asking for re-probes instead;
 * - a server that refused orc (too many connections, access denied, host blocked) is up: its
 *   own code comes first in each role, so no Dead* or Unreachable* code can win for it;
 * - smaller ones are commented at the entry (MasterSingleReplicaNotReplicating,
 *   DeadMasterAndReplicas).
 */
const orc = ' (orc addition)';

function refusals(role: RuleRole, who: string, base: number, extra: readonly Clause[] = []) {
  const spec = (refusal: Clause, words: string, offset: number): AnalysisSpec => ({
    role,
    priority: base + offset,
    when: [refusal, ...extra],
    description: `${who} answers but refuses orc with "${words}": up and in trouble, not dead${orc}`,
    actionable: false,
    recovery: 'detect-only',
    emergent: ['reprobe-instance'],
    aboutReplicas: false,
    origin: 'orc',
  });
  return [
    spec(is.tooManyConnections, 'too many connections', 0),
    spec(is.accessDenied, 'access denied', 1),
    spec(is.hostBlocked, 'host blocked', 2),
  ] as const;
}

type Extra = Partial<Omit<AnalysisSpec, 'role' | 'priority' | 'when' | 'description'>>;

/** An entry with the values most rules share (no recovery, no emergent work). */
function rule(
  role: RuleRole,
  priority: number,
  when: readonly Clause[],
  description: string,
  extra: Extra = {},
): AnalysisSpec {
  return {
    role,
    priority,
    when,
    description,
    actionable: false,
    recovery: 'none',
    emergent: [],
    aboutReplicas: false,
    origin: 'orchestrator',
    ...extra,
  };
}

const [pTooMany, pDenied, pBlocked] = refusals('primary', 'Primary', 10);
const [cTooMany, cDenied, cBlocked] = refusals('co-primary', 'Co-primary', 200);
const [iTooMany, iDenied, iBlocked] = refusals(
  'intermediate-primary',
  'Intermediate primary',
  300,
  [is.hasReplicas],
);

const deadPrimary: Extra = { actionable: true, recovery: 'recover-dead-primary' };
const deadCoPrimary: Extra = { actionable: true, recovery: 'recover-dead-co-primary' };
const deadIntermediate: Extra = {
  actionable: true,
  recovery: 'recover-dead-intermediate-primary',
  aboutReplicas: true,
};
const detect: Extra = { recovery: 'detect-only' };
const stopped: Extra = {
  emergent: ['reprobe-instance', 'reprobe-replicas'],
  origin: 'orc',
};
const noEvidence =
  'cannot be reached and none of its replicas is replicating, but none shows it down (their ' +
  'threads were stopped, e.g. for a backup): not enough evidence to call it dead' +
  orc;
const unreachableWhen = [is.unreachable, is.someReplicaReachable, is.noneReplicating];

export const ANALYSIS = {
  PrimaryTooManyConnections: pTooMany,
  PrimaryAccessDenied: pDenied,
  PrimaryHostBlocked: pBlocked,
  DeadMasterWithoutReplicas: rule(
    'primary',
    20,
    [is.unreachable, is.noReplicas],
    'Master cannot be reached by orchestrator and has no replica',
  ),
  DeadMaster: rule(
    'primary',
    30,
    [is.unreachable, is.allReplicasReachable, is.noneReplicating, is.downEvidence],
    'Master cannot be reached by orchestrator and none of its replicas is replicating',
    deadPrimary,
  ),
  DeadMasterAndReplicas: rule(
    'primary',
    40,
    [is.unreachable, is.hasReplicas, is.noReplicaReachable, is.noneReplicating],
    'Master cannot be reached by orchestrator and none of its replicas is replicating',
    // orchestrator re-reads the primary's own source here, which a primary does not have;
    // orc re-probes the primary and its replicas to tell an orc-side outage from a dead site.
    { ...detect, emergent: ['reprobe-instance', 'reprobe-replicas'] },
  ),
  DeadMasterAndSomeReplicas: rule(
    'primary',
    50,
    [
      is.unreachable,
      is.someReplicasUnreachable,
      is.someReplicaReachable,
      is.noneReplicating,
      is.downEvidence,
    ],
    'Master cannot be reached by orchestrator; some of its replicas are unreachable and none ' +
      'of its reachable replicas is replicating',
    deadPrimary,
  ),
  UnreachableMasterWithLaggingReplicas: rule(
    'primary',
    60,
    [is.unreachable, is.allLagging, is.notAllDelayed, is.someReplicating],
    'Master cannot be reached by orchestrator and all of its replicas are lagging',
    { ...detect, emergent: ['restart-replication-on-replicas'] },
  ),
  UnreachableMaster: rule(
    'primary',
    70,
    [is.unreachable, is.someReplicaReachable, is.someReplicating, is.quietOrFailingReplica],
    'Master cannot be reached by orchestrator but it has replicating replicas; possibly a ' +
      'network/host issue',
    { ...detect, emergent: ['reprobe-instance', 'reprobe-replicas'] },
  ),
  UnreachablePrimaryWithStoppedReplicas: rule(
    'primary',
    75,
    [...unreachableWhen, is.noDownEvidence],
    `Primary ${noEvidence}`,
    { ...stopped, recovery: 'detect-only' },
  ),
  LockedSemiSyncMasterHypothesis: rule(
    'primary',
    80,
    [is.semiSyncWaiting, is.binlogNotStale],
    'Semi sync master seems to be locked, more samplings needed to validate',
    { emergent: ['reprobe-instance', 'record-binlog-coordinates'] },
  ),
  LockedSemiSyncMaster: rule(
    'primary',
    90,
    [is.semiSyncWaiting, is.binlogStale],
    "Semi sync master is locked since it doesn't get enough replica acknowledgements",
    // Acts only with RecoverLockedSemiSyncMaster or EnforceExactSemiSyncReplicas set.
    { actionable: true, recovery: 'recover-locked-semi-sync' },
  ),
  MasterWithTooManySemiSyncReplicas: rule(
    'primary',
    100,
    [is.enforceExactSemiSync, is.semiSyncOverfull],
    'Semi sync master has more semi sync replicas than configured',
    { actionable: true, recovery: 'recover-excess-semi-sync' },
  ),
  NoWriteableMasterStructureWarning: rule(
    'primary',
    110,
    [is.recoverNonWriteable, is.reachable, is.readOnly, is.someReplicating],
    'Master with replicas is read_only',
    { actionable: true, recovery: 'set-writeable' },
  ),
  MasterSingleReplicaNotReplicating: rule(
    'primary',
    120,
    [is.reachable, is.oneReplica, is.allReplicasReachable, is.noneReplicating],
    'Master is reachable but its single replica is not replicating',
    // orchestrator forgot this code in its all-replicas-downtimed list; orc counts it.
    { aboutReplicas: true },
  ),
  MasterSingleReplicaDead: rule(
    'primary',
    130,
    [is.reachable, is.oneReplica, is.noReplicaReachable],
    'Master is reachable but its single replica is dead',
    { aboutReplicas: true },
  ),
  AllMasterReplicasNotReplicating: rule(
    'primary',
    140,
    [is.reachable, is.severalReplicas, is.allReplicasReachable, is.noneReplicating],
    'Master is reachable but none of its replicas is replicating',
    { ...detect, emergent: ['reprobe-instance'], aboutReplicas: true },
  ),
  AllMasterReplicasNotReplicatingOrDead: rule(
    'primary',
    150,
    [
      is.reachable,
      is.severalReplicas,
      is.someReplicasUnreachable,
      is.someReplicaReachable,
      is.noneReplicating,
    ],
    'Master is reachable but none of its replicas is replicating',
    { ...detect, emergent: ['reprobe-instance'], aboutReplicas: true },
  ),
  CoPrimaryTooManyConnections: cTooMany,
  CoPrimaryAccessDenied: cDenied,
  CoPrimaryHostBlocked: cBlocked,
  DeadCoMaster: rule(
    'co-primary',
    210,
    [is.unreachable, is.hasReplicas, is.allReplicasReachable, is.noneReplicating, is.downEvidence],
    'Co-master cannot be reached by orchestrator and none of its replicas is replicating',
    deadCoPrimary,
  ),
  DeadCoMasterAndSomeReplicas: rule(
    'co-primary',
    220,
    [
      is.unreachable,
      is.hasReplicas,
      is.someReplicasUnreachable,
      is.someReplicaReachable,
      is.noneReplicating,
      is.downEvidence,
    ],
    'Co-master cannot be reached by orchestrator; some of its replicas are unreachable and ' +
      'none of its reachable replicas is replicating',
    deadCoPrimary,
  ),
  UnreachableCoMaster: rule(
    'co-primary',
    230,
    [is.unreachable, is.noPartialSuccess, is.someReplicaReachable, is.someReplicating],
    'Co-master cannot be reached by orchestrator but it has replicating replicas; possibly a ' +
      'network/host issue',
  ),
  UnreachableCoPrimaryWithStoppedReplicas: rule(
    'co-primary',
    235,
    [...unreachableWhen, is.noDownEvidence],
    `Co-primary ${noEvidence}`,
    stopped,
  ),
  AllCoMasterReplicasNotReplicating: rule(
    'co-primary',
    240,
    [is.reachable, is.hasReplicas, is.noneReplicating],
    'Co-master is reachable but none of its replicas is replicating',
    { aboutReplicas: true },
  ),
  IntermediatePrimaryTooManyConnections: iTooMany,
  IntermediatePrimaryAccessDenied: iDenied,
  IntermediatePrimaryHostBlocked: iBlocked,
  DeadIntermediateMasterWithSingleReplicaFailingToConnect: rule(
    'intermediate-primary',
    310,
    [
      is.unreachable,
      is.oneReplica,
      is.allReplicasReachable,
      is.allFailingToConnect,
      is.noneReplicating,
    ],
    'Intermediate master cannot be reached by orchestrator and its (single) replica is ' +
      'failing to connect',
    deadIntermediate,
  ),
  DeadIntermediateMasterWithSingleReplica: rule(
    'intermediate-primary',
    320,
    [is.unreachable, is.oneReplica, is.allReplicasReachable, is.noneReplicating],
    'Intermediate master cannot be reached by orchestrator and its (single) replica is not ' +
      'replicating',
    { aboutReplicas: true },
  ),
  DeadIntermediateMaster: rule(
    'intermediate-primary',
    330,
    [
      is.unreachable,
      is.severalReplicas,
      is.allReplicasReachable,
      is.noneReplicating,
      is.downEvidence,
    ],
    'Intermediate master cannot be reached by orchestrator and none of its replicas is ' +
      'replicating',
    { ...deadIntermediate, aboutReplicas: false },
  ),
  DeadIntermediateMasterAndSomeReplicas: rule(
    'intermediate-primary',
    340,
    [
      is.unreachable,
      is.someReplicasUnreachable,
      is.someReplicaReachable,
      is.noneReplicating,
      is.downEvidence,
    ],
    'Intermediate master cannot be reached by orchestrator; some of its replicas are ' +
      'unreachable and none of its reachable replicas is replicating',
    deadIntermediate,
  ),
  DeadIntermediateMasterAndReplicas: rule(
    'intermediate-primary',
    350,
    [is.unreachable, is.hasReplicas, is.noReplicaReachable],
    'Intermediate master cannot be reached by orchestrator and all of its replicas are ' +
      'unreachable',
    { ...detect, aboutReplicas: true },
  ),
  UnreachableIntermediateMasterWithLaggingReplicas: rule(
    'intermediate-primary',
    360,
    [is.unreachable, is.allLagging, is.notAllDelayed, is.someReplicating],
    'Intermediate master cannot be reached by orchestrator and all of its replicas are lagging',
    { ...detect, emergent: ['restart-replication-on-replicas'] },
  ),
  UnreachableIntermediateMaster: rule(
    'intermediate-primary',
    370,
    [is.unreachable, is.noPartialSuccess, is.someReplicaReachable, is.someReplicating],
    'Intermediate master cannot be reached by orchestrator but it has replicating replicas; ' +
      'possibly a network/host issue',
  ),
  UnreachableIntermediatePrimaryWithStoppedReplicas: rule(
    'intermediate-primary',
    375,
    [...unreachableWhen, is.noDownEvidence],
    `Intermediate primary ${noEvidence}`,
    stopped,
  ),
  AllIntermediateMasterReplicasFailingToConnectOrDead: rule(
    'intermediate-primary',
    380,
    [
      is.reachable,
      is.severalReplicas,
      is.noneReplicating,
      is.someFailingToConnect,
      is.reachableAllFailingToConnect,
    ],
    'Intermediate master is reachable but all of its replicas are failing to connect',
    deadIntermediate,
  ),
  AllIntermediateMasterReplicasNotReplicating: rule(
    'intermediate-primary',
    390,
    [is.reachable, is.hasReplicas, is.noneReplicating],
    'Intermediate master is reachable but none of its replicas is replicating',
    { aboutReplicas: true },
  ),
  BinlogServerFailingToConnectToMaster: rule(
    'replica',
    400,
    [is.binlogServer, is.failingToConnectToSource],
    'Binlog server is unable to connect to its master',
  ),
  FirstTierReplicaFailingToConnectToMaster: rule(
    'replica',
    410,
    [is.firstTier, is.failingToConnectToSource],
    '1st tier replica (directly replicating from topology master) is unable to connect to the ' +
      'master',
    { emergent: ['reprobe-source'] },
  ),
  DeadReplicationGroupMemberWithReplicas: rule(
    'group-member',
    500,
    [is.unreachable, is.hasReplicas, is.noneReplicating, is.downEvidence],
    'Group member is unreachable and all its reachable replicas are not replicating',
    { actionable: true, recovery: 'relocate-group-member-replicas' },
  ),
  NoProblem: rule('any', 1000, [is.always], 'No problem found'),
} as const satisfies Record<AnalysisCode, AnalysisSpec>;

/** The codes in evaluation order. */
export const CODES_BY_PRIORITY: readonly AnalysisCode[] = (
  Object.keys(ANALYSIS) as AnalysisCode[]
).sort((a, b) => ANALYSIS[a].priority - ANALYSIS[b].priority);
