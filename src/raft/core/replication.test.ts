import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entriesBetween, lastIndex, termAt } from './log.js';
import { RAFT_WIRE_VERSION, type AppendEntries } from './messages.js';
import { raftOptions } from './options.js';
import { startNode, step } from './step.js';
import { cmd, TestCluster, TEST_TIMING, type Envelope } from './testing.js';
import type { LogEntry } from './types.js';

const five = ['s1', 's2', 's3', 's4', 's5'];

function terms(entries: readonly LogEntry[]): string {
  return entries.map((e) => `${e.index}@${e.term}`).join(' ');
}

/**
 * Figure 8 of the Raft paper, state (c): S1 leads term 4 and has re-replicated its index 2 of
 * term 2 to S3, so 2@2 sits on S1, S2 and S3, a majority; S5 holds 2@3 from its own brief
 * leadership. (This cluster's new leaders append a noop, here 3@4.)
 */
function figure8(): TestCluster {
  const cluster = new TestCluster(five, { maxEntriesPerMessage: 1 });
  const logs: Record<string, LogEntry[]> = {
    s1: [cmd(1, 1), cmd(2, 2)],
    s2: [cmd(1, 1), cmd(2, 2)],
    s3: [cmd(1, 1)],
    s4: [cmd(1, 1)],
    s5: [cmd(1, 1), cmd(2, 3, 'from-s5')],
  };
  for (const id of five) {
    cluster.disks.set(id, {
      hardState: { term: 3, votedFor: null },
      snapshot: null,
      entries: logs[id] ?? [],
    });
  }
  cluster.start();
  cluster.cutBoth('s1', 's4');
  cluster.cutBoth('s1', 's5');
  return cluster;
}

/** Lets `id` campaign up to three times (a first pre-vote may only teach it the term). */
function campaign(cluster: TestCluster, id: string) {
  for (let i = 0; i < 3 && cluster.state(id).role.type !== 'leader'; i++) cluster.elect(id);
  return cluster.state(id);
}

/** Holds back the noop to S3 once S3 has 2@2 (the first, refused, copy goes through). */
const holdNoopToS3 = (cluster: TestCluster) => (e: Envelope) =>
  !(
    e.to === 's3' &&
    e.message.type === 'append-entries' &&
    e.message.entries.some((x) => x.type === 'noop') &&
    termAt(cluster.state('s3').log, 2) === 2
  );

void test('replication: an old-term entry on a majority is not committed by counting (Figure 8)', () => {
  const cluster = figure8();
  cluster.now += TEST_TIMING.electionTimeoutMaxMs;
  cluster.tick('s1');
  cluster.settle(holdNoopToS3(cluster));
  const s1 = cluster.state('s1');
  assert.equal(s1.role.type, 'leader');
  assert.equal(s1.term, 4);
  for (const id of ['s1', 's2', 's3'])
    assert.equal(termAt(cluster.state(id).log, 2), 2, `${id} has 2@2`);
  assert.equal(s1.commitIndex, 0, '2@2 is on a majority but must not count: it is of term 2');

  // Why: S1 crashes, S5 wins term 5 with S3 and S4 and overwrites index 2 everywhere it can.
  cluster.isolate('s1');
  cluster.cut.delete('s5>s1');
  cluster.inflight = [];
  const s5 = campaign(cluster, 's5');
  assert.equal(s5.role.type, 'leader');
  assert.equal(s5.term, 5);
  assert.equal(termAt(cluster.state('s3').log, 2), 3, 'the entry that was on a majority is gone');
});

void test('replication: once an entry of its own term is on a majority, earlier ones commit with it', () => {
  const cluster = figure8();
  cluster.now += TEST_TIMING.electionTimeoutMaxMs;
  cluster.tick('s1');
  cluster.settle();
  const s1 = cluster.state('s1');
  assert.equal(s1.commitIndex, 3, 'noop 3@4 on S1, S2, S3 commits 1..3');
  assert.deepEqual(
    cluster.applied.get('s1')?.map((e) => e.index),
    [1, 2, 3],
  );
  cluster.isolate('s1');
  cluster.cut.delete('s5>s1');
  cluster.inflight = [];
  assert.notEqual(
    cluster.elect('s5').role.type,
    'leader',
    'S5 can no longer win: S2 and S3 refuse',
  );
});

void test('replication: a diverging follower is repaired, skipping a whole conflicting term at once', () => {
  const cluster = new TestCluster(['l', 'f', 'x']);
  cluster.disks.set('l', {
    hardState: { term: 3, votedFor: null },
    snapshot: null,
    entries: [cmd(1, 1), cmd(2, 1), cmd(3, 3), cmd(4, 3)],
  });
  cluster.disks.set('x', { ...cluster.disk('l') });
  cluster.disks.set('f', {
    hardState: { term: 2, votedFor: null },
    snapshot: null,
    entries: [cmd(1, 1), cmd(2, 1), ...[3, 4, 5, 6, 7].map((i) => cmd(i, 2, `stale${i}`))],
  });
  cluster.start();
  cluster.elect('l');
  const toFollower = cluster
    .effectsOf('l', 'send')
    .filter((e) => e.to === 'f' && e.message.type === 'append-entries');
  assert.equal(toFollower.length, 2, 'one refused probe, then the repair');
  const refusal = cluster
    .effectsOf('f', 'send')
    .map((e) => e.message)
    .find((m) => m.type === 'append-entries-response' && !m.success);
  assert.ok(refusal?.type === 'append-entries-response');
  assert.equal(refusal.conflictTerm, 2);
  assert.equal(refusal.conflictIndex, 3);
  const f = cluster.state('f');
  assert.equal(terms(entriesBetween(f.log, 1, 99)), '1@1 2@1 3@3 4@3 5@4');
  assert.equal(
    terms(cluster.disk('f').entries),
    '1@1 2@1 3@3 4@3 5@4',
    'the disk was repaired too',
  );
  const repair = cluster.effectsOf('f', 'persist').find((p) => p.truncateAfter !== undefined);
  assert.equal(repair?.truncateAfter, 2);
});

function follower(entries: LogEntry[], commit = 0) {
  return startNode(raftOptions({ ...TEST_TIMING, id: 'f', members: ['l', 'f', 'x'] }), {
    now: 0,
    persisted: { hardState: { term: 2, votedFor: null }, snapshot: null, entries },
    appliedIndex: commit,
    seed: 3,
  }).state;
}

function append(fields: Partial<AppendEntries>): AppendEntries {
  return {
    v: RAFT_WIRE_VERSION,
    type: 'append-entries',
    from: 'l',
    term: 2,
    prevLogIndex: 0,
    prevLogTerm: 0,
    entries: [],
    leaderCommit: 0,
    sentAt: 1,
    transferTo: null,
    ...fields,
  };
}

void test('replication: a follower commits no further than what it knows matches the leader', () => {
  const state = follower([
    cmd(1, 1),
    cmd(2, 1),
    cmd(3, 1, 'maybe-stale'),
    cmd(4, 1, 'maybe-stale'),
  ]);
  const { state: after, effects } = step(state, {
    type: 'message-received',
    now: 500,
    message: append({ prevLogIndex: 2, prevLogTerm: 1, leaderCommit: 9 }),
  });
  assert.equal(after.commitIndex, 2);
  const applied = effects.flatMap((e) => (e.type === 'apply' ? e.entries : []));
  assert.deepEqual(
    applied.map((e) => e.index),
    [1, 2],
  );
});

void test('replication: a late, reordered AppendEntries never truncates entries it agrees with', () => {
  const state = follower([1, 2, 3, 4, 5].map((i) => cmd(i, 2)));
  const { state: after, effects } = step(state, {
    type: 'message-received',
    now: 500,
    message: append({ prevLogIndex: 1, prevLogTerm: 2, entries: [cmd(2, 2)] }),
  });
  assert.equal(lastIndex(after.log), 5);
  assert.ok(!effects.some((e) => e.type === 'persist'), 'nothing to write');
  const answer = effects.find((e) => e.type === 'send')?.message;
  assert.ok(answer?.type === 'append-entries-response' && answer.success);
  assert.equal(answer.matchIndex, 2, 'acknowledges only what the message covered');
});

void test('replication: entries are acknowledged only after they are persisted', () => {
  const state = follower([cmd(1, 2)]);
  const { effects } = step(state, {
    type: 'message-received',
    now: 500,
    message: append({
      prevLogIndex: 1,
      prevLogTerm: 2,
      entries: [cmd(2, 2), cmd(3, 2)],
      leaderCommit: 3,
    }),
  });
  assert.deepEqual(
    effects.map((e) => e.type),
    ['persist', 'apply', 'send', 'leadership-changed'],
  );
});

void test('replication: proposals are answered with their place and applied once, in order, everywhere', () => {
  const cluster = new TestCluster(['a', 'b', 'c']);
  cluster.start();
  cluster.elect('a');
  const answers = ['x', 'y', 'z'].map((data) =>
    cluster
      .input('a', { type: 'client-propose', requestId: `r-${data}`, data })
      .find((e) => e.type === 'respond'),
  );
  assert.deepEqual(
    answers.map((r) => r?.type === 'respond' && r.outcome),
    [2, 3, 4].map((index) => ({ status: 'appended', index, term: 1 })),
  );
  cluster.settle();
  cluster.heartbeat('a');
  cluster.heartbeat('a');
  for (const id of ['a', 'b', 'c']) {
    const applied = cluster.applied.get(id) ?? [];
    assert.deepEqual(
      applied.map((e) => (e.type === 'command' ? e.data : e.type)),
      ['noop', 'x', 'y', 'z'],
      id,
    );
  }
});

void test('replication: a follower refuses proposals and names the leader', () => {
  const cluster = new TestCluster(['a', 'b', 'c']);
  cluster.start();
  cluster.elect('a');
  const answer = cluster.input('b', { type: 'client-propose', requestId: 'r', data: 'x' });
  assert.deepEqual(answer, [
    {
      type: 'respond',
      requestId: 'r',
      outcome: {
        status: 'rejected',
        code: 'NOT_LEADER',
        leaderId: 'a',
        reason: 'this node is not the leader',
      },
    },
  ]);
});
