/**
 * orc's instances and clusters rendered as orchestrator's JSON (`Instance`, `ClusterInfo`,
 * `InstanceKey`), the bodies orchestrator-client, the web UI's scripts and users' jq filters
 * read. Every field orchestrator's `Instance` marshals is present with a value of its JSON
 * type (see orchestrator-types.ts for where the list comes from); fields orc has no facts
 * for carry orchestrator's zero value. Pure functions: the caller supplies "now".
 */
import {
  hasDataFilters,
  hasDomainFilters,
  isLastCheckValid,
  type BinlogCoordinates,
  type Instance,
  type InstanceKey,
  type ReplicationError,
  type ThreadState,
} from '../../topology/index.js';
import {
  isRecentlyChecked,
  isUpToDate,
  type ClusterSummary,
  type InstanceView,
  type ViewTiming,
} from '../routes/inventory-view.js';
import type {
  CompatBinlogCoordinates,
  CompatClusterInfo,
  CompatInstance,
  CompatInstanceKey,
  CompatNullInt64,
  CompatThreadState,
} from './orchestrator-types.js';

const NS_PER_MS = 1_000_000;

/** `{Hostname, Port}` of a key. */
export function compatKey(key: InstanceKey): CompatInstanceKey {
  return { Hostname: key.host, Port: key.port };
}

/** The key `{"Hostname":"","Port":0}` orchestrator shows where there is none. */
export const NO_COMPAT_KEY: Readonly<CompatInstanceKey> = Object.freeze({ Hostname: '', Port: 0 });

/**
 * A time as orchestrator reads a DATETIME column back (`2024-05-01 10:00:00`), in UTC; ''
 * when there is none.
 */
export function sqlDateTime(ms: number | undefined): string {
  if (ms === undefined) return '';
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function coordinates(c: BinlogCoordinates | undefined, type: 0 | 1): CompatBinlogCoordinates {
  return { LogFile: c?.file ?? '', LogPos: c?.pos ?? 0, Type: type };
}

function nullInt(value: number | undefined): CompatNullInt64 {
  return value === undefined ? { Int64: 0, Valid: false } : { Int64: value, Valid: true };
}

function threadState(state: ThreadState | undefined): CompatThreadState {
  if (state === undefined) return -1;
  return state === 'running' ? 1 : state === 'stopped' ? 0 : 2;
}

/** orchestrator quotes the server's error text (Go `strconv.Quote`), '' when there is none. */
function quotedError(e: ReplicationError | undefined): string {
  return e === undefined || e.message === '' ? '' : JSON.stringify(e.message);
}

function flavorName(i: Instance): string {
  const names = { mariadb: 'MariaDB', mysql: 'MySQL', percona: 'Percona' } as const;
  return names[i.version.flavor];
}

/** MySQL 8.0.26 renamed the semi-sync plugins (`rpl_semi_sync_source`/`_replica`). */
function newSemiSyncPlugins(i: Instance): boolean {
  const v = i.version;
  if (i.semiSync === undefined || v.flavor === 'mariadb') return false;
  return v.major > 8 || (v.major === 8 && (v.minor > 0 || v.patch >= 26));
}

/** Root-first server_uuids of the chain above, then the server's own (`AncestryUUID`). */
function ancestry(i: Instance): string {
  const uuids = [...i.cluster.ancestryUuids].reverse();
  if (i.serverUuid !== undefined) uuids.push(i.serverUuid);
  return uuids.filter((u) => u !== '').join(',');
}

function gtidFields(i: Instance) {
  const gtid = i.gtid;
  const use = i.replication?.gtidUse ?? 'no';
  const mysql = gtid?.flavor === 'mysql' ? gtid : undefined;
  return {
    GTIDMode: mysql?.mode ?? '',
    SupportsOracleGTID: mysql !== undefined && mysql.mode !== 'OFF',
    UsingOracleGTID: use === 'auto_position',
    UsingMariaDBGTID: use === 'current_pos' || use === 'slave_pos',
    ExecutedGtidSet: mysql?.executed ?? (gtid?.flavor === 'mariadb' ? gtid.currentPos : ''),
    GtidPurged: mysql?.purged ?? '',
  };
}

function semiSyncFields(i: Instance) {
  const s = i.semiSync;
  const newPlugins = newSemiSyncPlugins(i);
  return {
    SemiSyncEnforced: s?.enforced ?? false,
    SemiSyncAvailable: s !== undefined,
    SemiSyncPriority: s?.enforced === true ? 1 : 0,
    SemiSyncMasterPluginNewVersion: newPlugins,
    SemiSyncReplicaPluginNewVersion: newPlugins,
    SemiSyncMasterEnabled: s?.sourceEnabled ?? false,
    SemiSyncReplicaEnabled: s?.replicaEnabled ?? false,
    SemiSyncMasterTimeout: s?.sourceTimeoutMs ?? 0,
    SemiSyncMasterWaitForReplicaCount: s?.sourceWaitForReplicaCount ?? 0,
    SemiSyncMasterStatus: s?.sourceActive ?? false,
    SemiSyncMasterClients: s?.sourceClients ?? 0,
    SemiSyncReplicaStatus: s?.replicaActive ?? false,
  };
}

function freshnessFields(view: InstanceView, t: ViewTiming) {
  const i = view.instance;
  const seen = i.timing.lastSeenAt;
  return {
    LastSeenTimestamp: sqlDateTime(seen),
    IsLastCheckValid: isLastCheckValid(i),
    IsUpToDate: isUpToDate(i, t),
    IsRecentlyChecked: isRecentlyChecked(i, t),
    SecondsSinceLastSeen: nullInt(
      seen === undefined ? undefined : Math.max(0, Math.floor((t.now - seen) / 1000)),
    ),
    CountMySQLSnapshots: 0,
  };
}

function downtimeFields(view: InstanceView, t: ViewTiming) {
  const d = view.downtime;
  return {
    IsDowntimed: d !== undefined,
    DowntimeReason: d?.reason ?? '',
    DowntimeOwner: d?.owner ?? '',
    DowntimeEndTimestamp: sqlDateTime(d?.endsAt),
    ElapsedDowntime: d === undefined ? 0 : Math.max(0, t.now - d.beginsAt) * NS_PER_MS,
  };
}

function replicationFields(i: Instance) {
  const c = i.replication;
  const sqlRunning = c?.sqlThread === 'running';
  const ioRunning = c?.ioThread === 'running';
  return {
    MasterKey: c === undefined ? { ...NO_COMPAT_KEY } : compatKey(c.sourceKey),
    MasterUUID: c?.sourceUuid ?? '',
    AncestryUUID: ancestry(i),
    IsDetachedMaster: false,
    Slave_SQL_Running: sqlRunning,
    ReplicationSQLThreadRuning: sqlRunning,
    Slave_IO_Running: ioRunning,
    ReplicationIOThreadRuning: ioRunning,
    ReplicationSQLThreadState: threadState(c?.sqlThread),
    ReplicationIOThreadState: threadState(c?.ioThread),
  };
}

function identityFields(i: Instance) {
  return {
    Key: compatKey(i.key),
    InstanceAlias: i.alias ?? '',
    Uptime: i.uptimeSeconds ?? 0,
    ServerID: i.serverId,
    ServerUUID: i.serverUuid ?? '',
    Version: i.version.raw,
    VersionComment: i.versionComment,
    FlavorName: flavorName(i),
    ReadOnly: i.readOnly,
    Binlog_format: i.binlog.format ?? '',
    BinlogRowImage: i.binlog.rowImage ?? '',
    LogBinEnabled: i.binlog.logBin,
    LogSlaveUpdatesEnabled: i.binlog.logReplicaUpdates,
    LogReplicationUpdatesEnabled: i.binlog.logReplicaUpdates,
    SelfBinlogCoordinates: coordinates(i.binlog.selfCoordinates, 0),
  };
}

function positionFields(i: Instance) {
  const c = i.replication;
  const g = gtidFields(i);
  return {
    HasReplicationFilters:
      c !== undefined && (hasDataFilters(c.filters) || hasDomainFilters(c.filters)),
    GTIDMode: g.GTIDMode,
    SupportsOracleGTID: g.SupportsOracleGTID,
    UsingOracleGTID: g.UsingOracleGTID,
    UsingMariaDBGTID: g.UsingMariaDBGTID,
    UsingPseudoGTID: false,
    ReadBinlogCoordinates: coordinates(c?.readSourceCoordinates, 0),
    ExecBinlogCoordinates: coordinates(c?.execSourceCoordinates, 0),
    // TODO(topology): orc has no "detached" replica state (orchestrator's `//` master host).
    IsDetached: false,
    RelaylogCoordinates: coordinates(c?.relayLogCoordinates, 1),
    LastSQLError: quotedError(c?.lastSqlError),
    LastIOError: quotedError(c?.lastIoError),
    SecondsBehindMaster: nullInt(c?.secondsBehindSource),
    SQLDelay: c?.sqlDelaySeconds ?? 0,
    ExecutedGtidSet: g.ExecutedGtidSet,
    GtidPurged: g.GtidPurged,
    GtidErrant: i.gtidErrant,
    SlaveLagSeconds: nullInt(i.replicationLagSeconds),
    ReplicationLagSeconds: nullInt(i.replicationLagSeconds),
  };
}

function topologyFields(view: InstanceView) {
  const i = view.instance;
  return {
    SlaveHosts: i.replicas.map(compatKey),
    Replicas: i.replicas.map(compatKey),
    ClusterName: i.cluster.name,
    SuggestedClusterAlias: i.cluster.alias,
    DataCenter: i.placement.dataCenter ?? '',
    Region: i.placement.region ?? '',
    PhysicalEnvironment: i.placement.environment ?? '',
    ReplicationDepth: i.cluster.depth,
    IsCoMaster: view.isCoPrimary,
    // TODO(discovery): the probe does not read whether replication credentials are stored.
    HasReplicationCredentials: false,
    ReplicationCredentialsAvailable: false,
  };
}

/**
 * orchestrator's `Instance` JSON for a view, judged at `timing.now`. Keys come out in the Go
 * struct's order, so a byte-level diff against orchestrator's output lines up.
 */
export function toCompatInstance(view: InstanceView, timing: ViewTiming): CompatInstance {
  const i = view.instance;
  return {
    ...identityFields(i),
    ...replicationFields(i),
    ...positionFields(i),
    ...topologyFields(view),
    ...semiSyncFields(i),
    ...freshnessFields(view, timing),
    IsCandidate: view.isCandidate,
    PromotionRule: view.promotionRule,
    ...downtimeFields(view, timing),
    UnresolvedHostname: '',
    AllowTLS: false,
    Problems: [...view.problems],
    LastDiscoveryLatency: Math.round((i.timing.probeDurationMs ?? 0) * NS_PER_MS),
    ReplicationGroupName: '',
    ReplicationGroupIsSinglePrimary: false,
    ReplicationGroupMemberState: '',
    ReplicationGroupMemberRole: '',
    ReplicationGroupMembers: [],
    ReplicationGroupPrimaryInstanceKey: { ...NO_COMPAT_KEY },
  };
}

/** orchestrator's `ClusterInfo` for a cluster summary. */
export function toCompatClusterInfo(c: ClusterSummary): CompatClusterInfo {
  return {
    ClusterName: c.name,
    ClusterAlias: c.alias,
    ClusterDomain: c.domain,
    CountInstances: c.instanceCount,
    HeuristicLag: c.heuristicLagSeconds,
    HasAutomatedMasterRecovery: c.automatedPrimaryRecovery,
    HasAutomatedIntermediateMasterRecovery: c.automatedIntermediatePrimaryRecovery,
  };
}
