import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../../common/errors.js';
import type { Effect } from './io.js';
import { lastIndex } from './log.js';
import { RAFT_WIRE_VERSION, type Message } from './messages.js';
import { raftOptions } from './options.js';
import { describeNode } from './state.js';
import { startNode, step } from './step.js';
import { cmd, TestCluster, TEST_TIMING } from './testing.js';

const three = ['a', 'b', 'c'];

function started(ids = three): TestCluster {
  const cluster = new TestCluster(ids);
  cluster.start();
  return cluster;
}

void test('election: a single-member cluster elects itself at start and commits at once', () => {
  const { state, effects } = startNode(
    raftOptions({ ...TEST_TIMING, id: 'solo', members: ['solo'] }),
    {
      now: 0,
      persisted: { hardState: { term: 0, votedFor: null }, snapshot: null, entries: [] },
      appliedIndex: 0,
      seed: 1,
    },
  );
  assert.equal(state.role.type, 'leader');
  assert.equal(state.term, 1);
  assert.deepEqual(
    effects.map((e) => e.type),
    ['persist', 'apply', 'leadership-changed'],
  );
  const proposed = step(state, { type: 'client-propose', now: 1, requestId: 'r1', data: 'x' });
  assert.deepEqual(
    proposed.effects.map((e) => e.type),
    ['persist', 'respond', 'apply'],
  );
  assert.equal(proposed.state.commitIndex, 2);
});

void test('election: the first timeout wins through pre-vote, then a vote, then a noop', () => {
  const cluster = started();
  const a = cluster.elect('a');
  assert.equal(a.role.type, 'leader');
  assert.equal(a.term, 1);
  assert.deepEqual(cluster.state('b').leaderId, 'a');
  assert.equal(a.commitIndex, 1, 'the noop of term 1 commits');
  assert.deepEqual(describeNode(a), {
    id: 'a',
    role: 'leader',
    term: 1,
    leaderId: 'a',
    commitIndex: 1,
    lastIndex: 1,
    members: three,
  });
  cluster.heartbeat('a');
  const sent = cluster.effectsOf('a', 'send').map((e) => e.message.type);
  assert.deepEqual(sent.slice(0, 4), ['pre-vote', 'pre-vote', 'request-vote', 'request-vote']);
  for (const id of three)
    assert.deepEqual(
      cluster.applied.get(id)?.map((e) => e.type),
      ['noop'],
    );
});

void test('election: a granted vote is on disk before the answer is sent', () => {
  const cluster = started();
  cluster.elect('a');
  const effects = cluster.history.get('b') ?? [];
  const vote = effects.findIndex(
    (e) => e.type === 'send' && e.message.type === 'request-vote-response' && e.message.granted,
  );
  const persisted = effects.findIndex(
    (e) => e.type === 'persist' && e.hardState?.votedFor === 'a' && e.hardState.term === 1,
  );
  assert.ok(persisted >= 0 && persisted < vote, 'persist of the vote precedes the vote');
});

void test('election: a node cut off keeps its term: pre-votes fail and it never disrupts', () => {
  const cluster = started();
  cluster.elect('a');
  cluster.isolate('c');
  for (let i = 0; i < 200; i++) {
    cluster.heartbeat('a');
    cluster.tick('c');
  }
  assert.equal(cluster.state('c').term, 1, 'pre-votes that fail do not raise the term');
  assert.equal(cluster.state('c').role.type, 'pre-candidate');
  cluster.heal();
  cluster.heartbeat('a');
  assert.equal(cluster.state('a').role.type, 'leader');
  assert.equal(cluster.state('a').term, 1);
  assert.equal(cluster.state('c').leaderId, 'a');
});

const cases: { name: string; message: Message; granted: boolean }[] = [
  {
    name: 'pre-vote',
    message: {
      v: RAFT_WIRE_VERSION,
      type: 'pre-vote',
      from: 'c',
      term: 2,
      lastLogIndex: 9,
      lastLogTerm: 1,
    },
    granted: false,
  },
  {
    name: 'request-vote',
    message: {
      v: RAFT_WIRE_VERSION,
      type: 'request-vote',
      from: 'c',
      term: 2,
      lastLogIndex: 9,
      lastLogTerm: 1,
      transfer: false,
    },
    granted: false,
  },
  {
    name: 'request-vote claiming a transfer nobody announced',
    message: {
      v: RAFT_WIRE_VERSION,
      type: 'request-vote',
      from: 'c',
      term: 2,
      lastLogIndex: 9,
      lastLogTerm: 1,
      transfer: true,
    },
    granted: false,
  },
];

for (const c of cases) {
  void test(`election: a follower that heard its leader refuses a ${c.name} without adopting its term`, () => {
    const cluster = started();
    cluster.elect('a');
    cluster.heartbeat('a');
    cluster.advance(TEST_TIMING.electionTimeoutMinMs - 1);
    const effects = cluster.input('b', { type: 'message-received', message: c.message });
    const answer = effects.find((e) => e.type === 'send')?.message;
    assert.ok(answer !== undefined && 'granted' in answer);
    assert.equal(answer.granted, c.granted);
    assert.equal(cluster.state('b').term, 1);
    assert.equal(cluster.state('b').votedFor, 'a');
    assert.ok(!effects.some((e) => e.type === 'persist'));
  });
}

void test('election: once the leader is silent for the minimum timeout, votes are granted again', () => {
  const cluster = started();
  cluster.elect('a');
  cluster.advance(TEST_TIMING.electionTimeoutMinMs);
  const effects = cluster.input('b', {
    type: 'message-received',
    message: {
      v: RAFT_WIRE_VERSION,
      type: 'request-vote',
      from: 'c',
      term: 2,
      lastLogIndex: 1,
      lastLogTerm: 1,
      transfer: false,
    },
  });
  assert.deepEqual(
    effects.map((e) => e.type),
    ['persist', 'send', 'leadership-changed'],
  );
  assert.equal(cluster.state('b').votedFor, 'c');
});

void test('election: a node never votes twice in a term, even after a restart (liferaft bug)', () => {
  const cluster = started();
  cluster.elect('a');
  cluster.advance(TEST_TIMING.electionTimeoutMaxMs);
  const ask = (from: string): Effect[] =>
    cluster.input('b', {
      type: 'message-received',
      message: {
        v: RAFT_WIRE_VERSION,
        type: 'request-vote',
        from,
        term: 5,
        lastLogIndex: 1,
        lastLogTerm: 1,
        transfer: false,
      },
    });
  const granted = (effects: Effect[]): boolean =>
    effects.some((e) => e.type === 'send' && 'granted' in e.message && e.message.granted);
  assert.equal(granted(ask('c')), true);
  cluster.restart('b');
  cluster.advance(TEST_TIMING.electionTimeoutMaxMs);
  assert.deepEqual(cluster.state('b').votedFor, 'c');
  assert.equal(granted(ask('a')), false, 'the vote for c in term 5 survived the restart');
  assert.equal(granted(ask('c')), true, 'asking again for the same candidate is fine');
});

void test('election: a restarted node refuses votes for one minimum election timeout', () => {
  const cluster = started();
  cluster.restart('b');
  const ask = (): boolean =>
    cluster
      .input('b', {
        type: 'message-received',
        message: {
          v: RAFT_WIRE_VERSION,
          type: 'pre-vote',
          from: 'c',
          term: 1,
          lastLogIndex: 0,
          lastLogTerm: 0,
        },
      })
      .some((e) => e.type === 'send' && 'granted' in e.message && e.message.granted);
  cluster.advance(TEST_TIMING.electionTimeoutMinMs - 1);
  assert.equal(ask(), false);
  cluster.advance(1);
  assert.equal(ask(), true);
});

const logs: {
  name: string;
  voter: [number, number];
  candidate: [number, number];
  granted: boolean;
}[] = [
  {
    name: 'higher last term wins over a longer log',
    voter: [5, 2],
    candidate: [3, 3],
    granted: true,
  },
  { name: 'same last term, longer log', voter: [5, 2], candidate: [6, 2], granted: true },
  { name: 'same last term, same length', voter: [5, 2], candidate: [5, 2], granted: true },
  { name: 'same last term, shorter log', voter: [5, 2], candidate: [4, 2], granted: false },
  { name: 'lower last term', voter: [5, 2], candidate: [9, 1], granted: false },
];

for (const c of logs) {
  void test(`election: up-to-date rule (§5.4.1): ${c.name} → ${c.granted ? 'granted' : 'refused'}`, () => {
    const entries = Array.from({ length: c.voter[0] }, (_, i) =>
      cmd(i + 1, i + 1 < c.voter[0] ? 1 : c.voter[1]),
    );
    const { state } = startNode(
      raftOptions({ ...TEST_TIMING, id: 'v', members: ['v', 'w', 'x'] }),
      {
        now: 0,
        persisted: { hardState: { term: 3, votedFor: null }, snapshot: null, entries },
        appliedIndex: 0,
        seed: 1,
      },
    );
    assert.equal(lastIndex(state.log), c.voter[0]);
    const { effects } = step(state, {
      type: 'message-received',
      now: 1_000,
      message: {
        v: RAFT_WIRE_VERSION,
        type: 'request-vote',
        from: 'w',
        term: 4,
        lastLogIndex: c.candidate[0],
        lastLogTerm: c.candidate[1],
        transfer: false,
      },
    });
    const answer = effects.find((e) => e.type === 'send')?.message;
    assert.ok(answer?.type === 'request-vote-response');
    assert.equal(answer.granted, c.granted);
  });
}

void test('election: a leader that sees a higher term in an answer steps down', () => {
  const cluster = started();
  cluster.elect('a');
  const effects = cluster.input('a', {
    type: 'message-received',
    message: {
      v: RAFT_WIRE_VERSION,
      type: 'append-entries-response',
      from: 'b',
      term: 7,
      success: false,
      matchIndex: 0,
      conflictIndex: 0,
      conflictTerm: null,
      sentAt: 0,
    },
  });
  assert.equal(cluster.state('a').role.type, 'follower');
  assert.equal(cluster.state('a').term, 7);
  assert.ok(effects.some((e) => e.type === 'leadership-changed' && !e.isLeader));
});

void test('election: restart refuses a state machine ahead of the stored log', () => {
  assert.throws(
    () =>
      startNode(raftOptions({ ...TEST_TIMING, id: 'a', members: three }), {
        now: 0,
        persisted: { hardState: { term: 1, votedFor: null }, snapshot: null, entries: [cmd(1, 1)] },
        appliedIndex: 2,
        seed: 1,
      }),
    (err: unknown) =>
      hasCode(err, 'RAFT_INVALID_PERSISTED_STATE') &&
      /applied 2 but the log ends at 1/.test(err.message),
  );
});

void test('election: restart refuses persisted state no store could have written', () => {
  const bad = [
    { entries: [cmd(1, 1), cmd(3, 1)], term: 1, says: /entry 3 where 2 was due/ },
    { entries: [cmd(1, 2), cmd(2, 1)], term: 2, says: /term 1 after term 2/ },
    { entries: [cmd(1, 4)], term: 2, says: /log term 4 exceeds the persisted term 2/ },
  ];
  for (const c of bad) {
    assert.throws(
      () =>
        startNode(raftOptions({ ...TEST_TIMING, id: 'a', members: three }), {
          now: 0,
          persisted: {
            hardState: { term: c.term, votedFor: null },
            snapshot: null,
            entries: c.entries,
          },
          appliedIndex: 0,
          seed: 1,
        }),
      (err: unknown) => hasCode(err, 'RAFT_INVALID_PERSISTED_STATE') && c.says.test(err.message),
    );
  }
});
