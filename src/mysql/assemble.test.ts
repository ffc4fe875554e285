import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  instanceKey,
  NO_REPLICATION_FILTERS,
  parseServerVersion,
  type Instance,
  type InstanceKey,
  type ReplicationChannel,
} from '../topology/index.js';
import { probeFailure, toInstance } from './assemble.js';
import { MysqlError } from './errors.js';
import type { ProbeResult, ServerFacts } from './probe-result.js';

const U = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const key = (port: number) => instanceKey('127.0.0.1', port);
const T0 = 1_700_000_000_000;

function edge(source: InstanceKey, sourceServerId: number, over: Partial<ReplicationChannel> = {}) {
  return {
    name: '',
    sourceKey: source,
    sourceServerId,
    sourceUuid: U(sourceServerId),
    ioThread: 'running',
    sqlThread: 'running',
    ioStateText: '',
    sqlStateText: '',
    lastIoError: undefined,
    lastSqlError: undefined,
    readSourceCoordinates: undefined,
    execSourceCoordinates: undefined,
    relayLogCoordinates: undefined,
    secondsBehindSource: 2,
    sqlDelaySeconds: 0,
    gtidUse: 'auto_position',
    gtidIoPos: '',
    retrievedGtidSet: '',
    filters: NO_REPLICATION_FILTERS,
    sslEnabled: false,
    ...over,
  } satisfies ReplicationChannel;
}

/** What MySQL server `id` at port 3300+id says: executed `executed`, replicating from `from`. */
function facts(id: number, executed: string, from?: ReplicationChannel): ServerFacts {
  return {
    identity: {
      serverId: id,
      serverUuid: U(id),
      hostname: `db${id}`,
      reportHost: undefined,
      reportPort: undefined,
      version: parseServerVersion('8.0.36', 'MySQL Community Server - GPL'),
      versionComment: 'MySQL Community Server - GPL',
      readOnly: from !== undefined,
      superReadOnly: from !== undefined,
    },
    vocabulary: 'mysql-8.0.22',
    binlog: {
      logBin: true,
      logReplicaUpdates: true,
      format: 'ROW',
      rowImage: 'FULL',
      selfCoordinates: undefined,
    },
    gtid: { flavor: 'mysql', mode: 'ON', executed, purged: '' },
    uptimeSeconds: 100,
    semiSync: undefined,
    replication: from,
    otherChannels: [],
    replicationLagSeconds: from?.secondsBehindSource,
    replicas: [],
    metadata: {
      dataCenter: undefined,
      region: undefined,
      environment: undefined,
      alias: undefined,
      promotionRule: undefined,
      semiSyncPriority: undefined,
      clusterAlias: undefined,
      clusterDomain: undefined,
    },
  };
}

const readAt = { variables: T0 + 5, binlogStatus: T0 + 5, replicaStatus: T0 + 5, replicas: T0 + 5 };

function ok(port: number, f: ServerFacts, at = T0): ProbeResult {
  return {
    outcome: 'ok',
    key: key(port),
    attemptedAt: at,
    checkedAt: at + 10,
    durationMs: 10,
    readAt: { ...readAt },
    warnings: [],
    facts: f,
  };
}

function failed(port: number, at: number, partial: Partial<ServerFacts> = {}): ProbeResult {
  const error = new MysqlError('MYSQL_UNREACHABLE', 'cannot connect to 127.0.0.1: refused', {
    context: { instance: `127.0.0.1:${port}` },
  });
  const none = {
    variables: undefined,
    binlogStatus: undefined,
    replicaStatus: undefined,
    replicas: undefined,
  };
  return {
    outcome: partial.identity ? 'partial' : 'failed',
    key: key(port),
    attemptedAt: at,
    checkedAt: at + 2,
    durationMs: 2,
    readAt: none,
    warnings: [],
    error,
    facts: partial,
  };
}

function assemble(probe: ProbeResult, context: Parameters<typeof toInstance>[1] = {}): Instance {
  const i = toInstance(probe, context);
  assert.ok(i);
  return i;
}

// primary 3301 → intermediate 3302 → leaf 3303
const primary = assemble(ok(3301, facts(1, `${U(1)}:1-100`)), { clusterAliasOverride: 'orders' });
const middle = assemble(ok(3302, facts(2, `${U(1)}:1-100`, edge(key(3301), 1))), {
  source: primary,
});
const leaf = assemble(ok(3303, facts(3, `${U(1)}:1-99,${U(3)}:1-2`, edge(key(3302), 2))), {
  source: middle,
});

void test('assemble: a primary heads its cluster; replicas inherit name, alias and depth', () => {
  assert.deepEqual(
    [primary, middle, leaf].map((i) => [i.cluster.name, i.cluster.alias, i.cluster.depth]),
    [
      ['127.0.0.1:3301', 'orders', 0],
      ['127.0.0.1:3301', 'orders', 1],
      ['127.0.0.1:3301', 'orders', 2],
    ],
  );
  assert.deepEqual(leaf.cluster.ancestryUuids, [U(2), U(1)]);
  assert.deepEqual(leaf.cluster.ancestryServerIds, [2, 1]);
});

void test('assemble: errant GTIDs are the replica’s own writes, not its ancestors’', () => {
  assert.equal(middle.gtidErrant, '');
  assert.equal(leaf.gtidErrant, `${U(3)}:1-2`);
});

void test('assemble: a successful probe is a valid check with its read times', () => {
  assert.equal(middle.timing.lastSeenAt, T0 + 10);
  assert.equal(middle.timing.lastCheckedAt, T0 + 10);
  assert.equal(middle.timing.partialSuccess, true);
  assert.deepEqual(middle.timing.readAt, readAt);
  assert.equal(middle.replicationLagSeconds, 2);
  assert.equal(middle.promotionRule, 'neutral');
});

void test('assemble: a source whose identity contradicts the replica’s report is not used', () => {
  const impostor = { ...primary, serverId: 99 };
  const i = assemble(ok(3302, facts(2, `${U(1)}:1-100,${U(2)}:1`, edge(key(3301), 1))), {
    source: impostor,
  });
  assert.equal(i.cluster.name, '127.0.0.1:3302');
  assert.equal(i.cluster.depth, 0);
  assert.equal(i.gtidErrant, '');
});

void test('assemble: co-primaries share one cluster named after the smaller key', () => {
  const a = assemble(ok(3301, facts(1, `${U(1)}:1-10`, edge(key(3302), 2))));
  const b = assemble(ok(3302, facts(2, `${U(1)}:1-10,${U(2)}:1-3`, edge(key(3301), 1))), {
    source: a,
  });
  assert.equal(b.cluster.name, '127.0.0.1:3301');
  assert.equal(b.cluster.depth, 1);
  assert.equal(b.gtidErrant, '', 'its own fresh writes are not errant on a co-primary');
  const a2 = assemble(ok(3301, facts(1, `${U(1)}:1-10`, edge(key(3302), 2))), { source: b });
  assert.equal(a2.cluster.name, '127.0.0.1:3301');
  assert.equal(a2.cluster.depth, 0);
});

void test('assemble: a failed probe keeps the previous facts and makes the check invalid', () => {
  const i = assemble(failed(3302, T0 + 5_000), { previous: middle, source: primary });
  assert.equal(i.serverId, 2);
  assert.deepEqual(i.replication, middle.replication);
  assert.equal(i.timing.lastSeenAt, middle.timing.lastSeenAt);
  assert.equal(i.timing.lastCheckedAt, T0 + 5_002);
  assert.equal(i.timing.lastAttemptedAt, T0 + 5_000);
  assert.equal(i.timing.partialSuccess, false);
  assert.deepEqual(i.timing.readAt, middle.timing.readAt);
  assert.equal(toInstance(failed(3309, T0)), undefined, 'never seen and nothing read');
});

void test('assemble: a partial probe takes what it read and keeps the rest', () => {
  const fresh = facts(2, `${U(1)}:1-100`);
  const probe = failed(3302, T0 + 5_000, { identity: { ...fresh.identity, readOnly: false } });
  const i = assemble(probe, { previous: middle, source: primary });
  assert.equal(i.readOnly, false);
  assert.deepEqual(i.replication, middle.replication);
  assert.equal(i.timing.partialSuccess, true);
  assert.equal(i.timing.lastSeenAt, middle.timing.lastSeenAt);
  const first = assemble(failed(3304, T0, { identity: fresh.identity }));
  assert.equal(first.replication, undefined);
  assert.equal(first.timing.lastSeenAt, undefined);
});

void test('assemble: Detect*Query answers win over registered rules and patterns', () => {
  const f = facts(1, '');
  const withMeta = {
    ...f,
    metadata: {
      ...f.metadata,
      dataCenter: 'dc-a',
      promotionRule: 'prefer' as const,
      clusterAlias: 'shop',
      alias: 'db-one',
    },
  };
  const i = assemble(ok(3301, withMeta), {
    promotionRule: 'must_not',
    placement: { dataCenter: 'dc-b', region: 'eu', environment: undefined },
  });
  assert.equal(i.promotionRule, 'prefer');
  assert.deepEqual(i.placement, { dataCenter: 'dc-a', region: 'eu', environment: undefined });
  assert.equal(i.cluster.alias, 'shop');
  assert.equal(i.alias, 'db-one');
  assert.equal(assemble(ok(3301, f), { promotionRule: 'must_not' }).promotionRule, 'must_not');
});

void test('assemble: the failure analysis reads is the probe’s, classified', () => {
  assert.equal(probeFailure(ok(3301, facts(1, ''))), undefined);
  assert.deepEqual(probeFailure(failed(3301, T0)), {
    kind: 'unreachable',
    message: 'cannot connect to 127.0.0.1: refused',
    at: T0 + 2,
  });
});
