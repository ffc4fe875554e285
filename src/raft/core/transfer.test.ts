import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLeaseValid } from './lease.js';
import { lastIndex } from './log.js';
import type { RequestOutcome } from './io.js';
import { TestCluster, TEST_TIMING } from './testing.js';

const three = ['a', 'b', 'c'];

function withLeader(): TestCluster {
  const cluster = new TestCluster(three);
  cluster.start();
  cluster.elect('a');
  cluster.heartbeat('a');
  return cluster;
}

function transferOf(cluster: TestCluster, id: string): unknown {
  const role = cluster.state(id).role;
  return role.type === 'leader' ? role.transfer : 'not leader';
}

function outcome(
  cluster: TestCluster,
  id: string,
  input: Parameters<TestCluster['input']>[1],
): RequestOutcome {
  const answer = cluster.input(id, input).find((e) => e.type === 'respond');
  assert.ok(answer?.type === 'respond');
  return answer.outcome;
}

void test('transfer: a caught-up target gets TimeoutNow and takes over in the next term', () => {
  const cluster = withLeader();
  const started = outcome(cluster, 'a', {
    type: 'transfer-leadership',
    requestId: 't',
    target: 'c',
  });
  assert.deepEqual(started, { status: 'transfer-started', target: 'c', term: 1 });
  assert.equal(isLeaseValid(cluster.state('a'), cluster.now), false, 'no lease while transferring');
  cluster.settle();
  assert.equal(cluster.state('c').role.type, 'leader');
  assert.equal(cluster.state('c').term, 2);
  assert.equal(cluster.state('a').role.type, 'follower');
  assert.equal(cluster.state('a').leaderId, 'c');
  const timeoutNow = cluster.effectsOf('a', 'send').filter((e) => e.message.type === 'timeout-now');
  assert.deepEqual(
    timeoutNow.map((e) => e.to),
    ['c'],
  );
});

void test('transfer: proposals are refused while it is under way', () => {
  const cluster = withLeader();
  cluster.input('a', { type: 'transfer-leadership', requestId: 't', target: 'c' });
  const refused = outcome(cluster, 'a', { type: 'client-propose', requestId: 'p', data: 'x' });
  assert.equal(refused.status === 'rejected' && refused.code, 'TRANSFER_IN_PROGRESS');
});

void test('transfer: a lagging target is brought up to date before TimeoutNow', () => {
  const cluster = withLeader();
  cluster.cutBoth('a', 'c');
  for (const data of ['x', 'y', 'z'])
    cluster.input('a', { type: 'client-propose', requestId: data, data });
  cluster.heartbeat('a');
  cluster.heal();
  cluster.inflight = [];
  cluster.input('a', { type: 'transfer-leadership', requestId: 't', target: 'c' });
  cluster.settle();
  assert.equal(cluster.state('c').role.type, 'leader');
  assert.equal(lastIndex(cluster.state('c').log), 5, 'both noops around x, y, z');
  const log = cluster.history.get('a') ?? [];
  const lastAppendToC = log.findLastIndex(
    (e) =>
      e.type === 'send' &&
      e.to === 'c' &&
      e.message.type === 'append-entries' &&
      e.message.entries.length > 0,
  );
  const timeoutNow = log.findIndex((e) => e.type === 'send' && e.message.type === 'timeout-now');
  assert.ok(lastAppendToC >= 0 && lastAppendToC < timeoutNow);
});

void test('transfer: aborted after an election timeout; the leader resumes and re-earns its lease', () => {
  const cluster = withLeader();
  cluster.cutBoth('a', 'c');
  cluster.input('a', { type: 'transfer-leadership', requestId: 't', target: 'c' });
  for (let t = 0; t < TEST_TIMING.electionTimeoutMinMs; t += TEST_TIMING.heartbeatIntervalMs) {
    cluster.heartbeat('a');
  }
  assert.equal(cluster.state('a').role.type, 'leader');
  assert.equal(transferOf(cluster, 'a'), null);
  assert.equal(
    isLeaseValid(cluster.state('a'), cluster.now),
    false,
    'earlier acks no longer count',
  );
  const accepted = outcome(cluster, 'a', { type: 'client-propose', requestId: 'p', data: 'x' });
  assert.equal(accepted.status, 'appended');
  cluster.heartbeat('a');
  assert.equal(isLeaseValid(cluster.state('a'), cluster.now), true, 'acks of later messages do');
});

void test('transfer: a TimeoutNow delivered after the abort cannot win a vote against a live leader', () => {
  const cluster = withLeader();
  cluster.input('a', { type: 'transfer-leadership', requestId: 't', target: 'c' });
  // Everything to c is held back until the transfer has been aborted.
  for (let t = 0; t <= TEST_TIMING.electionTimeoutMinMs; t += TEST_TIMING.heartbeatIntervalMs) {
    cluster.advance(TEST_TIMING.heartbeatIntervalMs);
    cluster.tick('a');
    cluster.settle((e) => e.to !== 'c');
  }
  assert.equal(transferOf(cluster, 'a'), null, 'aborted');
  const late = cluster.inflight.find((e) => e.message.type === 'timeout-now');
  assert.ok(late !== undefined);
  cluster.inflight = [late];
  cluster.deliverOnce();
  assert.equal(cluster.state('c').role.type, 'candidate', 'c campaigns, claiming a transfer');
  cluster.settle();
  assert.equal(
    cluster.state('a').role.type,
    'leader',
    'b refused: its leader withdrew that transfer',
  );
  assert.equal(cluster.state('b').votedFor, 'a');
});

const refusals: { name: string; at: string; target?: string; code: string }[] = [
  { name: 'on a follower', at: 'b', target: 'c', code: 'NOT_LEADER' },
  { name: 'to the leader itself', at: 'a', target: 'a', code: 'INVALID_TARGET' },
  { name: 'to a stranger', at: 'a', target: 'z', code: 'NOT_MEMBER' },
];

for (const r of refusals) {
  void test(`transfer: refused ${r.name} with ${r.code}`, () => {
    const cluster = withLeader();
    const input =
      r.target === undefined
        ? { type: 'transfer-leadership' as const, requestId: 't' }
        : { type: 'transfer-leadership' as const, requestId: 't', target: r.target };
    const answer = outcome(cluster, r.at, input);
    assert.equal(answer.status === 'rejected' && answer.code, r.code);
  });
}

void test('transfer: a second request while one is under way is refused', () => {
  const cluster = withLeader();
  cluster.input('a', { type: 'transfer-leadership', requestId: 't1', target: 'b' });
  const answer = outcome(cluster, 'a', {
    type: 'transfer-leadership',
    requestId: 't2',
    target: 'c',
  });
  assert.equal(answer.status === 'rejected' && answer.code, 'TRANSFER_IN_PROGRESS');
});

void test('transfer: without a target, the most up-to-date member is chosen', () => {
  const cluster = withLeader();
  cluster.cutBoth('a', 'b');
  cluster.input('a', { type: 'client-propose', requestId: 'p', data: 'x' });
  cluster.heartbeat('a');
  const answer = outcome(cluster, 'a', { type: 'transfer-leadership', requestId: 't' });
  assert.deepEqual(answer, { status: 'transfer-started', target: 'c', term: 1 });
});

void test('transfer: a reordered older heartbeat cannot revive a withdrawn transfer on a voter', () => {
  const cluster = withLeader();
  const heartbeat = (sentAt: number, transferTo: string | null) =>
    cluster.input('b', {
      type: 'message-received',
      message: {
        v: 1,
        type: 'append-entries',
        from: 'a',
        term: 1,
        prevLogIndex: 1,
        prevLogTerm: 1,
        entries: [],
        leaderCommit: 1,
        sentAt,
        transferTo,
      },
    });
  heartbeat(cluster.now, null);
  heartbeat(cluster.now - 5, 'c');
  const answer = cluster
    .input('b', {
      type: 'message-received',
      message: {
        v: 1,
        type: 'request-vote',
        from: 'c',
        term: 2,
        lastLogIndex: 1,
        lastLogTerm: 1,
        transfer: true,
      },
    })
    .find((e) => e.type === 'send');
  assert.ok(answer?.type === 'send' && answer.message.type === 'request-vote-response');
  assert.equal(answer.message.granted, false);
  assert.equal(cluster.state('b').term, 1);
});
