import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { OrcError } from '../common/errors.js';
import { statusForCode, v2ErrorFor } from './errors.js';
import { testApp } from './testing.js';
import type { OrcApp } from './types.js';

void test('errors: v2 status by code, exact table first, then suffix rules, else 500', () => {
  const cases: [string, number][] = [
    ['NOT_FOUND', 404],
    ['INSTANCE_NOT_FOUND', 404],
    ['VALIDATION_FAILED', 400],
    ['INVALID_ARGUMENT', 400],
    ['UNAUTHENTICATED', 401],
    ['FORBIDDEN', 403],
    ['READ_ONLY', 403],
    ['CONFLICT', 409],
    ['INSTANCE_IN_MAINTENANCE', 409],
    ['NOT_LEADER', 503],
    ['TIMEOUT', 504],
    ['ALIAS_NOT_FOUND', 404],
    ['COORDINATES_INVALID', 400],
    ['DOWNTIME_CONFLICT', 409],
    ['CANDIDATE_EXISTS', 409],
    ['KV_UNAVAILABLE', 503],
    ['PROBE_FAILED', 500],
    ['toString', 500],
  ];
  for (const [code, status] of cases) assert.equal(statusForCode(code), status, code);
});

void test('errors: an OrcError becomes a typed body with its context as details', () => {
  const err = new OrcError('INSTANCE_NOT_FOUND', 'cannot read 127.0.0.1:3307: unknown instance', {
    context: { instance: '127.0.0.1:3307' },
  });
  assert.deepEqual(v2ErrorFor(err), {
    status: 404,
    body: {
      error: {
        code: 'INSTANCE_NOT_FOUND',
        message: 'cannot read 127.0.0.1:3307: unknown instance',
        details: { instance: '127.0.0.1:3307' },
      },
    },
  });
  const bare = v2ErrorFor(new OrcError('CONFLICT', 'x'));
  assert.deepEqual(bare.body, { error: { code: 'CONFLICT', message: 'x' } });
});

void test('errors: anything else is a 500 INTERNAL with its message', () => {
  assert.deepEqual(v2ErrorFor(new Error('boom')), {
    status: 500,
    body: { error: { code: 'INTERNAL', message: 'boom' } },
  });
  assert.equal(v2ErrorFor('a string').body.error.message, 'a string');
});

function registerFailingRoutes(app: OrcApp): void {
  const notFound = new OrcError('CLUSTER_NOT_FOUND', 'cannot find cluster "db1"', {
    context: { cluster: 'db1' },
  });
  app.get('/api/v2/orc-error', { config: { mutates: false } }, () => {
    throw notFound;
  });
  app.get('/api/v2/bug', { config: { mutates: false } }, () => {
    throw new TypeError('cannot read properties of undefined');
  });
  app.get('/api/compat-error', { config: { mutates: false } }, () => {
    throw notFound;
  });
  const body = Type.Object({ port: Type.Integer({ minimum: 1, maximum: 65535 }) });
  app.post('/api/v2/validated', { config: { mutates: true }, schema: { body } }, () => ({}));
  const params = Type.Object({ port: Type.Integer() });
  app.get(
    '/api/compat-validated/:port',
    { config: { mutates: false }, schema: { params } },
    () => ({}),
  );
}

void test('errors: a v2 route throwing an OrcError answers the mapped status', async () => {
  const { app, lines } = testApp({ registerRoutes: [registerFailingRoutes] });
  const res = await app.inject('/api/v2/orc-error');
  assert.equal(res.statusCode, 404);
  assert.deepEqual(res.json(), {
    error: {
      code: 'CLUSTER_NOT_FOUND',
      message: 'cannot find cluster "db1"',
      details: { cluster: 'db1' },
    },
  });
  assert.ok(!lines.some((l) => l.level === 50), 'expected errors are not logged as errors');
});

void test('errors: an unexpected v2 failure is a 500 INTERNAL and logged at error', async () => {
  const { app, lines } = testApp({ registerRoutes: [registerFailingRoutes] });
  const res = await app.inject('/api/v2/bug');
  assert.equal(res.statusCode, 500);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'INTERNAL');
  const logged = lines.find((l) => l.level === 50);
  assert.equal(logged?.msg, 'request failed');
  assert.equal(logged?.component, 'http');
});

void test('errors: a compat route error is orchestrator envelope with 500', async () => {
  const { app } = testApp({ registerRoutes: [registerFailingRoutes] });
  const res = await app.inject('/api/compat-error');
  assert.equal(res.statusCode, 500);
  assert.equal(res.headers['content-type'], 'application/json; charset=UTF-8');
  assert.equal(
    res.body,
    '{"Code":"ERROR","Message":"cannot find cluster \\"db1\\"","Details":null}',
  );
});

void test('errors: v2 schema validation failure is 400 VALIDATION_FAILED with issues', async () => {
  const { app } = testApp({ registerRoutes: [registerFailingRoutes] });
  const res = await app.inject({ method: 'POST', url: '/api/v2/validated', payload: { port: 0 } });
  assert.equal(res.statusCode, 400);
  const body = res.json<{ error: { code: string; details: { issues: unknown[] } } }>();
  assert.equal(body.error.code, 'VALIDATION_FAILED');
  assert.deepEqual(body.error.details.issues, [
    { where: 'body', path: '/port', message: 'must be >= 1' },
  ]);
});

void test('errors: malformed JSON on v2 is a 400 INVALID_REQUEST', async () => {
  const { app } = testApp({ registerRoutes: [registerFailingRoutes] });
  const res = await app.inject({
    method: 'POST',
    url: '/api/v2/validated',
    headers: { 'content-type': 'application/json' },
    payload: '{"port":',
  });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json<{ error: { code: string } }>().error.code, 'INVALID_REQUEST');
});

void test('errors: compat validation failures are orchestrator 500 envelopes', async () => {
  const { app } = testApp({ registerRoutes: [registerFailingRoutes] });
  const res = await app.inject('/api/compat-validated/abc');
  assert.equal(res.statusCode, 500);
  assert.equal(res.json<{ Code: string }>().Code, 'ERROR');
});

void test('errors: unknown paths are Go 404 text in compat and typed 404 in v2', async () => {
  const { app } = testApp();
  const compat = await app.inject('/api/no-such-thing');
  assert.deepEqual([compat.statusCode, compat.body], [404, '404 page not found\n']);
  const v2 = await app.inject('/api/v2/no-such-thing?x=1');
  assert.equal(v2.statusCode, 404);
  assert.deepEqual(v2.json(), {
    error: { code: 'ROUTE_NOT_FOUND', message: 'no route GET /api/v2/no-such-thing' },
  });
});
