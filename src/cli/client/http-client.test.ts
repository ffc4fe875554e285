import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { hasCode, OrcError } from '../../common/errors.js';
import { parseApiList } from './api-urls.js';
import { ApiClient, splitHeader, transportReason, type ApiClientOptions } from './http-client.js';
import { envelope, failure, startFakeApi, type FakeApi } from './testing.js';

const servers: FakeApi[] = [];
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function fake(...args: Parameters<typeof startFakeApi>): Promise<FakeApi> {
  const server = await startFakeApi(...args);
  servers.push(server);
  return server;
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function client(urls: string, options: Partial<ApiClientOptions> = {}): ApiClient {
  return new ApiClient({ bases: parseApiList(urls), timeoutMs: 2000, ...options });
}

const follower = { 'leader-check': { status: 404, json: 'Not leader' } };
const leader = { 'leader-check': { json: 'OK' }, clusters: { json: ['db1:3306'] } };

void test('http client: with several APIs, the one answering leader-check 200 is used', async () => {
  const a = await fake(follower);
  const b = await fake(leader);
  const api = client(`${a.url} ${b.url}/api`);
  assert.equal(await api.leader(), `${b.url}/api`);
  assert.deepEqual(await api.get('clusters'), ['db1:3306']);
  assert.deepEqual(
    b.requests.map((r) => r.path),
    ['leader-check', 'clusters'],
  );
  assert.equal(await api.leader(), `${b.url}/api`, 'found once');
  assert.equal(a.requests.length, 1);
});

void test('http client: one API is used as is, without a leader-check', async () => {
  const a = await fake(leader);
  const api = client(a.url);
  assert.deepEqual(await api.get('clusters'), ['db1:3306']);
  assert.deepEqual(
    a.requests.map((r) => r.path),
    ['clusters'],
  );
});

void test('http client: when no node says leader, routed-leader-check decides', async () => {
  const a = await fake(follower);
  const b = await fake({ ...follower, 'routed-leader-check': { json: 'OK' } });
  assert.equal(await client(`${a.url},${b.url}`).leader(), `${b.url}/api`);
});

void test('http client: no leader anywhere is an error saying what each node answered', async () => {
  const a = await fake(follower);
  const down = await closedPort();
  const err = await client(`${a.url} http://127.0.0.1:${down}`)
    .leader()
    .catch((e: unknown) => e);
  assert.ok(hasCode(err, 'API_NO_LEADER'), String(err));
  assert.match(err.message, new RegExp(`${a.url}/api: leader-check 404 "Not leader"`));
  assert.match(err.message, new RegExp(`127.0.0.1:${down}/api: leader-check connection refused`));
});

void test('http client: a leader-check that hangs is given up after the probe timeout', async () => {
  const slow = await fake({ 'leader-check': { hang: true } });
  const a = await fake(follower);
  const started = Date.now();
  const err = await client(`${slow.url} ${a.url}`, { probeTimeoutMs: 100 })
    .leader()
    .catch((e: unknown) => e);
  assert.ok(hasCode(err, 'API_NO_LEADER'), String(err));
  assert.match(err.message, /leader-check no answer within 0.1s/);
  assert.ok(Date.now() - started < 1500);
});

void test('http client: every node down is API_UNREACHABLE with the serve hint', async () => {
  const [p1, p2] = [await closedPort(), await closedPort()];
  const err = await client(`http://127.0.0.1:${p1} http://127.0.0.1:${p2}`)
    .leader()
    .catch((e: unknown) => e);
  assert.ok(hasCode(err, 'API_UNREACHABLE'), String(err));
  assert.match(err.message, /start it with `orc serve` or set --api\/ORC_API/);
});

void test('http client: answers map to typed errors with printable messages', async () => {
  const api = await fake({
    'instance/db9/3306': failure('Cannot read instance: db9:3306'),
    denied: { status: 401, text: 'Not Authorized' },
    broken: { status: 502, text: 'Bad Gateway' },
    plain: { text: 'not json' },
    v2: { status: 404, json: { error: { code: 'NOT_FOUND', message: 'no such thing' } } },
    'ok-error': { json: { Code: 'ERROR', Message: 'Unauthorized', Details: null } },
  });
  const c = client(api.url);
  const cases: [string, string, RegExp][] = [
    ['instance/db9/3306', 'API_ERROR', /^Cannot read instance: db9:3306$/],
    ['ok-error', 'API_ERROR', /^Unauthorized$/],
    ['denied', 'API_UNAUTHORIZED', /refused the credentials \(401\).*ORCHESTRATOR_AUTH_USER/],
    ['nowhere', 'API_HTTP', /has no path "nowhere" \(404\)/],
    ['broken', 'API_HTTP', /answered 502: Bad Gateway/],
    ['plain', 'API_BAD_RESPONSE', /not JSON: "not json"/],
    ['v2', 'API_ERROR', /^no such thing$/],
  ];
  for (const [path, code, message] of cases) {
    const err = await c.get(path).catch((e: unknown) => e);
    assert.ok(hasCode(err, code), `${path}: ${String(err)}`);
    assert.match(err.message, message, path);
  }
});

void test('http client: connection refused says how to start orc', async () => {
  const port = await closedPort();
  const err = await client(`http://u:secret@127.0.0.1:${port}`)
    .get('clusters')
    .catch((e: unknown) => e);
  assert.ok(hasCode(err, 'API_UNREACHABLE'), String(err));
  assert.equal(
    err.message,
    `cannot reach the orc API at http://127.0.0.1:${port}/api: connection refused; ` +
      'start it with `orc serve` or set --api/ORC_API',
  );
});

void test('http client: a request slower than the timeout is API_TIMEOUT', async () => {
  const api = await fake({ clusters: { hang: true } });
  const err = await client(api.url, { timeoutMs: 100 })
    .get('clusters')
    .catch((e: unknown) => e);
  assert.ok(hasCode(err, 'API_TIMEOUT'), String(err));
  assert.match(err.message, /did not answer clusters within 0.1s/);
});

void test('http client: basic auth from options, else from the URL; a header replaces it', async () => {
  const api = await fake({ clusters: envelope(null) });
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  await client(api.url, { auth: { user: 'orc', password: 'pw' } }).get('clusters');
  await client(api.url.replace('//', '//url:pass@')).get('clusters');
  await client(api.url.replace('//', '//url:pass@'), { auth: { user: 'flag', password: 'x' } }).get(
    'clusters',
  );
  await client(api.url, { auth: { user: 'orc', password: 'pw' }, authHeader: 'X-User: alice' }).get(
    'clusters',
  );

  const seen = api.requests.map((r) => [r.headers.authorization, r.headers['x-user']]);
  assert.deepEqual(seen, [
    [basic('orc', 'pw'), undefined],
    [basic('url', 'pass'), undefined],
    [basic('flag', 'x'), undefined],
    [undefined, 'alice'],
  ]);
});

void test('http client: auth headers must be "Name: value"', () => {
  assert.deepEqual(splitHeader('X-Forwarded-User: alice'), ['X-Forwarded-User', 'alice']);
  assert.deepEqual(splitHeader('X-A:b:c'), ['X-A', 'b:c']);
  for (const bad of ['alice', ': x', 'Bad Name: x']) {
    assert.throws(
      () => splitHeader(bad),
      (err: unknown) => hasCode(err, 'USAGE'),
      bad,
    );
  }
});

void test('http client: transport failures are named from the nested system error', () => {
  const wrapped = (cause: unknown) => new TypeError('fetch failed', { cause });
  const sys = (code: string) => Object.assign(new Error(code), { code });
  assert.equal(transportReason(wrapped(sys('ECONNREFUSED'))), 'connection refused');
  assert.equal(transportReason(wrapped(sys('ENOTFOUND'))), 'host not found');
  const both = new AggregateError([sys('ECONNREFUSED'), sys('ECONNREFUSED')]);
  assert.equal(transportReason(wrapped(both)), 'connection refused');
  assert.equal(transportReason(wrapped(new Error('bad port'))), 'bad port');
  assert.ok(new OrcError('X', 'y') instanceof Error);
});

void test('http client: probeAll reports every configured node, in order', async () => {
  const a = await fake(follower);
  const b = await fake(leader);
  const answers = await client(`${a.url} ${b.url}`).probeAll('leader-check');
  assert.deepEqual(answers, [
    { api: `${a.url}/api`, status: 404, body: '"Not leader"' },
    { api: `${b.url}/api`, status: 200, body: '"OK"' },
  ]);
});
