import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../common/errors.js';
import { silentLogger } from '../common/log.js';
import { compileAuth, parseBasic, type HttpAuthOptions } from './auth.js';
import { basicAuth, testApp } from './testing.js';
import type { OrcApp } from './types.js';

/** Test-only routes: one reading and one mutating route in each API family. */
function registerProbeRoutes(app: OrcApp): void {
  const ok = (): { ok: true } => ({ ok: true });
  app.get('/api/test-read', { config: { mutates: false } }, ok);
  app.get('/api/test-mutate', { config: { mutates: true } }, ok);
  app.get('/api/v2/test-read', { config: { mutates: false } }, ok);
  app.post('/api/v2/test-mutate', { config: { mutates: true } }, ok);
}

const routes = {
  compat: { read: ['GET', '/api/test-read'], mutate: ['GET', '/api/test-mutate'] },
  v2: { read: ['GET', '/api/v2/test-read'], mutate: ['POST', '/api/v2/test-mutate'] },
} as const;

/**
 * Who calls, under which method, and what the method grants them: `admitted` = gets past
 * authentication, `canChange` = the role may change things (ReadOnly and leadership aside).
 */
interface Caller {
  name: string;
  auth: HttpAuthOptions;
  headers: Record<string, string>;
  admitted: boolean;
  canChange: boolean;
}

const basic = { method: 'basic', user: 'admin', password: 's3cret' };
const multi = { method: 'multi', user: 'admin', password: 's3cret' };
const proxy = { method: 'proxy', powerUsers: ['alice'], powerGroups: ['dba'] };
const groups = (user: string): Promise<boolean> => Promise.resolve(user === 'carol');

const callers: Caller[] = [
  { name: 'none: anonymous', auth: { method: '' }, headers: {}, admitted: true, canChange: true },
  {
    name: 'basic: right credentials',
    auth: basic,
    headers: { authorization: basicAuth('admin', 's3cret') },
    admitted: true,
    canChange: true,
  },
  {
    name: 'basic: wrong password',
    auth: basic,
    headers: { authorization: basicAuth('admin', 'nope') },
    admitted: false,
    canChange: false,
  },
  { name: 'basic: no credentials', auth: basic, headers: {}, admitted: false, canChange: false },
  {
    name: 'basic without a configured user: anonymous',
    auth: { method: 'basic' },
    headers: {},
    admitted: true,
    canChange: true,
  },
  {
    name: 'multi: right credentials',
    auth: multi,
    headers: { authorization: basicAuth('admin', 's3cret') },
    admitted: true,
    canChange: true,
  },
  {
    name: 'multi: readonly with any password',
    auth: multi,
    headers: { authorization: basicAuth('readonly', 'whatever') },
    admitted: true,
    canChange: false,
  },
  {
    name: 'multi: wrong password',
    auth: multi,
    headers: { authorization: basicAuth('admin', 'nope') },
    admitted: false,
    canChange: false,
  },
  { name: 'multi: no credentials', auth: multi, headers: {}, admitted: false, canChange: false },
  {
    name: 'proxy: power user',
    auth: proxy,
    headers: { 'x-forwarded-user': 'alice' },
    admitted: true,
    canChange: true,
  },
  {
    name: 'proxy: member of a power group',
    auth: { ...proxy, groupMembership: groups },
    headers: { 'x-forwarded-user': 'carol' },
    admitted: true,
    canChange: true,
  },
  {
    name: 'proxy: other user',
    auth: { ...proxy, groupMembership: groups },
    headers: { 'x-forwarded-user': 'bob' },
    admitted: true,
    canChange: false,
  },
  { name: 'proxy: no header', auth: proxy, headers: {}, admitted: true, canChange: false },
  {
    name: 'proxy: default power users * admit everyone',
    auth: { method: 'proxy' },
    headers: {},
    admitted: true,
    canChange: true,
  },
  {
    name: 'proxy: custom user header',
    auth: { method: 'proxy', userHeader: 'X-Remote-User', powerUsers: ['alice'] },
    headers: { 'x-remote-user': 'alice', 'x-forwarded-user': 'bob' },
    admitted: true,
    canChange: true,
  },
  {
    name: 'oauth: everyone reads, nobody changes',
    auth: { method: 'oauth' },
    headers: {},
    admitted: true,
    canChange: false,
  },
];

type Outcome = 'ok' | 'challenge' | 'read-only' | 'forbidden' | 'not-leader';

/** The documented order: authentication, then ReadOnly, role, leadership (mutations only). */
function expected(caller: Caller, op: 'read' | 'mutate', readOnly: boolean, leader: boolean) {
  if (!caller.admitted) return 'challenge';
  if (op === 'read') return 'ok';
  if (readOnly) return 'read-only';
  if (!caller.canChange) return 'forbidden';
  return leader ? 'ok' : 'not-leader';
}

const compatBodies: Record<Outcome, [number, string]> = {
  ok: [200, '{"ok":true}'],
  challenge: [401, 'Not Authorized\n'],
  'read-only': [500, '{"Code":"ERROR","Message":"Unauthorized","Details":null}'],
  forbidden: [500, '{"Code":"ERROR","Message":"Unauthorized","Details":null}'],
  'not-leader': [500, '{"Code":"ERROR","Message":"Unauthorized","Details":null}'],
};

const v2Statuses: Record<Outcome, [number, string | null]> = {
  ok: [200, null],
  challenge: [401, 'UNAUTHENTICATED'],
  'read-only': [403, 'READ_ONLY'],
  forbidden: [403, 'FORBIDDEN'],
  'not-leader': [503, 'NOT_LEADER'],
};

for (const caller of callers) {
  void test(`auth matrix: ${caller.name}`, async () => {
    for (const readOnly of [false, true]) {
      for (const leader of [true, false]) {
        const { app, leadership } = testApp({
          auth: { ...caller.auth, readOnly },
          logger: silentLogger(),
          registerRoutes: [registerProbeRoutes],
        });
        leadership.leader = leader;
        leadership.uri = 'http://127.0.0.2:3000';

        for (const family of ['compat', 'v2'] as const) {
          for (const op of ['read', 'mutate'] as const) {
            const [method, url] = routes[family][op];
            const res = await app.inject({ method, url, headers: caller.headers });
            const outcome = expected(caller, op, readOnly, leader);
            const where = `${family} ${op} readOnly=${readOnly} leader=${leader}`;

            if (family === 'compat') {
              assert.deepEqual([res.statusCode, res.body], compatBodies[outcome], where);
            } else {
              const [status, code] = v2Statuses[outcome];
              assert.equal(res.statusCode, status, where);
              if (code !== null) {
                assert.equal(res.json<{ error: { code: string } }>().error.code, code, where);
              }
            }
            if (outcome === 'challenge') {
              assert.equal(
                res.headers['www-authenticate'],
                'Basic realm="Authorization Required"',
                where,
              );
            }
          }
        }
        await app.close();
      }
    }
  });
}

void test('auth: a refused v2 change on a follower names the leader URI', async () => {
  const { app, leadership } = testApp({ registerRoutes: [registerProbeRoutes] });
  leadership.leader = false;
  leadership.uri = 'http://127.0.0.2:3000';
  const res = await app.inject({ method: 'POST', url: '/api/v2/test-mutate' });
  assert.equal(res.statusCode, 503);
  assert.deepEqual(res.json(), {
    error: {
      code: 'NOT_LEADER',
      message: 'change refused: this node is not the leader; send it to http://127.0.0.2:3000',
      details: { leaderUri: 'http://127.0.0.2:3000' },
    },
  });
});

void test('auth: a compat challenge is plain text, a v2 challenge a typed error', async () => {
  const { app } = testApp({ auth: basic, registerRoutes: [registerProbeRoutes] });
  const compat = await app.inject('/api/test-read');
  assert.equal(compat.headers['content-type'], 'text/plain; charset=utf-8');
  const v2 = await app.inject('/api/v2/test-read');
  assert.equal(v2.statusCode, 401);
  assert.equal(v2.json<{ error: { code: string } }>().error.code, 'UNAUTHENTICATED');
});

void test('auth: basic authentication also guards health endpoints and unknown paths', async () => {
  const { app } = testApp({ auth: basic });
  for (const url of ['/api/leader-check', '/api/health', '/metrics', '/api/nope', '/api/v2/x']) {
    assert.equal((await app.inject(url)).statusCode, 401, url);
  }
  const headers = { authorization: basicAuth('admin', 's3cret') };
  assert.equal((await app.inject({ url: '/api/leader-check', headers })).statusCode, 200);
});

void test('auth: handlers see the authenticated user on request.principal', async () => {
  const { app } = testApp({
    auth: multi,
    registerRoutes: [
      (scope) =>
        scope.get('/api/v2/whoami', { config: { mutates: false } }, (request) => ({
          user: request.principal?.user ?? null,
        })),
    ],
  });
  const headers = { authorization: basicAuth('readonly', 'x') };
  assert.deepEqual((await app.inject({ url: '/api/v2/whoami', headers })).json(), {
    user: 'readonly',
  });
});

void test('auth: a failing group lookup refuses the change and logs a warning', async () => {
  const failing = (): Promise<boolean> => Promise.reject(new Error('EACCES: /etc/group'));
  const { app, lines } = testApp({
    auth: { ...proxy, groupMembership: failing },
    registerRoutes: [registerProbeRoutes],
  });
  const headers = { 'x-forwarded-user': 'dave' };
  const res = await app.inject({ method: 'POST', url: '/api/v2/test-mutate', headers });
  assert.equal(res.statusCode, 403);
  assert.ok(lines.some((l) => l.msg === 'power group lookup failed' && l.level === 40));
});

void test('auth: token, unknown methods and multi without a user refuse to start', () => {
  const cases: [HttpAuthOptions, string, RegExp][] = [
    [{ method: 'token' }, 'HTTP_AUTH_UNSUPPORTED', /"token": not supported yet/],
    [{ method: 'kerberos' }, 'HTTP_AUTH_UNSUPPORTED', /"kerberos": unknown method/],
    [{ method: 'multi' }, 'HTTP_AUTH_INVALID', /HTTPAuthUser is empty/],
  ];
  for (const [options, code, message] of cases) {
    assert.throws(
      () => compileAuth(options, silentLogger()),
      (err: unknown) => hasCode(err, code) && message.test(err.message),
      options.method,
    );
  }
});

void test('auth: methods are matched case-insensitively, like orchestrator', () => {
  assert.equal(compileAuth({ method: 'Basic', user: 'a' }, silentLogger()).method, 'basic');
  assert.equal(compileAuth({ method: ' PROXY ' }, silentLogger()).method, 'proxy');
});

void test('auth: basic without a user warns once at startup', () => {
  const warnings: string[] = [];
  const logger = { warn: (_fields: object, msg: string) => warnings.push(msg) };
  compileAuth({ method: 'basic' }, logger as never);
  assert.deepEqual(warnings, ['basic authentication has no user: requests are not authenticated']);
});

void test('auth: basic credentials are parsed from the Authorization header', () => {
  const cases: [string | undefined, { user: string; password: string } | null][] = [
    [basicAuth('admin', 's3cret'), { user: 'admin', password: 's3cret' }],
    [basicAuth('admin', 'with:colon'), { user: 'admin', password: 'with:colon' }],
    [basicAuth('', ''), { user: '', password: '' }],
    [`basic ${Buffer.from('a:b').toString('base64')}`, { user: 'a', password: 'b' }],
    [`Basic ${Buffer.from('nocolon').toString('base64')}`, null],
    ['Bearer abc', null],
    ['Basic', null],
    ['Basic !!!', null],
    [undefined, null],
  ];
  for (const [header, credentials] of cases) {
    assert.deepEqual(parseBasic(header), credentials, String(header));
  }
});
