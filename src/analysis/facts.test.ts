import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instanceKey, instanceKeysEqual, type ReplicationError } from '../topology/index.js';
import { analyze } from './analyze.js';
import { isRowCheckValid, type RowFacts } from './facts.js';
import {
  down,
  downtime,
  link,
  MARIADB_CONNECT_ERROR,
  MYSQL8_CONNECT_ERROR,
  NOW,
  primary,
  replica,
  snapshot,
  withInstance,
  type SnapshotOptions,
} from './fixtures.js';
import type { ObservedInstance } from './input.js';
import { isConnectError, isFailingToConnect, reportsSourceDown } from './link.js';
import { computeRows } from './rows.js';

function factsOf(
  servers: readonly ObservedInstance[],
  row: ObservedInstance,
  options?: SnapshotOptions,
): RowFacts {
  const found = computeRows(snapshot(servers, options)).find((r) =>
    instanceKeysEqual(r.facts.key, row.instance.key),
  );
  assert.ok(found, 'row exists');
  return found.facts;
}

const P = primary(23306);

void test('link: connect errors are recognised in MariaDB, MySQL 5.7 and MySQL 8 wordings', () => {
  const err = (errno: number, message: string): ReplicationError => ({
    errno,
    message,
    at: undefined,
  });
  const cases: { name: string; err: ReplicationError | undefined; connect: boolean }[] = [
    { name: 'MariaDB reconnecting', err: MARIADB_CONNECT_ERROR, connect: true },
    { name: 'MySQL 8 source', err: MYSQL8_CONNECT_ERROR, connect: true },
    {
      name: 'MySQL 5.7 master',
      err: err(1045, "error connecting to master 'repl@db1:3306' - retry-time: 60  retries: 1"),
      connect: true,
    },
    {
      name: 'MySQL 8.0.26 reconnecting to source',
      err: err(2013, "error reconnecting to source 'repl@db1:3306' - retry-time: 60"),
      connect: true,
    },
    { name: 'errno 2003 with other text', err: err(2003, "Can't connect"), connect: true },
    {
      name: 'binlog read error',
      err: err(1236, 'Got fatal error 1236 from master when reading data from binary log'),
      connect: false,
    },
    { name: 'no error', err: undefined, connect: false },
  ];
  for (const c of cases) assert.equal(isConnectError(c.err), c.connect, c.name);
});

void test('link: only a connect error with the IO thread down is evidence of a dead source', () => {
  const channel = (l: object) => replica(23307, P, { link: l }).instance.replication;
  const cases = [
    { name: 'replicating', l: link.replicating, orchestrator: false, evidence: false },
    { name: 'failing to connect', l: link.failingToConnect, orchestrator: true, evidence: true },
    { name: 'stopped by hand', l: link.stoppedByHand, orchestrator: false, evidence: false },
    {
      name: 'SQL stopped by a backup, then source gone',
      l: link.sqlStoppedSourceGone,
      orchestrator: false,
      evidence: true,
    },
    { name: 'SQL thread broken', l: link.sqlBroken, orchestrator: false, evidence: false },
  ];
  for (const c of cases) {
    assert.equal(isFailingToConnect(channel(c.l)), c.orchestrator, `orchestrator: ${c.name}`);
    assert.equal(reportsSourceDown(channel(c.l)), c.evidence, `orc: ${c.name}`);
  }
});

void test('facts: counters over a primary with replicas in every state', () => {
  const lagging = replica(23311, P, { over: { replicationLagSeconds: 30 } });
  const delayed = replica(23312, P, { link: { sqlDelaySeconds: 3600 } });
  const servers = [
    P,
    replica(23307, P, { link: link.failingToConnect }),
    replica(23308, P, { link: link.stoppedByHand }),
    replica(23309, P, { link: link.sqlBroken }),
    down(replica(23310, P)),
    lagging,
    delayed,
  ];
  const f = factsOf(servers, P, { downtimes: [downtime(lagging)] });
  assert.equal(f.role, 'primary');
  assert.equal(f.countReplicas, 6);
  assert.equal(f.countValidReplicas, 5);
  assert.equal(f.countValidReplicatingReplicas, 2);
  assert.equal(f.countReplicasFailingToConnect, 1);
  assert.equal(f.countReplicasReportingSourceDown, 1);
  assert.equal(f.countReplicasIoConnected, 3);
  assert.equal(f.countDowntimedReplicas, 1);
  assert.equal(f.countLaggingReplicas, 1);
  assert.equal(f.countDelayedReplicas, 1);
  assert.equal(f.countLoggingReplicas, 6);
  assert.ok(f.mariaDbGtidImmediateTopology);
  assert.ok(!f.oracleGtidImmediateTopology);
});

void test('facts: a replica reaching its primary through a proxy counts as its replica', () => {
  const proxied = replica(23307, P, {
    link: { ...link.failingToConnect, sourceKey: instanceKey('127.0.0.1', 33306) },
  });
  const f = factsOf([down(P), proxied], P);
  assert.equal(f.countReplicas, 1);
  assert.equal(analyze(snapshot([down(P), proxied]))[0]?.code, 'DeadMaster');
});

void test('facts: a connected replica goes under the server whose identity it reports', () => {
  const other = primary(23400);
  const moved = replica(23307, P, { link: { sourceServerId: 23400 } });
  assert.equal(factsOf([P, other, moved], other).countReplicas, 1);
  assert.equal(factsOf([P, other, moved], P).countReplicas, 0);
});

void test('facts: a disconnected replica stays under its configured source despite old identity', () => {
  const other = primary(23400);
  const repointed = replica(23307, P, {
    link: { ...link.failingToConnect, sourceServerId: 23400 },
  });
  assert.equal(factsOf([P, other, repointed], P).countReplicas, 1);
  assert.equal(factsOf([P, other, repointed], other).countReplicas, 0);
});

void test('facts: a replica that never connected hangs under the server at its source key', () => {
  const fresh = replica(23307, P, { link: { ...link.stoppedByHand, sourceServerId: undefined } });
  assert.equal(factsOf([P, fresh], P).countReplicas, 1);
});

void test('facts: a server_id used in two clusters is resolved by the replica cluster', () => {
  const twin = primary(23400, { serverId: 23306 });
  const proxied = replica(23307, P, { link: { sourceKey: instanceKey('127.0.0.1', 33306) } });
  const servers = [P, twin, proxied];
  assert.equal(factsOf(servers, P).countReplicas, 1);
  assert.equal(factsOf(servers, twin).countReplicas, 0);
});

void test('facts: co-primaries are recognised through identity edges', () => {
  const b = replica(23307, P);
  const a = replica(23306, b);
  const f = factsOf([a, b], a);
  assert.ok(f.isCoPrimary);
  assert.ok(!f.isPrimary);
  assert.equal(f.role, 'co-primary');
});

void test('facts: a probe pending longer than InstancePollSeconds + 1 s makes the row invalid', () => {
  const base = P.instance.timing;
  const hung = { ...base, lastAttemptedAt: NOW, lastCheckedAt: NOW - 9000, lastSeenAt: NOW - 9000 };
  assert.ok(isRowCheckValid(base, 5));
  assert.ok(!isRowCheckValid(hung, 5));
  assert.ok(isRowCheckValid(hung, 10));
  const f = factsOf([withInstance(P, { timing: hung }), replica(23307, P)], P);
  assert.ok(!f.lastCheckValid);
});

void test('facts: a refusal is only reported while the last check is invalid', () => {
  const stale = { ...down(P, 'too-many-connections'), instance: P.instance };
  assert.equal(factsOf([stale], P).probeError, undefined);
  assert.equal(factsOf([down(P, 'too-many-connections')], P).probeError, 'too-many-connections');
});

void test('facts: the locked semi-sync limit falls back to the replication-lag setting', () => {
  const record = (secondsAgo: number) => ({
    binlogPositionRecords: [
      {
        key: P.instance.key,
        coordinates: { file: 'mysqld-bin.000002', pos: 1234 },
        firstSeenAt: NOW - secondsAgo * 1000,
      },
    ],
  });
  assert.ok(factsOf([P], P, record(11)).staleBinlogCoordinates);
  assert.ok(!factsOf([P], P, record(9)).staleBinlogCoordinates);
  const locked = { ...record(11), settings: { reasonableLockedSemiSyncPrimarySeconds: 30 } };
  assert.ok(!factsOf([P], P, locked).staleBinlogCoordinates);
  const moved = withInstance(P, {
    binlog: { ...P.instance.binlog, selfCoordinates: { file: 'mysqld-bin.000002', pos: 9 } },
  });
  assert.ok(!factsOf([moved], moved, record(60)).staleBinlogCoordinates);
});

void test('facts: cluster opt-in follows RecoverMasterClusterFilters forms', () => {
  const named = withInstance(P, {
    cluster: { ...P.instance.cluster, name: '127.0.0.1:23306', alias: 'shop' },
  });
  const cases: { filters: string[]; on: boolean }[] = [
    { filters: [], on: false },
    { filters: ['*'], on: true },
    { filters: ['shop'], on: true },
    { filters: ['alias=shop'], on: true },
    { filters: ['alias=sho'], on: false },
    { filters: ['alias~=^sh'], on: true },
    { filters: ['23306$'], on: true },
    { filters: ['('], on: false },
  ];
  for (const c of cases) {
    const f = factsOf([named], named, { settings: { recoverPrimaryClusterFilters: c.filters } });
    assert.equal(f.cluster.hasAutomatedPrimaryRecovery, c.on, JSON.stringify(c.filters));
  }
});
