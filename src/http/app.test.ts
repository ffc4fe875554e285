import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../common/errors.js';
import { apiFamilyResolver, normalizeUrlPrefix } from './app.js';
import { testApp } from './testing.js';
import type { OrcApp } from './types.js';

void test('app: URL prefixes are normalised like orchestrator URLPrefix', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['/', ''],
    ['orc', '/orc'],
    ['/orc', '/orc'],
    ['/orc/', '/orc'],
    ['//orc//', '/orc'],
    ['a/b/', '/a/b'],
    [' /orc ', '/orc'],
  ];
  for (const [raw, normalised] of cases) assert.equal(normalizeUrlPrefix(raw), normalised, raw);
});

void test('app: paths under {prefix}/api/v2 are v2, everything else compat', () => {
  const familyOf = apiFamilyResolver('/orc');
  const cases: [string, string][] = [
    ['/orc/api/v2/health', 'v2'],
    ['/orc/api/v2', 'v2'],
    ['/orc/api/v2?x=1', 'v2'],
    ['/orc/api/v2x', 'compat'],
    ['/orc/api/health', 'compat'],
    ['/api/v2/health', 'compat'],
    ['/orc/metrics', 'compat'],
  ];
  for (const [url, family] of cases) assert.equal(familyOf(url), family, url);
});

void test('app: every route is mounted under the URL prefix', async () => {
  const { app } = testApp({ urlPrefix: '/orc' });
  for (const url of ['/orc/api/lb-check', '/orc/api/v2/leader', '/orc/metrics']) {
    assert.equal((await app.inject(url)).statusCode, 200, url);
  }
  for (const url of ['/api/lb-check', '/api/v2/leader', '/metrics']) {
    assert.equal((await app.inject(url)).statusCode, 404, url);
  }
});

void test('app: registerRoutes run on the prefixed scope, in order', async () => {
  const order: string[] = [];
  const first = (app: OrcApp): void => {
    order.push('first');
    app.get('/api/v2/first', { config: { mutates: false } }, () => ({ n: 1 }));
  };
  const second = (app: OrcApp): void => {
    order.push('second');
    app.get('/api/v2/second', { config: { mutates: false } }, () => ({ n: 2 }));
  };
  const { app } = testApp({ urlPrefix: '/p', registerRoutes: [first, second] });
  assert.deepEqual((await app.inject('/p/api/v2/second')).json(), { n: 2 });
  assert.deepEqual(order, ['first', 'second']);
});

void test('app: a route without a mutates declaration makes ready() fail', async () => {
  const { app } = testApp({
    registerRoutes: [(scope) => scope.get('/api/v2/undeclared', () => ({}))],
  });
  await assert.rejects(
    async () => app.ready(),
    (err: unknown) =>
      hasCode(err, 'HTTP_ROUTE_UNDECLARED') &&
      err.message ===
        'cannot register GET /api/v2/undeclared: its config must declare mutates: true or false',
  );
});

void test('app: a v2 GET route declaring mutates: true makes ready() fail', async () => {
  const { app } = testApp({
    registerRoutes: [
      (scope) => scope.get('/api/v2/change', { config: { mutates: true } }, () => ({})),
    ],
  });
  await assert.rejects(
    async () => app.ready(),
    (err: unknown) => hasCode(err, 'HTTP_ROUTE_UNDECLARED'),
  );
});

void test('app: compat GET routes may mutate, as in orchestrator', async () => {
  const { app } = testApp({
    registerRoutes: [
      (scope) => scope.get('/api/forget/:host/:port', { config: { mutates: true } }, () => 'x'),
    ],
  });
  await app.ready();
  assert.equal((await app.inject('/api/forget/h/1')).statusCode, 200);
});

void test('app: no request line is logged above debug', async () => {
  const { app, lines } = testApp();
  await app.inject('/api/lb-check');
  assert.ok(lines.every((l) => (l.level as number) <= 20));
  const served = lines.find((l) => l.msg === 'request served');
  assert.equal(served?.route, '/api/lb-check');
  assert.equal(served?.status_code, '200');
});
