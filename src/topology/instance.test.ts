import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allChannels,
  isCoPrimary,
  isLastCheckValid,
  isMultiSource,
  isReplica,
  isReplicating,
  sourceIdentity,
  usesGtidReplication,
  type Instance,
  type ProbeTiming,
} from './instance.js';
import { instanceKey, instanceKeyId, type InstanceKey } from './instance-key.js';
import {
  hasDataFilters,
  hasDomainFilters,
  isChannelReplicating,
  NO_REPLICATION_FILTERS,
  type ReplicationChannel,
  type ThreadState,
} from './replication.js';
import { parseServerVersion } from './version.js';

function channel(source: InstanceKey, over: Partial<ReplicationChannel> = {}): ReplicationChannel {
  return {
    name: '',
    sourceKey: source,
    sourceServerId: 1,
    sourceUuid: undefined,
    ioThread: 'running',
    sqlThread: 'running',
    ioStateText: 'Waiting for master to send event',
    sqlStateText: 'Slave has read all relay log',
    lastIoError: undefined,
    lastSqlError: undefined,
    readSourceCoordinates: { file: 'mysqld-bin.000002', pos: 1234 },
    execSourceCoordinates: { file: 'mysqld-bin.000002', pos: 1234 },
    relayLogCoordinates: { file: 'mysqld-relay-bin.000003', pos: 567 },
    secondsBehindSource: 0,
    sqlDelaySeconds: 0,
    gtidUse: 'slave_pos',
    gtidIoPos: '0-1-5',
    retrievedGtidSet: '',
    filters: NO_REPLICATION_FILTERS,
    sslEnabled: false,
    ...over,
  };
}

const seen: ProbeTiming = {
  lastAttemptedAt: 1_000,
  lastCheckedAt: 1_010,
  lastSeenAt: 1_010,
  partialSuccess: true,
  probeDurationMs: 10,
  readAt: { variables: 1_002, binlogStatus: 1_004, replicaStatus: 1_006, replicas: 1_008 },
};

/** A MariaDB server at 127.0.0.1:port with server_id = port − 23305, a primary by default. */
function server(port: number, over: Partial<Instance> = {}): Instance {
  return {
    key: instanceKey('127.0.0.1', port),
    serverId: port - 23305,
    serverUuid: undefined,
    hostname: 'sandbox',
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
      rowImage: 'FULL',
      selfCoordinates: { file: 'mysqld-bin.000002', pos: 1234 },
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
    timing: seen,
    ...over,
  };
}

const primary = server(23306);
const replica = server(23307, { replication: channel(primary.key) });

void test('instance: a primary is no replica; a replica whose threads run replicates', () => {
  assert.ok(!isReplica(primary));
  assert.ok(!isReplicating(primary));
  assert.ok(isReplica(replica));
  assert.ok(isReplicating(replica));
  assert.ok(usesGtidReplication(replica));
  assert.ok(
    !usesGtidReplication(server(23308, { replication: channel(primary.key, { gtidUse: 'no' }) })),
  );
});

void test('instance: replicating needs both threads running; connecting is not running', () => {
  const states: ThreadState[] = ['running', 'connecting', 'stopped'];
  for (const io of states) {
    for (const sql of states) {
      const c = channel(primary.key, { ioThread: io, sqlThread: sql });
      assert.equal(isChannelReplicating(c), io === 'running' && sql === 'running', `${io}/${sql}`);
      assert.equal(isReplicating(server(23307, { replication: c })), isChannelReplicating(c));
    }
  }
});

void test('instance: multi-source connections are listed after the topology connection', () => {
  const other = channel(instanceKey('127.0.0.1', 23310), { name: 'dc2' });
  const multi = server(23307, { replication: channel(primary.key), otherChannels: [other] });
  assert.ok(isMultiSource(multi));
  assert.ok(!isMultiSource(replica));
  assert.deepEqual(
    allChannels(multi).map((c) => c.name),
    ['', 'dc2'],
  );
  const onlyNamed = server(23308, { otherChannels: [other] });
  assert.deepEqual(
    allChannels(onlyNamed).map((c) => c.name),
    ['dc2'],
  );
  assert.deepEqual(allChannels(primary), []);
});

void test('instance: last check is valid when the server was seen at or after it', () => {
  const cases: {
    name: string;
    checked: number | undefined;
    seenAt: number | undefined;
    valid: boolean;
  }[] = [
    { name: 'seen on the last check', checked: 1_010, seenAt: 1_010, valid: true },
    { name: 'last check failed', checked: 2_000, seenAt: 1_010, valid: false },
    { name: 'never seen', checked: 2_000, seenAt: undefined, valid: false },
    {
      name: 'never checked but seen (imported row)',
      checked: undefined,
      seenAt: 1_010,
      valid: true,
    },
  ];
  for (const c of cases) {
    const i = server(23306, {
      timing: { ...seen, lastCheckedAt: c.checked, lastSeenAt: c.seenAt },
    });
    assert.equal(isLastCheckValid(i), c.valid, c.name);
  }
});

void test('instance: co-primaries replicate from each other; a plain replica is not one', () => {
  const a = server(23306, { replication: channel(instanceKey('127.0.0.1', 23307)) });
  const b = server(23307, { replication: channel(a.key) });
  const byId = new Map([a, b, replica].map((i) => [instanceKeyId(i.key), i]));
  assert.ok(isCoPrimary(a, byId));
  assert.ok(isCoPrimary(b, byId));
  const byIdPlain = new Map([primary, replica].map((i) => [instanceKeyId(i.key), i]));
  assert.ok(!isCoPrimary(replica, byIdPlain));
  assert.ok(!isCoPrimary(primary, byIdPlain));
  assert.ok(!isCoPrimary(a, new Map()), 'unknown source');
});

void test('instance: source identity is judged by server_id and uuid, not by name', () => {
  const uuid = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
  const mysqlPrimary = server(23306, { serverUuid: uuid });
  const cases: { name: string; c: Partial<ReplicationChannel>; to: Instance; is: string }[] = [
    { name: 'server_id matches', c: { sourceServerId: 1 }, to: primary, is: 'confirmed' },
    { name: 'server_id differs', c: { sourceServerId: 9 }, to: primary, is: 'mismatch' },
    { name: 'never connected', c: { sourceServerId: undefined }, to: primary, is: 'unknown' },
    {
      name: 'uuid matches in other case',
      c: { sourceUuid: uuid.toUpperCase() },
      to: mysqlPrimary,
      is: 'confirmed',
    },
    {
      name: 'uuid differs',
      c: { sourceUuid: 'ffffffff-71ca-11e1-9e33-c80aa9429562' },
      to: mysqlPrimary,
      is: 'mismatch',
    },
  ];
  for (const c of cases) {
    const r = server(23307, { replication: channel(primary.key, c.c) });
    assert.equal(sourceIdentity(r, c.to), c.is, c.name);
  }
  assert.equal(sourceIdentity(primary, replica), 'unknown', 'not a replica');
});

void test('replication: data filters and domain filters are told apart', () => {
  assert.ok(!hasDataFilters(NO_REPLICATION_FILTERS));
  assert.ok(!hasDomainFilters(NO_REPLICATION_FILTERS));
  assert.ok(hasDataFilters({ ...NO_REPLICATION_FILTERS, wildIgnoreTables: ['tmp.%'] }));
  assert.ok(!hasDataFilters({ ...NO_REPLICATION_FILTERS, ignoreDomainIds: [1] }));
  assert.ok(hasDomainFilters({ ...NO_REPLICATION_FILTERS, doDomainIds: [0] }));
  assert.ok(!hasDataFilters({ ...NO_REPLICATION_FILTERS, ignoreServerIds: [5] }));
});
