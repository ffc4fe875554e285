import {
  instanceKey,
  NO_REPLICATION_FILTERS,
  parseServerVersion,
  type Instance,
  type InstanceKey,
  type ReplicationChannel,
} from '../../topology/index.js';

/**
 * Instances for the backend's tests: a MariaDB primary with most optional fields undefined,
 * and replicas with every nested structure filled, so a round trip through a row exercises
 * undefined, nested objects, arrays and numbers.
 */

export const T0 = 1_700_000_000_000;

export function key(port: number, host = '127.0.0.1'): InstanceKey {
  return instanceKey(host, port);
}

export function channel(source: InstanceKey, over: Partial<ReplicationChannel> = {}) {
  const c: ReplicationChannel = {
    name: '',
    sourceKey: source,
    sourceServerId: 1,
    sourceUuid: '3e11fa47-71ca-11e1-9e33-c80aa9429562',
    ioThread: 'running',
    sqlThread: 'running',
    ioStateText: 'Waiting for master to send event',
    sqlStateText: 'Slave has read all relay log',
    lastIoError: undefined,
    lastSqlError: { errno: 1062, message: "Duplicate entry '1' for key 'PRIMARY'", at: undefined },
    readSourceCoordinates: { file: 'mysql-bin.000002', pos: 1234 },
    execSourceCoordinates: { file: 'mysql-bin.000002', pos: 1200 },
    relayLogCoordinates: undefined,
    secondsBehindSource: 3,
    sqlDelaySeconds: 0,
    gtidUse: 'auto_position',
    gtidIoPos: '',
    retrievedGtidSet: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
    filters: { ...NO_REPLICATION_FILTERS, doDbs: ['app'], ignoreServerIds: [7] },
    sslEnabled: true,
    ...over,
  };
  return c;
}

/** A MariaDB primary on 127.0.0.1:`port`, seen at T0 + 10. */
export function primary(port: number, over: Partial<Instance> = {}): Instance {
  return {
    key: key(port),
    serverId: port,
    serverUuid: undefined,
    hostname: 'db-primary',
    reportHost: undefined,
    reportPort: undefined,
    alias: undefined,
    version: parseServerVersion('10.11.19-MariaDB-0+deb12u1'),
    versionComment: 'Debian 12',
    uptimeSeconds: 60,
    readOnly: false,
    superReadOnly: undefined,
    binlog: {
      logBin: true,
      logReplicaUpdates: true,
      format: 'ROW',
      rowImage: undefined,
      selfCoordinates: { file: 'mysql-bin.000002', pos: 1234 },
    },
    gtid: {
      flavor: 'mariadb',
      currentPos: '0-1-5',
      binlogPos: '0-1-5',
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
    timing: {
      lastAttemptedAt: T0,
      lastCheckedAt: T0 + 10,
      lastSeenAt: T0 + 10,
      partialSuccess: true,
      probeDurationMs: 10,
      readAt: { variables: T0 + 2, binlogStatus: T0 + 4, replicaStatus: undefined, replicas: T0 },
    },
    ...over,
  };
}

/** A MySQL 8.0 replica of `source` on `host`:`port`, everything filled in. */
export function replica(source: Instance, port: number, host = '127.0.0.1'): Instance {
  return primary(port, {
    key: key(port, host),
    serverUuid: `00000000-0000-0000-0000-${String(port).padStart(12, '0')}`,
    hostname: `db-${port}`,
    reportHost: host,
    reportPort: port,
    alias: `replica-${port}`,
    version: parseServerVersion('8.0.36', 'MySQL Community Server - GPL'),
    versionComment: 'MySQL Community Server - GPL',
    readOnly: true,
    superReadOnly: true,
    gtid: { flavor: 'mysql', mode: 'ON', executed: 'a:1-5', purged: 'a:1-2' },
    gtidErrant: 'b:1',
    replication: channel(source.key),
    otherChannels: [channel(key(3999), { name: 'reporting', gtidUse: 'no' })],
    replicationLagSeconds: 3,
    semiSync: {
      sourceEnabled: false,
      sourceActive: false,
      sourceClients: 0,
      sourceWaitForReplicaCount: 1,
      sourceTimeoutMs: 10_000,
      replicaEnabled: true,
      replicaActive: true,
      enforced: false,
    },
    replicas: [key(port + 100)],
    placement: { dataCenter: 'dc1', region: 'eu', environment: undefined },
    promotionRule: 'prefer',
    cluster: {
      name: source.cluster.name,
      alias: 'orders',
      domain: 'orders.example',
      depth: source.cluster.depth + 1,
      ancestryUuids: ['3e11fa47-71ca-11e1-9e33-c80aa9429562'],
      ancestryServerIds: [source.serverId],
    },
  });
}

/** `i` as probed again at `at` (success). */
export function seenAt(i: Instance, at: number): Instance {
  return {
    ...i,
    timing: { ...i.timing, lastAttemptedAt: at, lastCheckedAt: at, lastSeenAt: at },
  };
}
