/**
 * orchestrator's JSON shapes, as its Go structs marshal them (field names, casing, nesting,
 * order). orc builds these at the edge of the compatibility API only; nothing inside orc reads
 * them. Field lists come from openark/orchestrator and percona/orchestrator:
 * `go/inst/instance.go` (struct `Instance` and its `MarshalJSON`, which copies the new names
 * onto the legacy `Slave*`/`LogSlaveUpdatesEnabled` fields), `go/inst/instance_key.go`,
 * `go/inst/binlog.go`, `go/inst/cluster.go` (`ClusterInfo`), `go/inst/maintenance.go`,
 * `go/inst/audit.go`, and the sample in `docs/using-the-web-api.md`.
 */

/** `InstanceKey`. A server that replicates from nothing has `{"Hostname":"","Port":0}`. */
export interface CompatInstanceKey {
  Hostname: string;
  Port: number;
}

/** `BinlogCoordinates`; `Type` 0 is a binary log, 1 a relay log. */
export interface CompatBinlogCoordinates {
  LogFile: string;
  LogPos: number;
  Type: 0 | 1;
}

/** Go's `sql.NullInt64`: `Valid: false` stands for NULL (then `Int64` is 0). */
export interface CompatNullInt64 {
  Int64: number;
  Valid: boolean;
}

/** `ReplicationThreadState`: -1 no such thread (not a replica), 0 stopped, 1 running, 2 other. */
export type CompatThreadState = -1 | 0 | 1 | 2;

/**
 * orchestrator's `Instance` as the API sends it, fields in the struct's order. Durations
 * (`ElapsedDowntime`, `LastDiscoveryLatency`) are Go `time.Duration`s: nanoseconds.
 * Timestamps are MySQL DATETIME text (`2024-05-01 10:00:00`), or '' when unknown.
 */
export interface CompatInstance {
  Key: CompatInstanceKey;
  InstanceAlias: string;
  Uptime: number;
  ServerID: number;
  ServerUUID: string;
  Version: string;
  VersionComment: string;
  FlavorName: string;
  ReadOnly: boolean;
  Binlog_format: string;
  BinlogRowImage: string;
  LogBinEnabled: boolean;
  LogSlaveUpdatesEnabled: boolean;
  LogReplicationUpdatesEnabled: boolean;
  SelfBinlogCoordinates: CompatBinlogCoordinates;
  MasterKey: CompatInstanceKey;
  MasterUUID: string;
  AncestryUUID: string;
  IsDetachedMaster: boolean;
  Slave_SQL_Running: boolean;
  ReplicationSQLThreadRuning: boolean;
  Slave_IO_Running: boolean;
  ReplicationIOThreadRuning: boolean;
  ReplicationSQLThreadState: CompatThreadState;
  ReplicationIOThreadState: CompatThreadState;
  HasReplicationFilters: boolean;
  GTIDMode: string;
  SupportsOracleGTID: boolean;
  UsingOracleGTID: boolean;
  UsingMariaDBGTID: boolean;
  UsingPseudoGTID: boolean;
  ReadBinlogCoordinates: CompatBinlogCoordinates;
  ExecBinlogCoordinates: CompatBinlogCoordinates;
  IsDetached: boolean;
  RelaylogCoordinates: CompatBinlogCoordinates;
  LastSQLError: string;
  LastIOError: string;
  SecondsBehindMaster: CompatNullInt64;
  SQLDelay: number;
  ExecutedGtidSet: string;
  GtidPurged: string;
  GtidErrant: string;
  SlaveLagSeconds: CompatNullInt64;
  ReplicationLagSeconds: CompatNullInt64;
  SlaveHosts: CompatInstanceKey[];
  Replicas: CompatInstanceKey[];
  ClusterName: string;
  SuggestedClusterAlias: string;
  DataCenter: string;
  Region: string;
  PhysicalEnvironment: string;
  ReplicationDepth: number;
  IsCoMaster: boolean;
  HasReplicationCredentials: boolean;
  ReplicationCredentialsAvailable: boolean;
  /** Dropped by orchestrator 3.2 (replaced by SemiSyncPriority); kept for older scripts. */
  SemiSyncEnforced: boolean;
  SemiSyncAvailable: boolean;
  SemiSyncPriority: number;
  SemiSyncMasterPluginNewVersion: boolean;
  SemiSyncReplicaPluginNewVersion: boolean;
  SemiSyncMasterEnabled: boolean;
  SemiSyncReplicaEnabled: boolean;
  SemiSyncMasterTimeout: number;
  SemiSyncMasterWaitForReplicaCount: number;
  SemiSyncMasterStatus: boolean;
  SemiSyncMasterClients: number;
  SemiSyncReplicaStatus: boolean;
  LastSeenTimestamp: string;
  IsLastCheckValid: boolean;
  IsUpToDate: boolean;
  IsRecentlyChecked: boolean;
  SecondsSinceLastSeen: CompatNullInt64;
  CountMySQLSnapshots: number;
  IsCandidate: boolean;
  PromotionRule: string;
  IsDowntimed: boolean;
  DowntimeReason: string;
  DowntimeOwner: string;
  DowntimeEndTimestamp: string;
  ElapsedDowntime: number;
  UnresolvedHostname: string;
  AllowTLS: boolean;
  Problems: string[];
  LastDiscoveryLatency: number;
  ReplicationGroupName: string;
  ReplicationGroupIsSinglePrimary: boolean;
  ReplicationGroupMemberState: string;
  ReplicationGroupMemberRole: string;
  ReplicationGroupMembers: CompatInstanceKey[];
  ReplicationGroupPrimaryInstanceKey: CompatInstanceKey;
}

/** `ClusterInfo` (go/inst/cluster.go). */
export interface CompatClusterInfo {
  ClusterName: string;
  ClusterAlias: string;
  ClusterDomain: string;
  CountInstances: number;
  HeuristicLag: number;
  HasAutomatedMasterRecovery: boolean;
  HasAutomatedIntermediateMasterRecovery: boolean;
}

/** `Maintenance` (go/inst/maintenance.go), one active lock of `/api/maintenance`. */
export interface CompatMaintenance {
  MaintenanceId: number;
  Key: CompatInstanceKey;
  BeginTimestamp: string;
  SecondsElapsed: number;
  IsActive: boolean;
  Owner: string;
  Reason: string;
}

/** `Audit` (go/inst/audit.go), one entry of `/api/audit`; `ClusterName` is orc's addition. */
export interface CompatAudit {
  AuditId: number;
  AuditTimestamp: string;
  AuditType: string;
  AuditInstanceKey: CompatInstanceKey;
  Message: string;
  ClusterName: string;
}
