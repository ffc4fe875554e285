import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeLog } from '../core/log.js';
import { RAFT_WIRE_VERSION } from '../core/messages.js';
import { cmd, TestCluster } from '../core/testing.js';
import { Checker, EMPTY_MACHINE, PropertyViolation, type Property } from './checker.js';

/** A cluster with `a` leading term 1 and all logs equal. */
function cluster(): TestCluster {
  const c = new TestCluster(['a', 'b', 'c']);
  c.start();
  c.elect('a');
  c.heartbeat('a');
  return c;
}

function violates(property: Property, fn: () => void): void {
  assert.throws(
    fn,
    (err: unknown) => err instanceof PropertyViolation && err.property === property,
  );
}

void test('checker: two leaders in one term break election safety', () => {
  const c = cluster();
  const checker = new Checker();
  checker.afterStep('a', null, c.state('a'));
  const impostor = { ...c.state('b'), role: c.state('a').role };
  violates('election-safety', () => checker.afterStep('b', c.state('b'), impostor));
});

void test('checker: two valid leases at once, or a lease beside a later leader, break lease safety', () => {
  const c = cluster();
  const checker = new Checker();
  const a = { id: 'a', state: c.state('a'), now: c.now };
  violates('lease-safety', () => checker.checkLeases([a, { ...a, id: 'b' }]));
  const later = { ...c.state('b'), role: c.state('a').role, term: 2 };
  violates('lease-safety', () => checker.checkLeases([a, { id: 'b', state: later, now: c.now }]));
  checker.checkLeases([a, { id: 'b', state: c.state('b'), now: c.now }]);
});

void test('checker: two votes in one term from one node break single-vote', () => {
  const checker = new Checker();
  const granted = {
    v: RAFT_WIRE_VERSION,
    type: 'request-vote-response',
    from: 'b',
    term: 3,
    granted: true,
  } as const;
  checker.onVoteSent('b', 'a', granted);
  checker.onVoteSent('b', 'a', granted);
  violates('single-vote', () => checker.onVoteSent('b', 'c', granted));
});

void test('checker: different entries at one index and term break log matching', () => {
  const c = new TestCluster(['x', 'y', 'z']);
  c.disks.set('x', {
    hardState: { term: 1, votedFor: null },
    snapshot: null,
    entries: [cmd(1, 1, 'one')],
  });
  c.disks.set('y', {
    hardState: { term: 1, votedFor: null },
    snapshot: null,
    entries: [cmd(1, 1, 'two')],
  });
  c.start();
  const checker = new Checker();
  checker.afterStep('x', null, c.state('x'));
  violates('log-matching', () => checker.afterStep('y', null, c.state('y')));
});

void test('checker: applying out of order or a different entry breaks state-machine safety', () => {
  const checker = new Checker();
  const m1 = checker.onApply('a', EMPTY_MACHINE, cmd(1, 1, 'x'));
  violates('state-machine-safety', () => checker.onApply('a', m1, cmd(3, 1, 'x')));
  violates('state-machine-safety', () => checker.onApply('b', EMPTY_MACHINE, cmd(1, 1, 'y')));
});

void test('checker: a new leader without a committed entry breaks leader completeness', () => {
  const c = cluster();
  const checker = new Checker();
  checker.afterStep('a', null, c.state('a'));
  const b = c.state('b');
  const forgetful = { ...b, term: 2, role: c.state('a').role, log: makeLog(0, 0, []) };
  violates('leader-completeness', () => checker.afterStep('b', b, forgetful));
});

void test('checker: a message that leaves before its state is on disk breaks persist-before-send', () => {
  const checker = new Checker();
  const empty = { hardState: { term: 0, votedFor: null }, snapshot: null, entries: [] };
  const vote = {
    v: RAFT_WIRE_VERSION,
    type: 'request-vote-response',
    from: 'b',
    term: 1,
    granted: true,
  } as const;
  violates('persist-before-send', () => checker.onSend('b', 'a', vote, empty));
  checker.onSend('b', 'a', vote, { ...empty, hardState: { term: 1, votedFor: 'a' } });
  const ack = {
    v: RAFT_WIRE_VERSION,
    type: 'append-entries-response',
    from: 'b',
    term: 1,
    success: true,
    matchIndex: 2,
    conflictIndex: 0,
    conflictTerm: null,
    sentAt: 0,
  } as const;
  violates('persist-before-send', () =>
    checker.onSend('b', 'a', ack, {
      ...empty,
      hardState: { term: 1, votedFor: 'a' },
      entries: [cmd(1, 1)],
    }),
  );
});
