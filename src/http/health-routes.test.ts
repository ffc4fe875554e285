import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notLeaderStatus } from './routes/health.js';
import { testApp } from './testing.js';

const JSON_TYPE = 'application/json; charset=UTF-8';

void test('health: /api/lb-check and /api/_ping answer 200 with the JSON string "OK"', async () => {
  const { app, leadership } = testApp();
  leadership.leader = false;
  leadership.healthy = false;
  for (const url of ['/api/lb-check', '/api/_ping']) {
    const res = await app.inject(url);
    assert.equal(res.statusCode, 200, url);
    assert.equal(res.body, '"OK"', url);
    assert.equal(res.headers['content-type'], JSON_TYPE, url);
  }
});

void test('health: leader-check is 200 "OK" on the leader, else 404 "Not leader"', async () => {
  const { app, leadership } = testApp();
  const onLeader = await app.inject('/api/leader-check');
  assert.deepEqual([onLeader.statusCode, onLeader.body], [200, '"OK"']);

  leadership.leader = false;
  const onFollower = await app.inject('/api/leader-check');
  assert.deepEqual([onFollower.statusCode, onFollower.body], [404, '"Not leader"']);
  assert.equal(onFollower.headers['content-type'], JSON_TYPE);
});

void test('health: /api/leader-check/:code answers the given status on a non-leader', async () => {
  const { app, leadership } = testApp();
  assert.equal((await app.inject('/api/leader-check/503')).statusCode, 200);

  leadership.leader = false;
  const res = await app.inject('/api/leader-check/503');
  assert.deepEqual([res.statusCode, res.body], [503, '"Not leader"']);
});

void test('health: leader-check codes outside 100-599 or not numbers fall back to 404', () => {
  const cases: [string, number][] = [
    ['503', 503],
    ['+429', 429],
    ['100', 100],
    ['599', 599],
    ['99', 404],
    ['600', 404],
    ['0', 404],
    ['-1', 404],
    ['abc', 404],
    ['5o3', 404],
    ['', 404],
    ['99999', 404],
  ];
  for (const [raw, expected] of cases) assert.equal(notLeaderStatus(raw), expected, raw);
});

void test('health: /api/health on a healthy node is 200 with HealthStatus', async () => {
  const { app, leadership } = testApp();
  leadership.self = {
    hostname: 'orc-1',
    token: 'abc',
    version: '1.2.3',
    firstSeenActiveMs: Date.UTC(2024, 4, 1, 10, 0, 0),
    lastSeenActiveMs: Date.UTC(2024, 4, 1, 10, 0, 5),
    backend: 'sqlite',
  };
  const res = await app.inject('/api/health');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], JSON_TYPE);
  const node = {
    Hostname: 'orc-1',
    Token: 'abc',
    AppVersion: '1.2.3',
    FirstSeenActive: '2024-05-01 10:00:00',
    LastSeenActive: '2024-05-01 10:00:05',
    ExtraInfo: '',
    Command: '',
    DBBackend: 'sqlite',
    LastReported: '2024-05-01T10:00:05.000Z',
  };
  assert.deepEqual(res.json(), {
    Code: 'OK',
    Message: 'Application node is healthy',
    Details: {
      Healthy: true,
      Hostname: 'orc-1',
      Token: 'abc',
      IsActiveNode: true,
      ActiveNode: node,
      Error: null,
      AvailableNodes: [node],
      RaftLeader: '',
      IsRaftLeader: false,
      RaftLeaderURI: '',
      RaftAdvertise: '',
      RaftHealthyMembers: null,
    },
  });
});

void test('health: HealthStatus field order is orchestrator struct order', async () => {
  const { app } = testApp();
  const body = (await app.inject('/api/health')).json<{ Details: Record<string, unknown> }>();
  assert.deepEqual(Object.keys(body), ['Code', 'Message', 'Details']);
  assert.deepEqual(Object.keys(body.Details), [
    'Healthy',
    'Hostname',
    'Token',
    'IsActiveNode',
    'ActiveNode',
    'Error',
    'AvailableNodes',
    'RaftLeader',
    'IsRaftLeader',
    'RaftLeaderURI',
    'RaftAdvertise',
    'RaftHealthyMembers',
  ]);
});

void test('health: an unhealthy node answers 500 ERROR on health and status', async () => {
  const { app, leadership } = testApp();
  leadership.healthy = false;
  leadership.reason = 'backend unreachable: connect ECONNREFUSED';
  for (const url of ['/api/health', '/api/status']) {
    const res = await app.inject(url);
    assert.equal(res.statusCode, 500, url);
    const body = res.json<{ Code: string; Message: string; Details: Record<string, unknown> }>();
    assert.equal(body.Code, 'ERROR');
    assert.equal(
      body.Message,
      'Application node is unhealthy backend unreachable: connect ECONNREFUSED',
    );
    assert.equal(body.Details.Healthy, false);
    assert.equal(body.Details.Error, 'backend unreachable: connect ECONNREFUSED');
  }
});

void test('health: a follower reports the active node and IsActiveNode false', async () => {
  const { app, leadership } = testApp();
  leadership.leader = false;
  leadership.others = [{ hostname: 'orc-2', token: 't2', version: '1.0.0' }];
  const body = (await app.inject('/api/status')).json<{ Details: Record<string, unknown> }>();
  assert.equal(body.Details.IsActiveNode, false);
  assert.equal((body.Details.ActiveNode as { Hostname: string }).Hostname, 'orc-2');
  assert.equal(
    (body.Details.ActiveNode as { LastReported: string }).LastReported,
    '0001-01-01T00:00:00Z',
  );
  assert.equal((body.Details.AvailableNodes as unknown[]).length, 2);
});

void test('health: in raft mode HealthStatus carries the raft fields', async () => {
  const { app, leadership } = testApp();
  leadership.mode = 'raft';
  leadership.raft = {
    role: 'leader',
    leaderAddress: '127.0.0.1:10008',
    leaderUri: 'http://127.0.0.1:3000',
    advertise: '127.0.0.1:10008',
    healthyMembers: ['127.0.0.1:10008', '127.0.0.2:10008'],
  };
  const body = (await app.inject('/api/health')).json<{ Details: Record<string, unknown> }>();
  assert.equal(body.Details.RaftLeader, '127.0.0.1:10008');
  assert.equal(body.Details.IsRaftLeader, true);
  assert.equal(body.Details.RaftLeaderURI, 'http://127.0.0.1:3000');
  assert.equal(body.Details.RaftAdvertise, '127.0.0.1:10008');
  assert.deepEqual(body.Details.RaftHealthyMembers, ['127.0.0.1:10008', '127.0.0.2:10008']);
});

void test('health: raft-health without raft is 500 "not running with raft setup"', async () => {
  const { app } = testApp();
  const res = await app.inject('/api/raft-health');
  assert.equal(res.statusCode, 500);
  assert.equal(
    res.body,
    '{"Code":"ERROR","Message":"raft-state: not running with raft setup","Details":null}',
  );
});

void test('health: raft-health is 200 "healthy" for leader and follower, else 500', async () => {
  const { app, leadership } = testApp();
  leadership.mode = 'raft';
  const raft = { leaderAddress: '', leaderUri: '', advertise: '', healthyMembers: [] };
  const cases = [
    ['leader', 200, '"healthy"'],
    ['follower', 200, '"healthy"'],
    ['candidate', 500, '{"Code":"ERROR","Message":"unhealthy","Details":null}'],
    ['shutdown', 500, '{"Code":"ERROR","Message":"unhealthy","Details":null}'],
  ] as const;
  for (const [role, status, body] of cases) {
    leadership.raft = { ...raft, role };
    const res = await app.inject('/api/raft-health');
    assert.deepEqual([res.statusCode, res.body], [status, body], role);
  }
});

void test('health: a custom StatusEndpoint is served as written, outside the prefix', async () => {
  const { app } = testApp({ urlPrefix: '/orc', statusEndpoint: '/healthz' });
  assert.equal((await app.inject('/healthz')).statusCode, 200);
  assert.equal((await app.inject('/orc/healthz')).statusCode, 404);
  assert.equal((await app.inject('/orc/api/status')).statusCode, 404);
  assert.equal((await app.inject('/orc/api/health')).statusCode, 200);
});

void test('health: the default status endpoint lives under the URL prefix', async () => {
  const { app } = testApp({ urlPrefix: 'orc/' });
  assert.equal((await app.inject('/orc/api/status')).statusCode, 200);
  assert.equal((await app.inject('/orc/api/leader-check')).statusCode, 200);
  assert.equal((await app.inject('/api/status')).statusCode, 404);
});
