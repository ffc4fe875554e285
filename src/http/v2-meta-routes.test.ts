import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { testApp } from './testing.js';
import type { OrcApp } from './types.js';

void test('v2 meta: /api/v2/health is 200 with the node, mode and leadership', async () => {
  const { app, leadership } = testApp();
  leadership.others = [{ hostname: 'orc-2', token: 't2', version: '1.0.0' }];
  const res = await app.inject('/api/v2/health');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), {
    healthy: true,
    mode: 'single',
    isLeader: true,
    leaderUri: 'http://127.0.0.1:3000',
    node: { hostname: 'orc-test', version: '0.0.0-test' },
    availableNodes: [
      { hostname: 'orc-test', version: '0.0.0-test' },
      { hostname: 'orc-2', version: '1.0.0' },
    ],
  });
});

void test('v2 meta: /api/v2/health is 503 with the reason when unhealthy', async () => {
  const { app, leadership } = testApp();
  leadership.healthy = false;
  leadership.reason = 'backend unreachable: timeout';
  const res = await app.inject('/api/v2/health');
  assert.equal(res.statusCode, 503);
  const body = res.json<{ healthy: boolean; reason: string }>();
  assert.equal(body.healthy, false);
  assert.equal(body.reason, 'backend unreachable: timeout');
});

void test('v2 meta: /api/v2/health includes raft details in raft mode', async () => {
  const { app, leadership } = testApp();
  leadership.mode = 'raft';
  leadership.leader = false;
  leadership.raft = {
    role: 'follower',
    leaderAddress: '127.0.0.2:10008',
    leaderUri: 'http://127.0.0.2:3000',
    advertise: '127.0.0.1:10008',
    healthyMembers: ['127.0.0.1:10008', '127.0.0.2:10008'],
  };
  const body = (await app.inject('/api/v2/health')).json<Record<string, unknown>>();
  assert.equal(body.mode, 'raft');
  assert.equal(body.isLeader, false);
  assert.deepEqual(body.raft, leadership.raft);
});

void test('v2 meta: /api/v2/leader tells whether this node leads and the leader URI', async () => {
  const { app, leadership } = testApp();
  assert.deepEqual((await app.inject('/api/v2/leader')).json(), {
    isLeader: true,
    leaderUri: 'http://127.0.0.1:3000',
    mode: 'single',
  });
  leadership.leader = false;
  leadership.uri = null;
  leadership.mode = 'shared-backend';
  const res = await app.inject('/api/v2/leader');
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { isLeader: false, leaderUri: null, mode: 'shared-backend' });
});

function registerSample(app: OrcApp): void {
  const body = Type.Object({ host: Type.String(), port: Type.Integer() });
  app.post(
    '/api/v2/instances/discover',
    { config: { mutates: true }, schema: { body, tags: ['instances'] } },
    () => ({}),
  );
  app.get('/api/instance/:host/:port', { config: { mutates: false } }, () => ({}));
}

void test('v2 meta: the OpenAPI document lists v2 routes only', async () => {
  const { app } = testApp({ urlPrefix: '/orc', registerRoutes: [registerSample] });
  const res = await app.inject('/orc/api/v2/openapi.json');
  assert.equal(res.statusCode, 200);
  const doc = res.json<{ openapi: string; info: { version: string }; paths: object }>();
  assert.equal(doc.openapi, '3.0.3');
  assert.equal(doc.info.version, '0.0.0-test');
  assert.deepEqual(Object.keys(doc.paths).sort(), [
    '/orc/api/v2/health',
    '/orc/api/v2/instances/discover',
    '/orc/api/v2/leader',
  ]);
});
