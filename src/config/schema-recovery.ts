/**
 * Options of failure analysis, automated recovery, and the hooks run around recoveries.
 */
import { bool, int, list, str } from './spec.js';

export const analysis = {
  reasonableReplicationLagSeconds: int({
    default: 10,
    doc: 'Replication lag above which a replica counts as lagging.',
    reload: true,
    orc: 'ReasonableReplicationLagSeconds',
  }),
  reasonableMaintenanceReplicationLagSeconds: int({
    default: 20,
    doc: 'Replication lag above which refactoring and graceful takeover refuse or wait.',
    reload: true,
    orc: 'ReasonableMaintenanceReplicationLagSeconds',
  }),
  reasonableLockedSemiSyncPrimarySeconds: int({
    default: 0,
    doc: 'Seconds a semi-sync primary may wait for acknowledgements before it counts as locked; 0 uses `reasonableReplicationLagSeconds`.',
    defaultDoc: '0 (→ `analysis.reasonableReplicationLagSeconds`)',
    reload: true,
    orc: 'ReasonableLockedSemiSyncMasterSeconds',
  }),
  problemIgnoreHostnameFilters: list({
    doc: 'Regular expressions of host names left out of the problems list.',
    reload: true,
    orc: 'ProblemIgnoreHostnameFilters',
  }),
  reduceReplicationAnalysisCount: bool({
    default: true,
    doc: 'Analyse only servers that can have problems (primaries and intermediate primaries).',
    reload: true,
    orc: 'ReduceReplicationAnalysisCount',
  }),
  failureDetectionPeriodBlockMinutes: int({
    default: 60,
    doc: 'Minutes during which the same failure is not detected (and hooked) again.',
    reload: true,
    orc: 'FailureDetectionPeriodBlockMinutes',
  }),
};

export const recovery = {
  periodBlockSeconds: int({
    default: 3600,
    doc: 'Seconds after a recovery during which the same cluster is not recovered again (anti-flapping).',
    reload: true,
    orc: [
      'RecoveryPeriodBlockSeconds',
      { key: 'RecoveryPeriodBlockMinutes', factor: 60, fallback: true, legacy: true },
    ],
  }),
  ignoreHostnameFilters: list({
    doc: 'Regular expressions of host names never analysed or recovered.',
    reload: true,
    orc: 'RecoveryIgnoreHostnameFilters',
  }),
  recoverPrimaryClusterFilters: list({
    doc: 'Clusters opted into automatic primary recovery: name, alias, `alias=x`, `alias~=regex`, `*`, or a regex on the name.',
    reload: true,
    orc: 'RecoverMasterClusterFilters',
  }),
  recoverIntermediatePrimaryClusterFilters: list({
    doc: 'Clusters opted into automatic intermediate-primary recovery (same forms).',
    reload: true,
    orc: 'RecoverIntermediateMasterClusterFilters',
  }),
  recoverNonWriteablePrimary: bool({
    default: false,
    doc: 'Treat a read-only primary as a failure and make it writeable.',
    reload: true,
    orc: 'RecoverNonWriteableMaster',
  }),
  coPrimaryRecoveryMustPromoteOtherCoPrimary: bool({
    default: true,
    doc: 'When a co-primary fails, promote only the other co-primary (or fail).',
    reload: true,
    orc: 'CoMasterRecoveryMustPromoteOtherCoMaster',
  }),
  detachLostReplicasAfterPrimaryFailover: bool({
    default: true,
    doc: 'Detach replicas that could not be moved below the promoted server.',
    reload: true,
    orc: [
      'DetachLostReplicasAfterMasterFailover',
      { key: 'DetachLostSlavesAfterMasterFailover', legacy: true },
    ],
  }),
  applyMysqlPromotionAfterPrimaryFailover: bool({
    default: true,
    doc: 'On the promoted server, reset replication and set read_only=0.',
    reload: true,
    orc: 'ApplyMySQLPromotionAfterMasterFailover',
  }),
  preventCrossDataCenterPrimaryFailover: bool({
    default: false,
    doc: 'Promote only within the failed primary data center, or not at all.',
    reload: true,
    orc: 'PreventCrossDataCenterMasterFailover',
  }),
  preventCrossRegionPrimaryFailover: bool({
    default: false,
    doc: 'Promote only within the failed primary region, or not at all.',
    reload: true,
    orc: 'PreventCrossRegionMasterFailover',
  }),
  primaryFailoverLostInstancesDowntimeMinutes: int({
    default: 0,
    doc: 'Documented by orchestrator but unused by it: lost servers are downtimed for a year.',
    reload: true,
    orc: 'MasterFailoverLostInstancesDowntimeMinutes',
    compat: true,
  }),
  primaryFailoverDetachReplicaPrimaryHost: bool({
    default: false,
    doc: 'Point the promoted server replication at a non-existent host so it never replicates from the old primary.',
    reload: true,
    orc: [
      'MasterFailoverDetachReplicaMasterHost',
      { key: 'MasterFailoverDetachSlaveMasterHost', legacy: true },
    ],
  }),
  failPrimaryPromotionOnLagMinutes: int({
    default: 0,
    doc: 'Refuse to promote a candidate lagging this many minutes or more; 0 disables. Needs `topology.replicationLagQuery`.',
    reload: true,
    orc: 'FailMasterPromotionOnLagMinutes',
  }),
  failPrimaryPromotionIfSqlThreadNotUpToDate: bool({
    default: false,
    doc: 'Refuse to promote a candidate that has not applied all its relay logs.',
    reload: true,
    orc: 'FailMasterPromotionIfSQLThreadNotUpToDate',
  }),
  delayPrimaryPromotionIfSqlThreadNotUpToDate: bool({
    default: false,
    doc: 'Wait for the candidate to apply all its relay logs before promoting it.',
    reload: true,
    orc: 'DelayMasterPromotionIfSQLThreadNotUpToDate',
  }),
  postponeReplicaRecoveryOnLagMinutes: int({
    default: 0,
    doc: 'Replicas lagging more minutes than this are re-pointed after the promotion and hooks; 0 disables.',
    reload: true,
    orc: [
      'PostponeReplicaRecoveryOnLagMinutes',
      { key: 'PostponeSlaveRecoveryOnLagMinutes', legacy: true },
    ],
  }),
  enforceExactSemiSyncReplicas: bool({
    default: false,
    doc: 'Enable and disable semi-sync on replicas to match the wait count exactly, in priority order.',
    reload: true,
    orc: 'EnforceExactSemiSyncReplicas',
  }),
  recoverLockedSemiSyncPrimary: bool({
    default: false,
    doc: 'Recover a locked semi-sync primary by enabling semi-sync on enough replicas.',
    reload: true,
    orc: 'RecoverLockedSemiSyncMaster',
  }),
};

export const hooks = {
  shellCommand: str({
    default: 'bash',
    doc: 'Shell that runs hook commands.',
    reload: true,
    orc: 'ProcessesShellCommand',
  }),
  onFailureDetection: list({
    doc: 'Commands run when a recoverable failure is detected; a failure aborts the recovery.',
    reload: true,
    orc: 'OnFailureDetectionProcesses',
  }),
  preGracefulTakeover: list({
    doc: 'Commands run before a graceful takeover makes the old primary read-only; a failure aborts.',
    reload: true,
    orc: 'PreGracefulTakeoverProcesses',
  }),
  preFailover: list({
    doc: 'Commands run before a recovery; a failure aborts it.',
    reload: true,
    orc: 'PreFailoverProcesses',
  }),
  postPrimaryFailover: list({
    doc: 'Commands run after a successful primary recovery.',
    reload: true,
    orc: 'PostMasterFailoverProcesses',
  }),
  postIntermediatePrimaryFailover: list({
    doc: 'Commands run after a successful intermediate-primary recovery.',
    reload: true,
    orc: 'PostIntermediateMasterFailoverProcesses',
  }),
  postFailover: list({
    doc: 'Commands run after any successful recovery.',
    reload: true,
    orc: 'PostFailoverProcesses',
  }),
  postUnsuccessfulFailover: list({
    doc: 'Commands run after a recovery that did not complete.',
    reload: true,
    orc: 'PostUnsuccessfulFailoverProcesses',
  }),
  postGracefulTakeover: list({
    doc: 'Commands run after a graceful takeover.',
    reload: true,
    orc: 'PostGracefulTakeoverProcesses',
  }),
  postUnsuccessfulGracefulTakeover: list({
    doc: 'Commands run after a graceful takeover that did not complete (Percona).',
    reload: true,
    orc: 'PostUnsuccessfulGracefulTakeoverProcesses',
  }),
  postTakePrimary: list({
    doc: 'Commands run after a successful take-master.',
    reload: true,
    orc: 'PostTakeMasterProcesses',
  }),
};
