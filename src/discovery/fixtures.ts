/**
 * Test fixtures for discovery: a fleet of fake servers, each reachable under any number of
 * addresses (its own, proxies, VIPs), answering probes with the facts a real probe would
 * read. Every server is MariaDB 10.11. Used by *.test.ts only.
 */
import type { Clock } from '../common/clock.js';
import {
  MysqlError,
  type ProbeMetadata,
  type ProbeResult,
  type ReplicaHost,
  type ServerFacts,
} from '../mysql/index.js';
import {
  formatInstanceKey,
  instanceKeyId,
  NO_REPLICATION_FILTERS,
  parseInstanceKey,
  parseServerVersion,
  type InstanceKey,
  type ReplicationChannel,
} from '../topology/index.js';

export interface FakeServer {
  readonly serverId: number;
  readonly hostname?: string;
  readonly reportHost?: string;
  readonly reportPort?: number;
  /** The address its replication connection uses (a proxy or VIP is fine). */
  readonly source?: string;
  /** Master_Server_Id its connection reports; default: the server behind `source`. */
  readonly sourceServerId?: number;
  /** What SHOW SLAVE HOSTS lists (addresses as the replicas report them). */
  readonly replicas?: readonly string[];
  readonly metadata?: Partial<ProbeMetadata>;
}

const NO_METADATA: ProbeMetadata = {
  dataCenter: undefined,
  region: undefined,
  environment: undefined,
  alias: undefined,
  promotionRule: undefined,
  semiSyncPriority: undefined,
  clusterAlias: undefined,
  clusterDomain: undefined,
};

/** Parses `host:port` with port 3306 by default. */
export function key(text: string): InstanceKey {
  return parseInstanceKey(text, 3306);
}

/**
 * Servers by name and the addresses that reach them. `down` servers refuse connections
 * (errno 2003 → unreachable). `probes` logs every probed address in order.
 */
export class FakeFleet {
  readonly servers = new Map<string, FakeServer>();
  private readonly addresses = new Map<string, string>();
  readonly down = new Set<string>();
  readonly probes: string[] = [];

  constructor(private readonly clock: Clock) {}

  /** Adds server `name`, reachable at each of `addresses`. */
  add(name: string, server: FakeServer, ...addresses: string[]): this {
    this.servers.set(name, server);
    for (const a of addresses) this.addresses.set(instanceKeyId(key(a)), name);
    return this;
  }

  /** Makes `address` reach server `name` (a VIP moving), or nothing (undefined). */
  route(address: string, name: string | undefined): void {
    const id = instanceKeyId(key(address));
    if (name === undefined) this.addresses.delete(id);
    else this.addresses.set(id, name);
  }

  serverAt(address: InstanceKey): string | undefined {
    return this.addresses.get(instanceKeyId(address));
  }

  readonly probe = (k: InstanceKey): Promise<ProbeResult> => {
    const id = formatInstanceKey(k);
    this.probes.push(id);
    const at = this.clock.now();
    const name = this.addresses.get(id);
    const server = name === undefined ? undefined : this.servers.get(name);
    const stamps = { key: k, attemptedAt: at, checkedAt: at, durationMs: 1 };
    const readAt = { variables: at, binlogStatus: at, replicaStatus: at, replicas: at };
    if (name === undefined || server === undefined || this.down.has(name)) {
      const error = new MysqlError('MYSQL_UNREACHABLE', `cannot connect to ${id} failed: refused`, {
        errno: 2003,
        context: { instance: id },
      });
      const none = { variables: undefined, binlogStatus: undefined, replicaStatus: undefined };
      return Promise.resolve({
        ...stamps,
        outcome: 'failed',
        error,
        facts: {},
        readAt: { ...none, replicas: undefined },
        warnings: [],
      });
    }
    return Promise.resolve({
      ...stamps,
      outcome: 'ok',
      facts: this.facts(server),
      readAt,
      warnings: [],
    });
  };

  private facts(s: FakeServer): ServerFacts {
    const sourceName = s.source === undefined ? undefined : this.serverAt(key(s.source));
    const sourceId = sourceName === undefined ? undefined : this.servers.get(sourceName)?.serverId;
    return {
      identity: {
        serverId: s.serverId,
        serverUuid: undefined,
        hostname: s.hostname ?? 'fake-host',
        reportHost: s.reportHost,
        reportPort: s.reportPort,
        version: parseServerVersion('10.11.19-MariaDB-log'),
        versionComment: 'fake',
        readOnly: s.source !== undefined,
        superReadOnly: undefined,
      },
      vocabulary: 'mariadb',
      binlog: {
        logBin: true,
        logReplicaUpdates: true,
        format: 'ROW',
        rowImage: 'FULL',
        selfCoordinates: { file: 'bin.000001', pos: 100 },
      },
      gtid: undefined,
      uptimeSeconds: 100,
      semiSync: undefined,
      replication:
        s.source === undefined
          ? undefined
          : channel(key(s.source), s.sourceServerId ?? sourceId ?? undefined),
      otherChannels: [],
      replicationLagSeconds: 0,
      replicas: (s.replicas ?? []).map((r): ReplicaHost => ({
        key: key(r),
        serverId: undefined,
        serverUuid: undefined,
        via: 'replica-hosts',
      })),
      metadata: { ...NO_METADATA, ...s.metadata },
    };
  }
}

/** A running replication connection to `source` reporting `serverId` as its source's id. */
export function channel(source: InstanceKey, serverId: number | undefined): ReplicationChannel {
  return {
    name: '',
    sourceKey: source,
    sourceServerId: serverId,
    sourceUuid: undefined,
    ioThread: 'running',
    sqlThread: 'running',
    ioStateText: 'Waiting for master to send event',
    sqlStateText: 'Slave has read all relay log',
    lastIoError: undefined,
    lastSqlError: undefined,
    readSourceCoordinates: { file: 'bin.000001', pos: 100 },
    execSourceCoordinates: { file: 'bin.000001', pos: 100 },
    relayLogCoordinates: undefined,
    secondsBehindSource: 0,
    sqlDelaySeconds: 0,
    gtidUse: 'slave_pos',
    gtidIoPos: '',
    retrievedGtidSet: '',
    filters: NO_REPLICATION_FILTERS,
    sslEnabled: false,
  };
}
