import type { Clause } from './clauses.js';

/**
 * Every main analysis code, in evaluation order: orchestrator's names, kept so operators
 * recognise them, and orc's additions, named in orc's vocabulary (`Primary…`). The registry in
 * codes.ts declares each exactly once.
 */
export const ANALYSIS_CODES = [
  'PrimaryTooManyConnections',
  'PrimaryAccessDenied',
  'PrimaryHostBlocked',
  'DeadMasterWithoutReplicas',
  'DeadMaster',
  'DeadMasterAndReplicas',
  'DeadMasterAndSomeReplicas',
  'UnreachableMasterWithLaggingReplicas',
  'UnreachableMaster',
  'UnreachablePrimaryWithStoppedReplicas',
  'LockedSemiSyncMasterHypothesis',
  'LockedSemiSyncMaster',
  'MasterWithTooManySemiSyncReplicas',
  'NoWriteableMasterStructureWarning',
  'MasterSingleReplicaNotReplicating',
  'MasterSingleReplicaDead',
  'AllMasterReplicasNotReplicating',
  'AllMasterReplicasNotReplicatingOrDead',
  'CoPrimaryTooManyConnections',
  'CoPrimaryAccessDenied',
  'CoPrimaryHostBlocked',
  'DeadCoMaster',
  'DeadCoMasterAndSomeReplicas',
  'UnreachableCoMaster',
  'UnreachableCoPrimaryWithStoppedReplicas',
  'AllCoMasterReplicasNotReplicating',
  'IntermediatePrimaryTooManyConnections',
  'IntermediatePrimaryAccessDenied',
  'IntermediatePrimaryHostBlocked',
  'DeadIntermediateMasterWithSingleReplicaFailingToConnect',
  'DeadIntermediateMasterWithSingleReplica',
  'DeadIntermediateMaster',
  'DeadIntermediateMasterAndSomeReplicas',
  'DeadIntermediateMasterAndReplicas',
  'UnreachableIntermediateMasterWithLaggingReplicas',
  'UnreachableIntermediateMaster',
  'UnreachableIntermediatePrimaryWithStoppedReplicas',
  'AllIntermediateMasterReplicasFailingToConnectOrDead',
  'AllIntermediateMasterReplicasNotReplicating',
  'BinlogServerFailingToConnectToMaster',
  'FirstTierReplicaFailingToConnectToMaster',
  'DeadReplicationGroupMemberWithReplicas',
  'NoProblem',
] as const;

export type AnalysisCode = (typeof ANALYSIS_CODES)[number];

/**
 * Which rows a rule is about. `intermediate-primary` is orchestrator's "not a primary": it
 * also covers co-primaries no co-primary rule matched; `replica` is any non-primary row;
 * `group-member` rules are the only ones tried on Group Replication members.
 */
export type RuleRole =
  'primary' | 'co-primary' | 'intermediate-primary' | 'replica' | 'group-member' | 'any';

/**
 * The recovery a code asks for, implemented by recovery/: `detect-only` records the detection
 * and runs the detection hooks (orchestrator's generic problem); `none` is ignored by recovery.
 */
export type RecoveryRecipe =
  | 'recover-dead-primary'
  | 'recover-dead-co-primary'
  | 'recover-dead-intermediate-primary'
  | 'recover-locked-semi-sync'
  | 'recover-excess-semi-sync'
  | 'set-writeable'
  | 'relocate-group-member-replicas'
  | 'detect-only'
  | 'none';

/**
 * Immediate work a detection asks the discovery layer for, to confirm or refute it before the
 * next poll (orchestrator's emergent operations): re-probe the analysed server, its replicas,
 * or its own source; restart replication on its replicas (forcing them to reconnect, which
 * turns a hidden death into DeadMaster); record its binlog position (locked semi-sync).
 */
export type EmergentOperation =
  | 'reprobe-instance'
  | 'reprobe-replicas'
  | 'reprobe-source'
  | 'restart-replication-on-replicas'
  | 'record-binlog-coordinates';

/** One analysis code, declared once. */
export interface AnalysisSpec {
  readonly role: RuleRole;
  /** Evaluation order, lowest first; the first rule whose clauses all hold wins. */
  readonly priority: number;
  readonly when: readonly Clause[];
  readonly description: string;
  /** orchestrator's IsActionableRecovery: the recipe may change the topology. */
  readonly actionable: boolean;
  readonly recovery: RecoveryRecipe;
  readonly emergent: readonly EmergentOperation[];
  /** Concerns only the replicas: skippable when every replica is downtimed. */
  readonly aboutReplicas: boolean;
  readonly origin: 'orchestrator' | 'orc';
}

/** orchestrator's structure warnings, appended after the main code in this order. */
export const STRUCTURE_WARNINGS = [
  'NoLoggingReplicasStructureWarning',
  'NoFailoverSupportStructureWarning',
  'StatementAndMixedLoggingReplicasStructureWarning',
  'StatementAndRowLoggingReplicasStructureWarning',
  'MixedAndRowLoggingReplicasStructureWarning',
  'MultipleMajorVersionsLoggingReplicasStructureWarning',
  'DifferentGTIDModesStructureWarning',
  'ErrantGTIDStructureWarning',
  'NoWriteableMasterStructureWarning',
  'NotEnoughValidSemiSyncReplicasStructureWarning',
] as const;

export type StructureWarning = (typeof STRUCTURE_WARNINGS)[number];

/** One structure warning, declared once. */
export interface WarningSpec {
  /** `primary` or `any`: orchestrator checks most warnings on primaries only. */
  readonly role: 'primary' | 'any';
  readonly when: readonly Clause[];
  readonly description: string;
}
