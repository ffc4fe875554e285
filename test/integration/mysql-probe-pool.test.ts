import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test, type TestContext } from 'node:test';
import {
  isMysqlError,
  MysqlPool,
  probeFailure,
  probeInstance,
  type MysqlErrorCode,
  type MysqlPoolOptions,
} from '../../src/mysql/index.js';
import { instanceKey } from '../../src/topology/index.js';
import { FakeMysqlServer, type FakeServerOptions } from '../fakes/fake-mysql-server.js';
import { fakeUuid, startFakeCluster } from '../fakes/fake-topology.js';

// Connection behaviour against fake servers: limits, timeouts with KILL QUERY, refusals,
// dead and stale connections. The same against real MariaDB is in mysql-probe-mariadb.

async function fake(t: TestContext, options: Partial<FakeServerOptions> = {}) {
  const server = await FakeMysqlServer.start({
    flavor: 'mysql-8.0',
    facts: { serverId: 7, serverUuid: fakeUuid(7), gtidExecuted: `${fakeUuid(7)}:1-9` },
    ...options,
  });
  t.after(() => server.close());
  return server;
}

function pool(t: TestContext, options: Partial<MysqlPoolOptions> = {}) {
  const p = new MysqlPool({ user: 'orc', password: 'orc', ...options });
  t.after(() => p.close());
  return p;
}

const keyOf = (s: FakeMysqlServer) => instanceKey(s.host, s.port);

function rejectsWith(code: MysqlErrorCode) {
  return (err: unknown) => {
    assert.ok(isMysqlError(err), String(err));
    assert.equal(err.code, code, err.message);
    return true;
  };
}

void test('pool: concurrent probes of one server never open more than the limit', async (t) => {
  const server = await fake(t, { latencyMs: 20 });
  const p = pool(t, { maxConnectionsPerServer: 2 });
  let open = 0;
  let peak = 0;
  p.on('connection-opened', () => (peak = Math.max(peak, ++open)));
  p.on('connection-closed', () => open--);
  const results = await Promise.all(
    Array.from({ length: 12 }, () => probeInstance(p, keyOf(server))),
  );
  assert.deepEqual(new Set(results.map((r) => r.outcome)), new Set(['ok']));
  assert.ok(peak <= 2, `peak ${peak}`);
  assert.ok(server.stats.maxOpen <= 2, `server saw ${server.stats.maxOpen}`);
  assert.ok(p.stats(keyOf(server)).maxOpen <= 2);
});

void test('pool: a statement past its timeout is killed on the server; the pool goes on', async (t) => {
  const server = await fake(t);
  const p = pool(t, { maxConnectionsPerServer: 1 });
  const timeouts: { threadId: number; killed: boolean }[] = [];
  p.on('query-timeout', (e) => timeouts.push({ threadId: e.threadId, killed: e.killed }));

  await assert.rejects(
    p.query(keyOf(server), 'SELECT SLEEP(5)', { timeoutMs: 200 }),
    rejectsWith('MYSQL_QUERY_TIMEOUT'),
  );
  assert.equal(timeouts.length, 1);
  assert.equal(timeouts[0]?.killed, true);
  assert.deepEqual(server.stats.killed, [timeouts[0]?.threadId]);
  assert.equal((await probeInstance(p, keyOf(server))).outcome, 'ok');
  assert.ok(p.stats(keyOf(server)).maxOpen <= 1);
});

void test('pool: a lag query that hangs costs only the lag, with a warning', async (t) => {
  const cluster = await startFakeCluster({ flavor: 'mysql-5.7', replicas: 1, firstServerId: 1 });
  t.after(() => cluster.close());
  const p = pool(t);
  const replica = cluster.replicas[0] as FakeMysqlServer;
  const r = await probeInstance(p, keyOf(replica), {
    replicationLagQuery: 'SELECT SLEEP(5)',
    timeoutMs: 300,
  });
  assert.equal(r.outcome, 'ok');
  assert.deepEqual(
    r.warnings.map((w) => [w.query, w.error.code]),
    [['replicationLagQuery', 'MYSQL_QUERY_TIMEOUT']],
  );
  assert.equal(r.outcome === 'ok' && r.facts.replicationLagSeconds, 0, 'falls back to the status');
  assert.equal(replica.stats.killed.length, 1);
});

void test('pool: a server without the guard variable is probed all the same', async (t) => {
  const server = await fake(t, { flavor: 'mysql-5.7', hiddenVariables: ['max_execution_time'] });
  const p = pool(t);
  const r = await probeInstance(p, keyOf(server));
  assert.equal(r.outcome, 'ok');
  assert.ok(server.stats.seen.has('SET SESSION MAX_EXECUTION_TIME=11000'));
  assert.equal((await probeInstance(p, keyOf(server))).outcome, 'ok');
});

const refusals: [string, Partial<FakeServerOptions>, MysqlErrorCode, string][] = [
  [
    'too many connections',
    { refuse: 'too-many-connections' },
    'MYSQL_TOO_MANY_CONNECTIONS',
    'too-many-connections',
  ],
  ['a wrong password', { password: 'secret' }, 'MYSQL_ACCESS_DENIED', 'access-denied'],
  ['a blocked host', { refuse: 'host-blocked' }, 'MYSQL_HOST_BLOCKED', 'host-blocked'],
];

for (const [name, options, code, kind] of refusals) {
  void test(`pool: ${name} fails the probe as a live server refusing (${code})`, async (t) => {
    const server = await fake(t, options);
    const r = await probeInstance(pool(t), keyOf(server));
    if (r.outcome !== 'failed') return assert.fail(`probe ${r.outcome}`);
    assert.equal(r.error.code, code);
    assert.equal(r.error.liveness, 'alive');
    assert.equal(probeFailure(r)?.kind, kind);
  });
}

void test('pool: a closed port fails the probe as unreachable', async (t) => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  assert.ok(address !== null && typeof address === 'object');
  await new Promise((resolve) => blocker.close(resolve));
  const r = await probeInstance(pool(t), instanceKey('127.0.0.1', address.port));
  assert.equal(r.outcome, 'failed');
  assert.equal(r.outcome === 'failed' && r.error.code, 'MYSQL_UNREACHABLE');
  assert.equal(r.outcome === 'failed' && r.error.liveness, 'unreachable');
});

void test('pool: idle connections broken by a restart are replaced silently', async (t) => {
  const server = await fake(t);
  const p = pool(t);
  const closed: string[] = [];
  p.on('connection-closed', (e) => closed.push(e.reason));
  assert.equal((await probeInstance(p, keyOf(server))).outcome, 'ok');
  server.dropClients();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal((await probeInstance(p, keyOf(server))).outcome, 'ok');
  assert.ok(closed.includes('broken'));
  assert.equal(server.stats.accepted, 2);
});

void test('pool: waiting for a busy server is bounded; a closed pool refuses work', async (t) => {
  const server = await fake(t);
  const p = pool(t, { maxConnectionsPerServer: 1 });
  const slow = p.query(keyOf(server), 'SELECT SLEEP(1)', { timeoutMs: 3000 });
  await assert.rejects(
    p.query(keyOf(server), 'SELECT SLEEP(0)', { timeoutMs: 100 }),
    rejectsWith('MYSQL_POOL_TIMEOUT'),
  );
  await slow;
  await p.close();
  await assert.rejects(p.query(keyOf(server), 'SELECT 1'), rejectsWith('MYSQL_POOL_CLOSED'));
  assert.equal(p.stats(keyOf(server)).open, 0);
});

void test('pool: close ends lent connections too; their statements fail as closed', async (t) => {
  const server = await fake(t);
  const p = pool(t);
  await probeInstance(p, keyOf(server));
  const inFlight = p.query(keyOf(server), 'SELECT SLEEP(5)', { timeoutMs: 10_000 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await p.close();
  await assert.rejects(inFlight, rejectsWith('MYSQL_POOL_CLOSED'));
  assert.equal(p.stats(keyOf(server)).open, 0);
});
