import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLeaseValid, leaseExpiresAt } from './lease.js';
import { raftOptions } from './options.js';
import { startNode } from './step.js';
import { TestCluster, TEST_TIMING } from './testing.js';

const three = ['a', 'b', 'c'];

function withLeader(): TestCluster {
  const cluster = new TestCluster(three);
  cluster.start();
  cluster.elect('a');
  cluster.heartbeat('a');
  return cluster;
}

void test('lease: valid once a majority acknowledged, ends leaseMs after the acknowledged send', () => {
  const cluster = withLeader();
  const sentAt = cluster.now;
  assert.equal(isLeaseValid(cluster.state('a'), cluster.now), true);
  assert.equal(leaseExpiresAt(cluster.state('a')), sentAt + TEST_TIMING.leaseMs);
  cluster.isolate('a');
  cluster.advance(TEST_TIMING.leaseMs - 1);
  cluster.tick('a');
  assert.equal(isLeaseValid(cluster.state('a'), cluster.now), true);
  cluster.advance(1);
  assert.equal(isLeaseValid(cluster.state('a'), cluster.now), false);
  assert.equal(
    cluster.state('a').role.type,
    'leader',
    'still leader by role: leader-check must ask the lease',
  );
});

void test('lease: never held by a follower or candidate, always by a single-member leader', () => {
  const cluster = withLeader();
  assert.equal(isLeaseValid(cluster.state('b'), cluster.now), false);
  const solo = startNode(raftOptions({ ...TEST_TIMING, id: 's', members: ['s'] }), {
    now: 0,
    persisted: { hardState: { term: 0, votedFor: null }, snapshot: null, entries: [] },
    appliedIndex: 0,
    seed: 9,
  }).state;
  assert.equal(isLeaseValid(solo, 1e12), true);
});

void test('lease: an isolated leader loses its lease before anyone else is elected', () => {
  const cluster = withLeader();
  cluster.isolate('a');
  let electedAt: number | null = null;
  for (let ms = 0; ms < 2_000 && electedAt === null; ms++) {
    cluster.advance(1);
    for (const id of three) cluster.tick(id);
    cluster.settle();
    const rival = ['b', 'c'].find((id) => cluster.state(id).role.type === 'leader');
    if (rival !== undefined) electedAt = cluster.now;
    assert.ok(
      !(rival !== undefined && isLeaseValid(cluster.state('a'), cluster.now)),
      `a still held its lease when ${rival} was elected`,
    );
  }
  assert.ok(electedAt !== null, 'b or c took over');
  assert.ok(leaseExpiresAt(cluster.state('a')) <= electedAt);
});

void test('check-quorum: a leader without a majority for an election timeout steps down', () => {
  const cluster = withLeader();
  cluster.isolate('a');
  const lastAck = cluster.now;
  while (cluster.state('a').role.type === 'leader') {
    cluster.advance(TEST_TIMING.heartbeatIntervalMs);
    cluster.tick('a');
  }
  assert.ok(cluster.now - lastAck >= TEST_TIMING.electionTimeoutMinMs);
  assert.ok(
    cluster.now - lastAck < TEST_TIMING.electionTimeoutMinMs + 2 * TEST_TIMING.heartbeatIntervalMs,
  );
  const changed = cluster.effectsOf('a', 'leadership-changed').at(-1);
  assert.deepEqual(changed, {
    type: 'leadership-changed',
    term: 1,
    leaderId: null,
    isLeader: false,
  });
});

void test('check-quorum: a leader that still reaches a majority keeps leading', () => {
  const cluster = withLeader();
  cluster.cutBoth('a', 'c');
  for (let i = 0; i < 100; i++) cluster.heartbeat('a');
  assert.equal(cluster.state('a').role.type, 'leader');
  assert.equal(isLeaseValid(cluster.state('a'), cluster.now), true);
});
