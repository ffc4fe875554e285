import type {
  BinlogSettings,
  GtidState,
  InstanceKey,
  PromotionRule,
  ReadTimes,
  ReplicationChannel,
  SemiSyncState,
  ServerVersion,
} from '../topology/index.js';
import type { MysqlError } from './errors.js';
import type { VocabularyId } from './flavor.js';

/**
 * What one server says about itself in one probe, and nothing more: no cluster, depth,
 * ancestry or errant GTIDs (those need other servers' facts; see assemble.ts and
 * topology/errant.ts). Times are epoch ms from the pool's Clock.
 */
export type ProbeResult = ProbeSuccess | ProbeFailure;

interface ProbeBase {
  /** The address probed. */
  readonly key: InstanceKey;
  /** When the probe began. */
  readonly attemptedAt: number;
  /** When it ended (success or not). */
  readonly checkedAt: number;
  readonly durationMs: number;
  /** When each part was read; undefined for parts not read. */
  readonly readAt: ReadTimes;
  /** Optional queries (lag, Detect*Query) that failed or answered nonsense; never fatal. */
  readonly warnings: readonly ProbeWarning[];
}

/** Every required part was read. */
export interface ProbeSuccess extends ProbeBase {
  readonly outcome: 'ok';
  readonly facts: ServerFacts;
}

/**
 * `failed`: nothing was read (no connection, or the first query did not answer). `partial`:
 * the identity query answered but a later required part failed (orchestrator's
 * `last_check_partial_success`); `facts` then holds what was read.
 */
export interface ProbeFailure extends ProbeBase {
  readonly outcome: 'partial' | 'failed';
  /** The failure that ended the probe, or the first part that failed. */
  readonly error: MysqlError;
  readonly facts: Partial<ServerFacts>;
}

/** The facts of one server, in orc's vocabulary. */
export interface ServerFacts {
  readonly identity: ServerIdentity;
  /** Which statements the server was asked, by release (flavor.ts). */
  readonly vocabulary: VocabularyId;
  readonly binlog: BinlogSettings;
  /** Undefined on servers without GTID support. */
  readonly gtid: GtidState | undefined;
  readonly uptimeSeconds: number | undefined;
  /** Undefined when no semi-sync plugin or variable is present. */
  readonly semiSync: SemiSyncState | undefined;
  /** The topology edge: the default connection, or the only one (replica-status.ts). */
  readonly replication: ReplicationChannel | undefined;
  /** Every other connection (MariaDB named connections, MySQL channels), never dropped. */
  readonly otherChannels: readonly ReplicationChannel[];
  /** `ReplicationLagQuery`'s answer on a replica when configured, else the edge's lag. */
  readonly replicationLagSeconds: number | undefined;
  /** Replicas registered with this server, or seen in its processlist. */
  readonly replicas: readonly ReplicaHost[];
  readonly metadata: ProbeMetadata;
}

/** Who the server is, from its variables: what discovery matches identities on. */
export interface ServerIdentity {
  readonly serverId: number;
  /** `@@server_uuid`; MariaDB has none. */
  readonly serverUuid: string | undefined;
  readonly hostname: string;
  readonly reportHost: string | undefined;
  readonly reportPort: number | undefined;
  readonly version: ServerVersion;
  readonly versionComment: string;
  readonly readOnly: boolean;
  /** Undefined where the variable does not exist (MariaDB). */
  readonly superReadOnly: boolean | undefined;
}

/**
 * A replica seen from its source. `replica-hosts`: SHOW SLAVE HOSTS / SHOW REPLICAS, the
 * address the replica reports (report_host/report_port) and its server_id. `processlist`: a
 * binlog dump thread's client host; the port is unknown there and taken to be the source's
 * own, as orchestrator does.
 */
export interface ReplicaHost {
  readonly key: InstanceKey;
  readonly serverId: number | undefined;
  readonly serverUuid: string | undefined;
  readonly via: 'replica-hosts' | 'processlist';
}

/** Answers of the optional Detect*Query settings; undefined when unset or empty. */
export interface ProbeMetadata {
  readonly dataCenter: string | undefined;
  readonly region: string | undefined;
  readonly environment: string | undefined;
  readonly alias: string | undefined;
  readonly promotionRule: PromotionRule | undefined;
  /** DetectSemiSyncEnforcedQuery: semi-sync priority, 0 = asynchronous. */
  readonly semiSyncPriority: number | undefined;
  /** Only asked of servers that replicate from nothing. */
  readonly clusterAlias: string | undefined;
  readonly clusterDomain: string | undefined;
}

export interface ProbeWarning {
  /** Which option's query: `replicationLagQuery`, `detectDataCenterQuery`, … */
  readonly query: keyof OptionalQueries;
  readonly error: MysqlError;
}

/** orchestrator's optional per-server queries, each returning one value. */
export interface OptionalQueries {
  readonly replicationLagQuery?: string | undefined;
  readonly detectDataCenterQuery?: string | undefined;
  readonly detectRegionQuery?: string | undefined;
  readonly detectPhysicalEnvironmentQuery?: string | undefined;
  readonly detectInstanceAliasQuery?: string | undefined;
  readonly detectPromotionRuleQuery?: string | undefined;
  readonly detectSemiSyncEnforcedQuery?: string | undefined;
  readonly detectClusterAliasQuery?: string | undefined;
  readonly detectClusterDomainQuery?: string | undefined;
}
