import type { BinlogCoordinates } from './binlog.js';
import { instanceKeyId, instanceKeysEqual, type InstanceKey } from './instance-key.js';
import type { PromotionRule } from './promotion-rule.js';
import { isChannelReplicating, type ReplicationChannel } from './replication.js';
import type { ServerVersion } from './version.js';

/**
 * What orc knows about one server after probing it, modelled on orchestrator's
 * `database_instance` row but in orc's vocabulary (primary/replica, source). Plain readonly
 * data: the discovery layer builds it, the backend stores it, analysis reads it. Times are
 * epoch milliseconds from the injected Clock. Texts of GTIDs are canonical (as formatted by
 * gtid-mysql.ts / gtid-mariadb.ts) so that they can be compared as strings.
 */
export interface Instance {
  /** The address orc probes. A name, not the identity: see serverId/serverUuid. */
  readonly key: InstanceKey;
  /** `@@server_id`: with serverUuid, what identifies the server whatever its names. */
  readonly serverId: number;
  /** `@@server_uuid` (MySQL; MariaDB has none, so undefined there). */
  readonly serverUuid: string | undefined;
  /** `@@hostname`. */
  readonly hostname: string;
  /** `@@report_host` / `@@report_port` when set. */
  readonly reportHost: string | undefined;
  readonly reportPort: number | undefined;
  /** orchestrator's instance alias (DetectInstanceAliasQuery), when configured. */
  readonly alias: string | undefined;
  /** `@@version`, read; the flavor (MariaDB, MySQL, Percona) is `version.flavor`. */
  readonly version: ServerVersion;
  readonly versionComment: string;
  readonly uptimeSeconds: number | undefined;

  readonly readOnly: boolean;
  /** `@@super_read_only`; undefined where the server has no such variable (MariaDB). */
  readonly superReadOnly: boolean | undefined;

  readonly binlog: BinlogSettings;
  /** Undefined on servers without GTID support. */
  readonly gtid: GtidState | undefined;
  /**
   * Errant transactions relative to the primary (gtid-mysql.ts `mysqlErrantGtids`, or the
   * `errant` GTIDs of gtid-mariadb-errant.ts), as canonical text; '' when none or not known.
   */
  readonly gtidErrant: string;

  /**
   * The connection orc treats as this server's edge in the topology: the default connection
   * (name ''), or the only one. Undefined for a server that replicates from nothing.
   */
  readonly replication: ReplicationChannel | undefined;
  /** Further multi-source connections (MariaDB named connections, MySQL channels). */
  readonly otherChannels: readonly ReplicationChannel[];
  /** Lag from `ReplicationLagQuery` (e.g. pt-heartbeat), else `Seconds_Behind_Master`. */
  readonly replicationLagSeconds: number | undefined;
  /** Undefined when the semi-sync plugin is not loaded. */
  readonly semiSync: SemiSyncState | undefined;
  /** The servers found replicating from this one (SHOW SLAVE HOSTS or the processlist). */
  readonly replicas: readonly InstanceKey[];

  readonly placement: Placement;
  readonly promotionRule: PromotionRule;
  readonly cluster: ClusterMembership;
  readonly timing: ProbeTiming;
}

export type BinlogFormat = 'STATEMENT' | 'MIXED' | 'ROW';
export type BinlogRowImage = 'FULL' | 'MINIMAL' | 'NOBLOB';

/** Whether and how the server writes its own binary log. */
export interface BinlogSettings {
  readonly logBin: boolean;
  /** `@@log_slave_updates` / `@@log_replica_updates`: replicated changes are logged too. */
  readonly logReplicaUpdates: boolean;
  readonly format: BinlogFormat | undefined;
  readonly rowImage: BinlogRowImage | undefined;
  /** `SHOW MASTER STATUS`; undefined when the binary log is off. */
  readonly selfCoordinates: BinlogCoordinates | undefined;
}

export type GtidState = MariaDbGtidState | MysqlGtidState;

/** MariaDB's GTID variables; positions as canonical text ('' when empty). */
export interface MariaDbGtidState {
  readonly flavor: 'mariadb';
  /** `@@gtid_current_pos`: what to compare servers on. */
  readonly currentPos: string;
  readonly binlogPos: string;
  /** `@@gtid_slave_pos`; survives RESET SLAVE ALL, so it may be stale. */
  readonly slavePos: string;
  /** `@@gtid_binlog_state` when probed, else undefined. */
  readonly binlogState: string | undefined;
  readonly domainId: number;
  readonly strictMode: boolean;
}

export type MysqlGtidMode = 'OFF' | 'OFF_PERMISSIVE' | 'ON_PERMISSIVE' | 'ON';

/** Oracle MySQL / Percona GTID variables; sets as canonical text ('' when empty). */
export interface MysqlGtidState {
  readonly flavor: 'mysql';
  readonly mode: MysqlGtidMode;
  readonly executed: string;
  readonly purged: string;
}

/** Semi-synchronous replication, both as a source and as a replica. */
export interface SemiSyncState {
  /** `rpl_semi_sync_master_enabled` (source side configured). */
  readonly sourceEnabled: boolean;
  /** `Rpl_semi_sync_master_status`: the source is waiting for acknowledgements now. */
  readonly sourceActive: boolean;
  /** `Rpl_semi_sync_master_clients`: semi-sync replicas connected. */
  readonly sourceClients: number;
  /** `rpl_semi_sync_master_wait_for_slave_count` (MySQL; 1 on MariaDB). */
  readonly sourceWaitForReplicaCount: number;
  readonly sourceTimeoutMs: number;
  readonly replicaEnabled: boolean;
  /** `Rpl_semi_sync_slave_status`. */
  readonly replicaActive: boolean;
  /** From orchestrator's DetectSemiSyncEnforcedQuery; false when not configured. */
  readonly enforced: boolean;
}

/** Where the server runs, from the Detect*Query settings or hostname patterns. */
export interface Placement {
  readonly dataCenter: string | undefined;
  readonly region: string | undefined;
  readonly environment: string | undefined;
}

/** Attributes derived from the topology, not read from the server itself. */
export interface ClusterMembership {
  /** The key id of the cluster's primary; changes after a failover. */
  readonly name: string;
  /** Override, DetectClusterAliasQuery, or the name. */
  readonly alias: string;
  /** DetectClusterDomainQuery (the writer's VIP or CNAME), when configured. */
  readonly domain: string | undefined;
  /** 0 for the primary, 1 for its replicas, and so on. */
  readonly depth: number;
  /** server_uuids / server_ids of the servers above this one, nearest first (errant checks). */
  readonly ancestryUuids: readonly string[];
  readonly ancestryServerIds: readonly number[];
}

/** When each part of the last probe was read: the moment its facts are true for. */
export interface ReadTimes {
  readonly variables: number | undefined;
  readonly binlogStatus: number | undefined;
  readonly replicaStatus: number | undefined;
  readonly replicas: number | undefined;
}

/**
 * Probe bookkeeping, as orchestrator keeps it: a failed probe moves lastAttemptedAt and
 * lastCheckedAt but not lastSeenAt, so `lastCheckedAt > lastSeenAt` means the last check failed.
 */
export interface ProbeTiming {
  readonly lastAttemptedAt: number | undefined;
  readonly lastCheckedAt: number | undefined;
  readonly lastSeenAt: number | undefined;
  /** The first query of the last probe answered, even if later ones failed. */
  readonly partialSuccess: boolean;
  readonly probeDurationMs: number | undefined;
  readonly readAt: ReadTimes;
}

/** True when the server is configured to replicate from some source (running or not). */
export function isReplica(i: Instance): boolean {
  return i.replication !== undefined;
}

/** True when its topology connection has both threads running. */
export function isReplicating(i: Instance): boolean {
  return i.replication !== undefined && isChannelReplicating(i.replication);
}

/** True when it replicates through more than one connection. */
export function isMultiSource(i: Instance): boolean {
  return i.otherChannels.length > 0;
}

/** Its topology connection first, then the others. */
export function allChannels(i: Instance): readonly ReplicationChannel[] {
  return i.replication === undefined ? i.otherChannels : [i.replication, ...i.otherChannels];
}

/** True when its topology connection positions itself by GTID rather than file:pos. */
export function usesGtidReplication(i: Instance): boolean {
  return i.replication !== undefined && i.replication.gtidUse !== 'no';
}

/**
 * orchestrator's `IsLastCheckValid`: the server has been seen and the last check did not fail
 * (`lastCheckedAt ≤ lastSeenAt`). False for a server never seen.
 */
export function isLastCheckValid(i: Instance): boolean {
  const { lastCheckedAt, lastSeenAt } = i.timing;
  if (lastSeenAt === undefined) return false;
  return lastCheckedAt === undefined || lastCheckedAt <= lastSeenAt;
}

/**
 * True when `i` and its source replicate from each other (co-primaries). `byKeyId` maps
 * `instanceKeyId` to instances; false when the source is not in it.
 */
export function isCoPrimary(i: Instance, byKeyId: ReadonlyMap<string, Instance>): boolean {
  if (i.replication === undefined) return false;
  const source = byKeyId.get(instanceKeyId(i.replication.sourceKey));
  return (
    source?.replication !== undefined && instanceKeysEqual(source.replication.sourceKey, i.key)
  );
}

/**
 * Whether `candidate` is really the server `replica` replicates from, judged by identity
 * rather than names: `confirmed` when the server_id the replica's connection reports (and the
 * uuid, when both are known) match the candidate's, `mismatch` when one differs, `unknown`
 * when the replica reports no source server_id (e.g. it never connected).
 */
export function sourceIdentity(
  replica: Instance,
  candidate: Instance,
): 'confirmed' | 'mismatch' | 'unknown' {
  const c = replica.replication;
  if (c?.sourceServerId === undefined) return 'unknown';
  if (c.sourceServerId !== candidate.serverId) return 'mismatch';
  const uuid = candidate.serverUuid;
  if (c.sourceUuid !== undefined && uuid !== undefined) {
    return c.sourceUuid.toLowerCase() === uuid.toLowerCase() ? 'confirmed' : 'mismatch';
  }
  return 'confirmed';
}
