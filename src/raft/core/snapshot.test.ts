import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../../common/errors.js';
import type { Effect } from './io.js';
import { lastIndex } from './log.js';
import { raftOptions } from './options.js';
import { startNode, step } from './step.js';
import { cmd, TestCluster, TEST_TIMING } from './testing.js';

const three = ['a', 'b', 'c'];
const bytes = (text: string) => new TextEncoder().encode(text);

function cluster(threshold: number): TestCluster {
  const c = new TestCluster(three, { snapshotThreshold: threshold });
  c.start();
  c.elect('a');
  c.heartbeat('a');
  return c;
}

function propose(c: TestCluster, count: number): void {
  for (let i = 0; i < count; i++) {
    c.input('a', { type: 'client-propose', requestId: `p${i}`, data: `d${i}` });
  }
  c.settle();
  c.heartbeat('a');
}

void test('snapshot: requested once the threshold is applied; taking it compacts log and disk', () => {
  const c = cluster(4);
  propose(c, 2);
  assert.equal(c.effectsOf('a', 'take-snapshot').length, 0);
  propose(c, 1);
  assert.deepEqual(c.effectsOf('a', 'take-snapshot'), [{ type: 'take-snapshot', appliedIndex: 4 }]);
  propose(c, 1);
  assert.equal(c.effectsOf('a', 'take-snapshot').length, 1, 'asked once per threshold');

  const effects = c.input('a', { type: 'snapshot-taken', index: 4, data: bytes('state@4') });
  assert.deepEqual(
    effects.map((e) => e.type),
    ['persist'],
  );
  const a = c.state('a');
  assert.equal(a.log.baseIndex, 4);
  assert.equal(lastIndex(a.log), 5, 'entries after the snapshot stay');
  assert.deepEqual(c.disk('a').snapshot, {
    index: 4,
    term: 1,
    members: three,
    data: bytes('state@4'),
  });
  assert.deepEqual(
    c.disk('a').entries.map((e) => e.index),
    [5],
  );
});

void test('snapshot: an answer at or below the current snapshot is ignored; one past apply is a bug', () => {
  const c = cluster(0);
  propose(c, 3);
  c.input('a', { type: 'snapshot-taken', index: 3, data: bytes('s3') });
  assert.deepEqual(c.input('a', { type: 'snapshot-taken', index: 2, data: bytes('s2') }), []);
  assert.throws(
    () => c.input('a', { type: 'snapshot-taken', index: 9, data: bytes('s9') }),
    (err: unknown) =>
      hasCode(err, 'RAFT_INVALID_INPUT') && /beyond the applied index 4/.test(err.message),
  );
});

void test('snapshot: a follower behind the compacted log gets the snapshot, then the entries after', () => {
  const c = cluster(0);
  c.cutBoth('a', 'c');
  propose(c, 5);
  c.input('a', { type: 'snapshot-taken', index: 5, data: bytes('state@5') });
  propose(c, 1);
  c.heal();
  c.heartbeat('a');
  c.heartbeat('a');
  const follower = c.history.get('c') ?? [];
  const kinds = follower.map((e) => e.type);
  const persisted = follower.findIndex((e) => e.type === 'persist' && e.snapshot?.index === 5);
  const installed = kinds.indexOf('install-snapshot');
  const answered = follower.findIndex(
    (e) => e.type === 'send' && e.message.type === 'install-snapshot-response',
  );
  assert.ok(persisted >= 0 && persisted < installed && installed < answered, kinds.join(','));
  assert.equal(c.state('c').commitIndex, 7);
  assert.deepEqual(
    c.applied.get('c')?.map((e) => e.index),
    [5, 6, 7],
    'the snapshot (recorded as 5), then entries 6 and 7',
  );
});

void test('snapshot: while one is in flight the leader probes with heartbeats instead of resending', () => {
  const c = cluster(0);
  c.cutBoth('a', 'c');
  propose(c, 3);
  c.input('a', { type: 'snapshot-taken', index: 4, data: bytes('s') });
  c.heal();
  const dropSnapshots = (e: { message: { type: string } }) => e.message.type !== 'install-snapshot';
  for (let i = 0; i < 5; i++) {
    c.advance(TEST_TIMING.heartbeatIntervalMs);
    c.tick('a');
    c.settle(dropSnapshots);
    c.inflight = [];
  }
  const snapshots = c.effectsOf('a', 'send').filter((e) => e.message.type === 'install-snapshot');
  assert.equal(snapshots.length, 1);
  c.advance(TEST_TIMING.electionTimeoutMinMs);
  c.tick('a');
  const again = c.effectsOf('a', 'send').filter((e) => e.message.type === 'install-snapshot');
  assert.equal(again.length, 2, 'resent after an election timeout without an answer');
});

function restartWithSnapshot(appliedIndex: number): Effect['type'][] {
  return startNode(raftOptions({ ...TEST_TIMING, id: 'a', members: three }), {
    now: 0,
    persisted: {
      hardState: { term: 2, votedFor: null },
      snapshot: { index: 4, term: 2, members: three, data: bytes('s4') },
      entries: [cmd(5, 2), cmd(6, 2)],
    },
    appliedIndex,
    seed: 1,
  })
    .effects.map((e) => e.type)
    .filter((type) => type !== 'membership-changed');
}

void test('snapshot: a restart re-installs the snapshot into an in-memory state machine only', () => {
  assert.deepEqual(restartWithSnapshot(0), ['install-snapshot']);
  assert.deepEqual(restartWithSnapshot(4), []);
  assert.deepEqual(restartWithSnapshot(6), []);
});

void test('snapshot: after a restart the node resumes applying after what the state machine holds', () => {
  const { state } = startNode(raftOptions({ ...TEST_TIMING, id: 'a', members: three }), {
    now: 0,
    persisted: {
      hardState: { term: 2, votedFor: null },
      snapshot: null,
      entries: [cmd(1, 1), cmd(2, 2), cmd(3, 2)],
    },
    appliedIndex: 2,
    seed: 1,
  });
  assert.equal(state.lastApplied, 2);
  assert.equal(state.commitIndex, 2);
  const { effects } = step(state, {
    type: 'message-received',
    now: 500,
    message: {
      v: 1,
      type: 'append-entries',
      from: 'b',
      term: 2,
      prevLogIndex: 3,
      prevLogTerm: 2,
      entries: [],
      leaderCommit: 3,
      sentAt: 0,
      transferTo: null,
    },
  });
  const applied = effects.flatMap((e) => (e.type === 'apply' ? e.entries : []));
  assert.deepEqual(
    applied.map((e) => e.index),
    [3],
  );
});

void test('snapshot: a late InstallSnapshot older than what the follower committed changes nothing', () => {
  const { state } = startNode(raftOptions({ ...TEST_TIMING, id: 'b', members: three }), {
    now: 0,
    persisted: {
      hardState: { term: 2, votedFor: null },
      snapshot: null,
      entries: [cmd(1, 1), cmd(2, 2), cmd(3, 2), cmd(4, 2)],
    },
    appliedIndex: 4,
    seed: 1,
  });
  const { state: after, effects } = step(state, {
    type: 'message-received',
    now: 500,
    message: {
      v: 1,
      type: 'install-snapshot',
      from: 'a',
      term: 2,
      snapshot: { index: 2, term: 2, members: three, data: bytes('old') },
      sentAt: 0,
      transferTo: null,
    },
  });
  assert.equal(after.commitIndex, 4);
  assert.equal(after.lastApplied, 4);
  assert.equal(lastIndex(after.log), 4);
  assert.equal(after.snapshot, null);
  assert.deepEqual(
    effects.map((e) => e.type),
    ['send', 'leadership-changed'],
  );
  const answer = effects[0];
  assert.ok(answer?.type === 'send' && answer.message.type === 'install-snapshot-response');
  assert.equal(answer.message.matchIndex, 2);
});
