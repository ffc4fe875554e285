import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestOutcome } from './io.js';
import { lastIndex } from './log.js';
import { cmd, TestCluster, TEST_TIMING } from './testing.js';

const three = ['a', 'b', 'c'];

function withLeader(): TestCluster {
  const cluster = new TestCluster(three);
  cluster.start();
  cluster.elect('a');
  cluster.heartbeat('a');
  return cluster;
}

function ask(
  cluster: TestCluster,
  id: string,
  input: Parameters<TestCluster['input']>[1],
): RequestOutcome {
  const answer = cluster.input(id, input).find((e) => e.type === 'respond');
  assert.ok(answer?.type === 'respond');
  return answer.outcome;
}

void test('membership: an added node is in force at once, catches up and becomes a voter', () => {
  const cluster = withLeader();
  cluster.addNode('d', {}, three);
  cluster.start(['d']);
  cluster.advance(TEST_TIMING.electionTimeoutMaxMs * 3);
  cluster.tick('d');
  assert.equal(cluster.state('d').role.type, 'follower', 'a non-member never campaigns');

  const added = ask(cluster, 'a', { type: 'add-peer', requestId: 'r', peer: 'd' });
  assert.deepEqual(added, { status: 'appended', index: 2, term: 1 });
  assert.deepEqual(cluster.state('a').config, { members: ['a', 'b', 'c', 'd'], index: 2 });
  assert.deepEqual(cluster.effectsOf('a', 'membership-changed').at(-1), {
    type: 'membership-changed',
    members: ['a', 'b', 'c', 'd'],
    index: 2,
  });
  cluster.settle();
  cluster.heartbeat('a');
  assert.equal(cluster.state('a').commitIndex, 2);
  assert.deepEqual(cluster.state('d').config.members, ['a', 'b', 'c', 'd']);
  assert.equal(lastIndex(cluster.state('d').log), 2);

  // Now a quorum is three of four: with b and c away, nothing commits.
  cluster.cutBoth('a', 'b');
  cluster.cutBoth('a', 'c');
  cluster.input('a', { type: 'client-propose', requestId: 'p', data: 'x' });
  cluster.heartbeat('a');
  assert.equal(cluster.state('a').commitIndex, 2);
});

void test('membership: one change at a time; the next waits until the previous one commits', () => {
  const cluster = withLeader();
  cluster.addNode('d', {}, three);
  cluster.addNode('e', {}, three);
  cluster.start(['d', 'e']);
  ask(cluster, 'a', { type: 'add-peer', requestId: 'r1', peer: 'd' });
  const second = ask(cluster, 'a', { type: 'add-peer', requestId: 'r2', peer: 'e' });
  assert.equal(second.status === 'rejected' && second.code, 'CONFIG_CHANGE_IN_PROGRESS');
  cluster.settle();
  cluster.heartbeat('a');
  const third = ask(cluster, 'a', { type: 'add-peer', requestId: 'r3', peer: 'e' });
  assert.equal(third.status, 'appended');
});

void test('membership: a new leader changes nothing before an entry of its own term commits', () => {
  const cluster = new TestCluster(three);
  cluster.start();
  cluster.advance(TEST_TIMING.electionTimeoutMaxMs);
  cluster.tick('a');
  cluster.settle((e) => e.message.type !== 'append-entries');
  assert.equal(cluster.state('a').role.type, 'leader');
  const refused = ask(cluster, 'a', { type: 'remove-peer', requestId: 'r', peer: 'c' });
  assert.ok(refused.status === 'rejected');
  assert.equal(refused.code, 'CONFIG_CHANGE_IN_PROGRESS');
  assert.match(refused.reason, /has not committed an entry of term 1/);
  cluster.settle();
  assert.equal(
    ask(cluster, 'a', { type: 'remove-peer', requestId: 'r', peer: 'c' }).status,
    'appended',
  );
});

void test('membership: a removed follower learns of it and stops campaigning', () => {
  const cluster = withLeader();
  ask(cluster, 'a', { type: 'remove-peer', requestId: 'r', peer: 'c' });
  cluster.settle();
  cluster.heartbeat('a');
  assert.deepEqual(cluster.state('a').config.members, ['a', 'b']);
  assert.deepEqual(cluster.state('c').config.members, ['a', 'b']);
  cluster.advance(TEST_TIMING.electionTimeoutMaxMs * 3);
  const effects = cluster.tick('c');
  assert.ok(!effects.some((e) => e.type === 'send'), 'no pre-vote from a non-member');
  for (let i = 0; i < 20; i++) cluster.heartbeat('a');
  assert.ok(
    !cluster
      .effectsOf('a', 'send')
      .slice(-4)
      .some((e) => e.to === 'c'),
    'the leader stopped replicating to c once the removal committed',
  );
});

void test('membership: a leader that removes itself leads until that commits, then steps down', () => {
  const cluster = withLeader();
  const removed = ask(cluster, 'a', { type: 'remove-peer', requestId: 'r', peer: 'a' });
  assert.deepEqual(removed, { status: 'appended', index: 2, term: 1 });
  assert.equal(cluster.state('a').role.type, 'leader');
  cluster.settle();
  assert.equal(cluster.state('a').role.type, 'follower');
  assert.equal(cluster.state('a').commitIndex, 2);
  cluster.heartbeat('a');
  const next = cluster.elect('b');
  assert.equal(next.role.type, 'leader');
  assert.deepEqual(next.config.members, ['b', 'c']);
});

const refusals: {
  name: string;
  input: Parameters<TestCluster['input']>[1];
  at: string;
  code: string;
}[] = [
  {
    name: 'adding a member',
    input: { type: 'add-peer', requestId: 'r', peer: 'b' },
    at: 'a',
    code: 'ALREADY_MEMBER',
  },
  {
    name: 'removing a stranger',
    input: { type: 'remove-peer', requestId: 'r', peer: 'z' },
    at: 'a',
    code: 'NOT_MEMBER',
  },
  {
    name: 'asking a follower',
    input: { type: 'add-peer', requestId: 'r', peer: 'd' },
    at: 'b',
    code: 'NOT_LEADER',
  },
];

for (const r of refusals) {
  void test(`membership: ${r.name} is refused with ${r.code}`, () => {
    const cluster = withLeader();
    const answer = ask(cluster, r.at, r.input);
    assert.equal(answer.status === 'rejected' && answer.code, r.code);
  });
}

void test('membership: the only member cannot be removed', () => {
  const cluster = new TestCluster(['solo']);
  cluster.start();
  const answer = ask(cluster, 'solo', { type: 'remove-peer', requestId: 'r', peer: 'solo' });
  assert.equal(answer.status === 'rejected' && answer.code, 'LAST_MEMBER');
});

void test('membership: a config entry that is truncated away stops being in force', () => {
  const cluster = new TestCluster(three);
  cluster.disks.set('c', {
    hardState: { term: 1, votedFor: null },
    snapshot: null,
    entries: [cmd(1, 1), { type: 'config', index: 2, term: 1, members: ['a', 'b', 'c', 'z'] }],
  });
  cluster.disks.set('a', {
    hardState: { term: 2, votedFor: null },
    snapshot: null,
    entries: [cmd(1, 1), cmd(2, 2)],
  });
  cluster.disks.set('b', { ...cluster.disk('a') });
  cluster.start();
  assert.deepEqual(cluster.state('c').config, { members: ['a', 'b', 'c', 'z'], index: 2 });
  cluster.elect('a');
  assert.deepEqual(cluster.state('c').config, { members: three, index: 0 });
  assert.deepEqual(cluster.effectsOf('c', 'membership-changed').at(-1), {
    type: 'membership-changed',
    members: three,
    index: 0,
  });
});
