/**
 * Test fixtures for analysis: concise builders of servers, replication links and snapshots.
 * Every server is MariaDB 10.11 on 127.0.0.1 with server_id equal to its port, checked
 * successfully one second before NOW unless a builder says otherwise. Used by *.test.ts only.
 */
import {
  instanceKey,
  parseServerVersion,
  type Instance,
  type ProbeErrorKind,
  type ReplicationChannel,
  type ReplicationError,
} from '../topology/index.js';
import { NO_REPLICATION_FILTERS } from '../topology/index.js';
import {
  DEFAULT_ANALYSIS_SETTINGS,
  type AnalysisSettings,
  type AnalysisSnapshot,
  type DowntimeRecord,
  type MaintenanceRecord,
  type ObservedInstance,
} from './input.js';

export const NOW = 1_700_000_000_000;
const SECOND = 1000;

/** What MariaDB reports once its primary is gone (measured, mariadb-sandbox.md). */
export const MARIADB_CONNECT_ERROR: ReplicationError = {
  errno: 2003,
  message:
    "error reconnecting to master 'repl@127.0.0.1:23306' - retry-time: 1  maximum-retries: " +
    "100000  message: Can't connect to server on '127.0.0.1' (111 \"Connection refused\")",
  at: undefined,
};

/** MySQL 8.0.26+ wording, which says "source". */
export const MYSQL8_CONNECT_ERROR: ReplicationError = {
  errno: 2003,
  message:
    "Error connecting to source 'repl@127.0.0.1:3306'. This was attempt 1/86400, with a " +
    "delay of 1 seconds between attempts. Message: Can't connect to MySQL server (111)",
  at: undefined,
};

/** Replication link states, as partial channels. */
export const link = {
  replicating: {},
  failingToConnect: {
    ioThread: 'connecting',
    sqlThread: 'running',
    ioStateText: 'Reconnecting after a failed master event read',
    lastIoError: MARIADB_CONNECT_ERROR,
    secondsBehindSource: undefined,
  },
  /** STOP SLAVE by a person or a backup tool: both threads stopped, no error. */
  stoppedByHand: {
    ioThread: 'stopped',
    sqlThread: 'stopped',
    ioStateText: '',
    sqlStateText: '',
    secondsBehindSource: undefined,
  },
  /** A backup tool stopped only the SQL thread, then the source went away. */
  sqlStoppedSourceGone: {
    ioThread: 'connecting',
    sqlThread: 'stopped',
    lastIoError: MARIADB_CONNECT_ERROR,
    secondsBehindSource: undefined,
  },
  /** The SQL thread broke; the IO thread is still connected. */
  sqlBroken: {
    sqlThread: 'stopped',
    lastSqlError: { errno: 1062, message: "Duplicate entry '1' for key 'PRIMARY'", at: undefined },
    secondsBehindSource: undefined,
  },
} as const satisfies Record<string, Partial<ReplicationChannel>>;

const healthy = {
  lastAttemptedAt: NOW - 2 * SECOND,
  lastCheckedAt: NOW - SECOND,
  lastSeenAt: NOW - SECOND,
  partialSuccess: true,
  probeDurationMs: 5,
  readAt: {
    variables: NOW - 1_500,
    binlogStatus: NOW - 1_400,
    replicaStatus: NOW - 1_300,
    replicas: NOW - 1_200,
  },
};

/** A MariaDB primary at 127.0.0.1:port, writable, binlog on, GTID strict mode. */
export function server(port: number, over: Partial<Instance> = {}): Instance {
  const key = instanceKey('127.0.0.1', port);
  return {
    key,
    serverId: port,
    serverUuid: undefined,
    hostname: `host-${port}`,
    reportHost: undefined,
    reportPort: undefined,
    alias: undefined,
    version: parseServerVersion('10.11.6-MariaDB-0+deb12u1'),
    versionComment: 'Debian 12',
    uptimeSeconds: 3600,
    readOnly: false,
    superReadOnly: undefined,
    binlog: {
      logBin: true,
      logReplicaUpdates: true,
      format: 'ROW',
      rowImage: 'FULL',
      selfCoordinates: { file: 'mysqld-bin.000002', pos: 1234 },
    },
    gtid: {
      flavor: 'mariadb',
      currentPos: '0-23306-100',
      binlogPos: '0-23306-100',
      slavePos: '',
      binlogState: undefined,
      domainId: 0,
      strictMode: true,
    },
    gtidErrant: '',
    replication: undefined,
    otherChannels: [],
    replicationLagSeconds: undefined,
    semiSync: undefined,
    replicas: [],
    placement: { dataCenter: undefined, region: undefined, environment: undefined },
    promotionRule: 'neutral',
    cluster: {
      name: `127.0.0.1:${port}`,
      alias: `127.0.0.1:${port}`,
      domain: undefined,
      depth: 0,
      ancestryUuids: [],
      ancestryServerIds: [],
    },
    timing: healthy,
    ...over,
  };
}

/** A primary, observed healthy. */
export function primary(port = 23306, over: Partial<Instance> = {}): ObservedInstance {
  return { instance: server(port, over) };
}

export interface ReplicaOptions {
  readonly link?: Partial<ReplicationChannel>;
  readonly over?: Partial<Instance>;
}

/** A replica of `source` (same cluster, one level deeper), replicating unless `link` says. */
export function replica(
  port: number,
  source: ObservedInstance,
  options: ReplicaOptions = {},
): ObservedInstance {
  const s = source.instance;
  const replication: ReplicationChannel = {
    name: '',
    sourceKey: s.key,
    sourceServerId: s.serverId,
    sourceUuid: s.serverUuid,
    ioThread: 'running',
    sqlThread: 'running',
    ioStateText: 'Waiting for master to send event',
    sqlStateText: 'Slave has read all relay log; waiting for more updates',
    lastIoError: undefined,
    lastSqlError: undefined,
    readSourceCoordinates: s.binlog.selfCoordinates,
    execSourceCoordinates: s.binlog.selfCoordinates,
    relayLogCoordinates: { file: 'mysqld-relay-bin.000003', pos: 600 },
    secondsBehindSource: 0,
    sqlDelaySeconds: 0,
    gtidUse: 'slave_pos',
    gtidIoPos: s.gtid?.flavor === 'mariadb' ? s.gtid.currentPos : '',
    retrievedGtidSet: '',
    filters: NO_REPLICATION_FILTERS,
    sslEnabled: false,
    ...options.link,
  };
  const instance = server(port, {
    readOnly: true,
    replication,
    replicationLagSeconds: replication.secondsBehindSource,
    cluster: { ...s.cluster, depth: s.cluster.depth + 1 },
    ...options.over,
  });
  return { instance };
}

/** The same server whose last probe failed (`kind`), seen fine 7 s before NOW. */
export function down(
  o: ObservedInstance,
  kind: ProbeErrorKind = 'unreachable',
  options: { readonly partialSuccess?: boolean } = {},
): ObservedInstance {
  const timing = {
    ...o.instance.timing,
    lastAttemptedAt: NOW - 2 * SECOND,
    lastCheckedAt: NOW - SECOND,
    lastSeenAt: NOW - 7 * SECOND,
    partialSuccess: options.partialSuccess ?? false,
  };
  const messages: Record<ProbeErrorKind, string> = {
    unreachable: 'connect ECONNREFUSED 127.0.0.1',
    timeout: 'connect ETIMEDOUT',
    'too-many-connections': 'Too many connections',
    'access-denied': "Access denied for user 'orc'@'127.0.0.1'",
    'host-blocked': "Host '127.0.0.1' is blocked because of many connection errors",
    other: 'unknown error',
  };
  return {
    ...o,
    instance: { ...o.instance, timing },
    lastProbeError: { kind, message: messages[kind], at: NOW - SECOND },
  };
}

/** Changes fields of the observed server. */
export function withInstance(o: ObservedInstance, over: Partial<Instance>): ObservedInstance {
  return { ...o, instance: { ...o.instance, ...over } };
}

/** A downtime of `o` that ends `minutes` after NOW (expired when negative). */
export function downtime(o: ObservedInstance, minutes = 10): DowntimeRecord {
  return {
    key: o.instance.key,
    owner: 'dba',
    reason: 'backup',
    beginAt: NOW - 60 * SECOND,
    endAt: NOW + minutes * 60 * SECOND,
  };
}

/** A maintenance lock on `o` that ends `minutes` after NOW. */
export function maintenance(o: ObservedInstance, minutes = 10): MaintenanceRecord {
  return {
    key: o.instance.key,
    owner: 'orc',
    reason: 'relocate',
    beginAt: NOW - 60 * SECOND,
    endAt: NOW + minutes * 60 * SECOND,
  };
}

export interface SnapshotOptions {
  readonly downtimes?: readonly DowntimeRecord[];
  readonly maintenances?: readonly MaintenanceRecord[];
  readonly binlogPositionRecords?: AnalysisSnapshot['binlogPositionRecords'];
  readonly settings?: Partial<AnalysisSettings>;
}

/** A snapshot at NOW of the given servers, with default settings unless overridden. */
export function snapshot(
  instances: readonly ObservedInstance[],
  options: SnapshotOptions = {},
): AnalysisSnapshot {
  return {
    now: NOW,
    instances,
    downtimes: options.downtimes ?? [],
    maintenances: options.maintenances ?? [],
    binlogPositionRecords: options.binlogPositionRecords ?? [],
    settings: { ...DEFAULT_ANALYSIS_SETTINGS, ...options.settings },
  };
}
