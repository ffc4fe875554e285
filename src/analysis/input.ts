import type {
  BinlogCoordinates,
  Instance,
  InstanceKey,
  ProbeErrorKind,
} from '../topology/index.js';

/**
 * What failure analysis reads: every known server as last probed, the operator's downtime and
 * maintenance records, and the settings in force, judged at `now`. Plain data, built by the
 * service from the backend; analysis never reads a clock or a store itself, so the same
 * snapshot always yields the same analysis (which is what lets a detection be recorded and
 * replayed).
 */
export interface AnalysisSnapshot {
  /** Epoch milliseconds the snapshot is judged at (ages and downtime ends are relative to it). */
  readonly now: number;
  readonly instances: readonly ObservedInstance[];
  /** Downtime records; expired ones (endAt ≤ now) are ignored. */
  readonly downtimes: readonly DowntimeRecord[];
  /** Maintenance locks; expired ones (endAt ≤ now) are ignored. */
  readonly maintenances: readonly MaintenanceRecord[];
  /**
   * orchestrator's `database_instance_stale_binlog_coordinates`: the binlog position a primary
   * was first recorded at (by the `record-binlog-coordinates` emergent operation) and when.
   */
  readonly binlogPositionRecords: readonly BinlogPositionRecord[];
  readonly settings: AnalysisSettings;
}

/** One server as discovery last saw it, with what the model itself does not carry. */
export interface ObservedInstance {
  readonly instance: Instance;
  /**
   * Why the last probe failed; absent when it succeeded. Meaningful only while the last check
   * is invalid: a server that answered with a refusal is alive, never dead.
   */
  readonly lastProbeError?: ProbeFailure;
  /** A binlog server (MaxScale binlog router), as orchestrator detects it. */
  readonly binlogServer?: boolean;
  /** orchestrator's Pseudo-GTID is injected on this server (DetectPseudoGTIDQuery). */
  readonly pseudoGtid?: boolean;
  /** MySQL Group Replication membership, when the probe reads it. */
  readonly group?: GroupMembership;
}

/** The classified failure of a probe, with the server's own words for people. */
export interface ProbeFailure {
  readonly kind: ProbeErrorKind;
  readonly message: string;
  /** Epoch milliseconds of the failed attempt. */
  readonly at: number;
}

/** A server's view of its MySQL Group Replication group. */
export interface GroupMembership {
  readonly groupName: string;
  /** `ONLINE`, `RECOVERING`, `OFFLINE`, `ERROR`, `UNREACHABLE`. */
  readonly memberState: string;
  /** `PRIMARY` or `SECONDARY`. */
  readonly memberRole: string;
}

/** A downtime (begin-downtime): recovery skips the server while it lasts. */
export interface DowntimeRecord {
  readonly key: InstanceKey;
  readonly owner: string;
  readonly reason: string;
  readonly beginAt: number;
  readonly endAt: number;
}

/** A maintenance lock: the server is left out of analysis while it lasts. */
export interface MaintenanceRecord {
  readonly key: InstanceKey;
  readonly owner: string;
  readonly reason: string;
  readonly beginAt: number;
  readonly endAt: number;
}

/** A primary's binlog position and when it was first recorded at that position. */
export interface BinlogPositionRecord {
  readonly key: InstanceKey;
  readonly coordinates: BinlogCoordinates;
  readonly firstSeenAt: number;
}

/**
 * The options analysis depends on, named as in orc's config (orchestrator key in brackets).
 * The service copies them from the compiled config; `DEFAULT_ANALYSIS_SETTINGS` holds the
 * defaults.
 */
export interface AnalysisSettings {
  /** [InstancePollSeconds] Validity window of a check and "recently checked" horizon. */
  readonly instancePollSeconds: number;
  /** [ReasonableReplicationLagSeconds] Lag above which a replica counts as lagging. */
  readonly reasonableReplicationLagSeconds: number;
  /** [ReasonableLockedSemiSyncMasterSeconds] 0 falls back to the replication-lag setting. */
  readonly reasonableLockedSemiSyncPrimarySeconds: number;
  /** [ReduceReplicationAnalysisCount] Drop rows that cannot have a problem before analysis. */
  readonly reduceReplicationAnalysisCount: boolean;
  /** [RecoveryIgnoreHostnameFilters] Regexes on host names whose rows are removed. */
  readonly recoveryIgnoreHostnameFilters: readonly string[];
  /** [ProblemIgnoreHostnameFilters] Regexes on host names hidden from problem lists. */
  readonly problemIgnoreHostnameFilters: readonly string[];
  /** [PromotionIgnoreHostnameFilters] Regexes on host names never promoted. */
  readonly promotionIgnoreHostnameFilters: readonly string[];
  /** [RecoverMasterClusterFilters] Clusters opted into automated primary recovery. */
  readonly recoverPrimaryClusterFilters: readonly string[];
  /** [RecoverIntermediateMasterClusterFilters] Clusters opted into intermediate recovery. */
  readonly recoverIntermediatePrimaryClusterFilters: readonly string[];
  /** [RecoverNonWriteableMaster] A read-only primary is a main problem, not just a warning. */
  readonly recoverNonWriteablePrimary: boolean;
  /** [EnforceExactSemiSyncReplicas] Too many semi-sync replicas is a problem. */
  readonly enforceExactSemiSyncReplicas: boolean;
}

export const DEFAULT_ANALYSIS_SETTINGS: AnalysisSettings = Object.freeze({
  instancePollSeconds: 5,
  reasonableReplicationLagSeconds: 10,
  reasonableLockedSemiSyncPrimarySeconds: 0,
  reduceReplicationAnalysisCount: true,
  recoveryIgnoreHostnameFilters: [],
  problemIgnoreHostnameFilters: [],
  promotionIgnoreHostnameFilters: [],
  recoverPrimaryClusterFilters: [],
  recoverIntermediatePrimaryClusterFilters: [],
  recoverNonWriteablePrimary: false,
  enforceExactSemiSyncReplicas: false,
});
