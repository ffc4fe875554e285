import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../common/clock.js';
import { LeadershipEvents, SingleNodeLeadership, type LeadershipEvent } from './leadership.js';

const self = { hostname: 'orc-1', token: 'tok-1', version: '0.1.0' };

function single(): { clock: ManualClock; leadership: SingleNodeLeadership } {
  const clock = new ManualClock(1_700_000_000_000);
  const leadership = new SingleNodeLeadership({ clock, self, uri: 'http://127.0.0.1:3000' });
  return { clock, leadership };
}

void test('single-node leadership: always leader, reports its own URI, mode single', () => {
  const { leadership } = single();
  assert.equal(leadership.mode, 'single');
  assert.equal(leadership.isLeader(), true);
  assert.equal(leadership.leaderUri(), 'http://127.0.0.1:3000');
});

void test('single-node leadership: URI is null when not given', () => {
  const leadership = new SingleNodeLeadership({ clock: new ManualClock(), self });
  assert.equal(leadership.leaderUri(), null);
});

void test('single-node leadership: healthy by default, itself the leader and only node', () => {
  const { clock, leadership } = single();
  clock.advance(5_000);
  const health = leadership.health();
  assert.equal(health.healthy, true);
  assert.equal(health.reason, undefined);
  assert.equal(health.details.self.hostname, 'orc-1');
  assert.equal(health.details.self.firstSeenActiveMs, 1_700_000_000_000);
  assert.equal(health.details.self.lastSeenActiveMs, 1_700_000_005_000);
  assert.deepEqual(health.details.leader, health.details.self);
  assert.deepEqual(health.details.availableNodes, [health.details.self]);
  assert.equal(health.details.raft, undefined);
});

void test('single-node leadership: failing backend makes it unhealthy but still leader', () => {
  const { leadership } = single();
  leadership.reportBackendHealth(false, new Error('connect ECONNREFUSED'));
  const health = leadership.health();
  assert.equal(health.healthy, false);
  assert.equal(health.reason, 'backend unreachable: connect ECONNREFUSED');
  assert.equal(leadership.isLeader(), true);

  leadership.reportBackendHealth(true);
  assert.equal(leadership.health().healthy, true);
});

void test('single-node leadership: a failure without detail still gives a reason', () => {
  const { leadership } = single();
  leadership.reportBackendHealth(false);
  assert.equal(leadership.health().reason, 'backend unreachable: no detail given');
});

void test('single-node leadership: emits health-changed only when the verdict flips', () => {
  const { clock, leadership } = single();
  const events: LeadershipEvent[] = [];
  leadership.subscribe((e) => events.push(e));

  leadership.reportBackendHealth(true);
  leadership.reportBackendHealth(false, 'timeout');
  leadership.reportBackendHealth(false, 'timeout again');
  clock.advance(1_000);
  leadership.reportBackendHealth(true);

  assert.deepEqual(events, [
    {
      type: 'health-changed',
      healthy: false,
      reason: 'backend unreachable: timeout',
      atMs: 1_700_000_000_000,
    },
    { type: 'health-changed', healthy: true, atMs: 1_700_000_001_000 },
  ]);
  assert.equal(leadership.health().reason, undefined);
});

void test('leadership events: unsubscribe is idempotent and stops delivery', () => {
  const events = new LeadershipEvents();
  const seen: string[] = [];
  const unsubscribe = events.subscribe((e) => seen.push(e.type));
  events.emit({ type: 'leadership-changed', isLeader: true, leaderUri: null, atMs: 1 });
  unsubscribe();
  unsubscribe();
  events.emit({ type: 'leadership-changed', isLeader: false, leaderUri: null, atMs: 2 });
  assert.deepEqual(seen, ['leadership-changed']);
});

void test('leadership events: a throwing listener does not stop the others', () => {
  const events = new LeadershipEvents();
  const seen: number[] = [];
  events.subscribe(() => {
    throw new Error('listener bug');
  });
  events.subscribe((e) => seen.push(e.atMs));
  events.emit({ type: 'health-changed', healthy: true, atMs: 7 });
  assert.deepEqual(seen, [7]);
});

void test('leadership events: the same function subscribed twice is called twice', () => {
  const events = new LeadershipEvents();
  let calls = 0;
  const listener = (): void => {
    calls++;
  };
  const first = events.subscribe(listener);
  events.subscribe(listener);
  events.emit({ type: 'health-changed', healthy: true, atMs: 1 });
  first();
  events.emit({ type: 'health-changed', healthy: true, atMs: 2 });
  assert.equal(calls, 3);
});
