import {
  isLastCheckValid,
  isReplicating,
  versionSeries,
  type BinlogCoordinates,
  type Instance,
  type InstanceKey,
  type Placement,
  type ProbeErrorKind,
  type ProbeTiming,
} from '../topology/index.js';
import type { SourceEdge } from './edges.js';
import type { AnalysisSnapshot, ObservedInstance } from './input.js';
import { isFailingToConnect, isIoConnected, reportsSourceDown } from './link.js';
import { downtimeOf } from './records.js';

/** What a row's server is in its topology, as the rules see it. */
export type RowRole =
  'primary' | 'co-primary' | 'intermediate-primary' | 'replica' | 'group-member';

/** orchestrator's ClusterInfo for a row, in orc's words. */
export interface ClusterFacts {
  readonly name: string;
  readonly alias: string;
  /** DetectClusterDomainQuery's result, else the cluster name (as orchestrator reports it). */
  readonly domain: string;
  readonly countInstances: number;
  /** The highest replication lag among the cluster's servers, in seconds. */
  readonly heuristicLagSeconds: number;
  readonly hasAutomatedPrimaryRecovery: boolean;
  readonly hasAutomatedIntermediatePrimaryRecovery: boolean;
}

export interface DowntimeFacts {
  readonly active: boolean;
  readonly owner: string | undefined;
  readonly reason: string | undefined;
  readonly endAt: number | undefined;
}

/** orchestrator's per-row counters over the row's replicas (§4.1), plus orc's evidence ones. */
export interface ReplicaCounts {
  readonly countReplicas: number;
  /** Replicas whose own last check succeeded. */
  readonly countValidReplicas: number;
  /** Valid replicas with both threads running. */
  readonly countValidReplicatingReplicas: number;
  /** orchestrator's: valid, IO not running, SQL running, IO error is a connect error. */
  readonly countReplicasFailingToConnect: number;
  /** orc: valid, IO not running with a connect error, whatever the SQL thread does. */
  readonly countReplicasReportingSourceDown: number;
  /** orc: valid, IO thread connected to this server now. */
  readonly countReplicasIoConnected: number;
  readonly countDowntimedReplicas: number;
  /** Replicas (valid or not) lagging more than ReasonableReplicationLagSeconds. */
  readonly countLaggingReplicas: number;
  /** Replicas with SQL_Delay > 0. */
  readonly countDelayedReplicas: number;
  readonly countSemiSyncReplicasEnabled: number;
  /** Replicas with log_bin and log_slave_updates, then those by binlog format. */
  readonly countLoggingReplicas: number;
  readonly countStatementLoggingReplicas: number;
  readonly countMixedLoggingReplicas: number;
  readonly countRowLoggingReplicas: number;
  readonly countDistinctLoggingMajorVersions: number;
  readonly countValidOracleGtidReplicas: number;
  readonly countValidMariaDbGtidReplicas: number;
  readonly countValidBinlogServerReplicas: number;
  /** Smallest / largest replica gtid_mode text ('' on MariaDB), as SQL MIN/MAX compare. */
  readonly minReplicaGtidMode: string;
  readonly maxReplicaGtidMode: string;
  /** Largest errant GTID text among replicas not downtimed; '' when none has any. */
  readonly maxReplicaGtidErrant: string;
}

/**
 * Everything the rules look at for one analysed server (a "row"): orchestrator's
 * ReplicationAnalysis inputs in orc's vocabulary. Plain data, safe to store with a detection.
 */
export interface RowFacts extends ReplicaCounts {
  readonly key: InstanceKey;
  /** Where the server replicates from, as it reports it; undefined for a primary. */
  readonly sourceKey: InstanceKey | undefined;
  readonly role: RowRole;
  readonly cluster: ClusterFacts;
  readonly isPrimary: boolean;
  readonly isCoPrimary: boolean;
  readonly isGroupMember: boolean;
  /** Its key is the cluster name (orders rows like orchestrator). */
  readonly isClusterPrimary: boolean;
  readonly isBinlogServer: boolean;
  readonly lastCheckValid: boolean;
  readonly lastCheckPartialSuccess: boolean;
  /** Why its last probe failed, only while the last check is invalid. */
  readonly probeError: ProbeErrorKind | undefined;
  readonly replicationDepth: number;
  readonly isFailingToConnectToSource: boolean;
  readonly downtime: DowntimeFacts;
  readonly replicaKeys: readonly InstanceKey[];
  readonly oracleGtidImmediateTopology: boolean;
  readonly mariaDbGtidImmediateTopology: boolean;
  readonly binlogServerImmediateTopology: boolean;
  readonly pseudoGtidImmediateTopology: boolean;
  readonly semiSync: SemiSyncFacts;
  /** Binlog position unchanged since recorded, for longer than the locked-semi-sync limit. */
  readonly staleBinlogCoordinates: boolean;
  readonly gtidMode: string;
  readonly readOnly: boolean;
  readonly selfCoordinates: BinlogCoordinates | undefined;
  readonly placement: Placement;
}

export interface SemiSyncFacts {
  readonly enabled: boolean;
  readonly active: boolean;
  readonly waitForReplicaCount: number;
  readonly clients: number;
}

/** A row with the observations it was computed from (for explanations). */
export interface Row {
  readonly facts: RowFacts;
  readonly subject: ObservedInstance;
  readonly replicas: readonly ObservedInstance[];
  readonly sourceEdge: SourceEdge | undefined;
}

/**
 * orchestrator's `is_last_check_valid` for an analysed server: the last check did not fail
 * (`lastCheckedAt ≤ lastSeenAt`) and no probe has been pending for longer than
 * InstancePollSeconds + 1 s since it was last seen (a hung probe makes it invalid too).
 */
export function isRowCheckValid(timing: ProbeTiming, instancePollSeconds: number): boolean {
  const { lastAttemptedAt, lastCheckedAt, lastSeenAt } = timing;
  if (lastSeenAt === undefined) return false;
  if (lastCheckedAt !== undefined && lastCheckedAt > lastSeenAt) return false;
  const window = (instancePollSeconds + 1) * 1000;
  return lastAttemptedAt === undefined || lastAttemptedAt <= lastSeenAt + window;
}

/** The `gtid_mode` text orchestrator stores: MySQL's mode, '' elsewhere. */
export function gtidModeOf(i: Instance): string {
  return i.gtid?.flavor === 'mysql' ? i.gtid.mode : '';
}

function count<T>(items: readonly T[], pred: (t: T) => boolean): number {
  return items.reduce((n, t) => (pred(t) ? n + 1 : n), 0);
}

function minMax(values: readonly string[]): [string, string] {
  if (values.length === 0) return ['', ''];
  const sorted = [...values].sort();
  return [sorted[0] ?? '', sorted[sorted.length - 1] ?? ''];
}

function loggingCounts(replicas: readonly Instance[]) {
  const logging = replicas.filter((r) => r.binlog.logBin && r.binlog.logReplicaUpdates);
  return {
    countLoggingReplicas: logging.length,
    countStatementLoggingReplicas: count(logging, (r) => r.binlog.format === 'STATEMENT'),
    countMixedLoggingReplicas: count(logging, (r) => r.binlog.format === 'MIXED'),
    countRowLoggingReplicas: count(logging, (r) => r.binlog.format === 'ROW'),
    countDistinctLoggingMajorVersions: new Set(logging.map((r) => versionSeries(r.version))).size,
  };
}

/** The counters over one row's replicas. */
export function countReplicas(
  replicas: readonly ObservedInstance[],
  snapshot: AnalysisSnapshot,
): ReplicaCounts {
  const all = replicas.map((o) => o.instance);
  const valid = replicas.filter((o) => isLastCheckValid(o.instance));
  const validI = valid.map((o) => o.instance);
  const downtimed = (i: Instance) => downtimeOf(snapshot, i.key);
  const lagLimit = snapshot.settings.reasonableReplicationLagSeconds;
  const [minMode, maxMode] = minMax(all.map(gtidModeOf));
  const errants = all.filter((i) => downtimed(i) === undefined).map((i) => i.gtidErrant);
  return {
    countReplicas: all.length,
    countValidReplicas: valid.length,
    countValidReplicatingReplicas: count(validI, isReplicating),
    countReplicasFailingToConnect: count(validI, (i) => isFailingToConnect(i.replication)),
    countReplicasReportingSourceDown: count(validI, (i) => reportsSourceDown(i.replication)),
    countReplicasIoConnected: count(validI, (i) => isIoConnected(i.replication)),
    countDowntimedReplicas: count(all, (i) => downtimed(i) !== undefined),
    countLaggingReplicas: count(all, (i) => (i.replicationLagSeconds ?? -1) > lagLimit),
    countDelayedReplicas: count(all, (i) => (i.replication?.sqlDelaySeconds ?? 0) > 0),
    countSemiSyncReplicasEnabled: count(all, (i) => i.semiSync?.replicaEnabled === true),
    ...loggingCounts(all),
    countValidOracleGtidReplicas: count(validI, (i) => i.replication?.gtidUse === 'auto_position'),
    countValidMariaDbGtidReplicas: count(validI, (i) => {
      const use = i.replication?.gtidUse;
      return use === 'current_pos' || use === 'slave_pos';
    }),
    countValidBinlogServerReplicas: count(valid, (o) => o.binlogServer === true),
    minReplicaGtidMode: minMode,
    maxReplicaGtidMode: maxMode,
    maxReplicaGtidErrant: minMax(errants)[1],
  };
}
