import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { pollDelayMs } from './due-heap.js';
import { PollScheduler, type PollLane } from './scheduler.js';

const T0 = 1_700_000_000_000;

/** Lets the promise callbacks of finished runs execute. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A scheduler whose runs end only when the test says so. */
function harness(options: { max: number; deadMax?: number }) {
  const clock = new ManualClock(T0);
  const started: string[] = [];
  const open = new Map<string, () => void>();
  let concurrent = 0;
  let peak = 0;
  const scheduler = new PollScheduler({
    clock,
    maxConcurrency: options.max,
    deadMaxConcurrency: options.deadMax ?? 0,
    batchWindowMs: 0,
    run: (id) => {
      started.push(id);
      concurrent++;
      peak = Math.max(peak, concurrent);
      return new Promise<void>((resolve) => {
        open.set(id, () => {
          open.delete(id);
          concurrent--;
          resolve();
        });
      });
    },
  });
  scheduler.start();
  return {
    clock,
    scheduler,
    started,
    running: () => [...open.keys()],
    peak: () => peak,
    async finish(id: string, then?: { in: number; lane?: PollLane }) {
      if (then) scheduler.schedule(id, clock.now() + then.in, then.lane ?? 'live');
      open.get(id)?.();
      await settle();
    },
  };
}

void test('scheduler: a server is polled at its due time, not before', () => {
  const h = harness({ max: 10 });
  h.scheduler.schedule('a', T0 + 5000, 'live');
  h.scheduler.schedule('b', T0 + 3000, 'live');
  h.clock.advance(2999);
  assert.deepEqual(h.started, []);
  h.clock.advance(1);
  assert.deepEqual(h.started, ['b']);
  h.clock.advance(1999);
  assert.deepEqual(h.started, ['b']);
  h.clock.advance(1);
  assert.deepEqual(h.started, ['b', 'a']);
});

void test('scheduler: each server polls again one interval after its run ends', async () => {
  const h = harness({ max: 10 });
  h.scheduler.schedule('a', T0, 'live');
  assert.deepEqual(h.started, ['a']);
  await h.finish('a', { in: 5000 });
  h.clock.advance(4999);
  assert.deepEqual(h.started, ['a']);
  h.clock.advance(1);
  assert.deepEqual(h.started, ['a', 'a']);
  await h.finish('a');
  assert.equal(h.scheduler.has('a'), false, 'a run that schedules nothing leaves');
});

void test('scheduler: never more than maxConcurrency probes in flight', async () => {
  const h = harness({ max: 3 });
  for (let i = 0; i < 10; i++) h.scheduler.schedule(`s${i}`, T0, 'live');
  assert.equal(h.running().length, 3);
  assert.equal(h.scheduler.stats().ready, 7);
  for (let i = 0; i < 10; i++) await h.finish(`s${i}`);
  assert.equal(h.started.length, 10);
  assert.equal(h.peak(), 3);
  assert.equal(h.scheduler.stats().ready, 0);
});

void test('scheduler: unreachable servers hold at most half the pollers; live ones go first', async () => {
  const h = harness({ max: 4 });
  for (let i = 0; i < 10; i++) h.scheduler.schedule(`dead${i}`, T0, 'dead');
  assert.deepEqual(h.running(), ['dead0', 'dead1'], 'half of 4 pollers for dead servers');

  for (let i = 0; i < 5; i++) h.scheduler.schedule(`live${i}`, T0, 'live');
  assert.deepEqual(h.running(), ['dead0', 'dead1', 'live0', 'live1']);

  await h.finish('dead0');
  assert.ok(h.running().includes('live2'), 'a freed poller goes to a live server first');
  assert.ok(!h.running().includes('dead2'));
});

void test('scheduler: dead primaries are polled before other dead servers', async () => {
  const h = harness({ max: 2 });
  h.scheduler.schedule('dead-a', T0, 'dead');
  h.scheduler.schedule('dead-b', T0, 'dead');
  h.scheduler.schedule('primary', T0, 'dead-primary');
  assert.deepEqual(h.running(), ['dead-a']);
  await h.finish('dead-a');
  assert.deepEqual(h.running(), ['primary']);
});

void test('scheduler: a pool of its own for dead servers leaves every live poller free', async () => {
  const h = harness({ max: 2, deadMax: 1 });
  for (let i = 0; i < 3; i++) h.scheduler.schedule(`dead${i}`, T0, 'dead');
  for (let i = 0; i < 3; i++) h.scheduler.schedule(`live${i}`, T0, 'live');
  assert.deepEqual(h.running().sort(), ['dead0', 'live0', 'live1']);
  await h.finish('live0');
  assert.deepEqual(h.running().sort(), ['dead0', 'live1', 'live2']);
});

void test('scheduler: runNow jumps ahead of periodic polls and never runs one id twice', async () => {
  const h = harness({ max: 1 });
  h.scheduler.schedule('busy', T0, 'live');
  h.scheduler.schedule('x', T0, 'live');
  h.scheduler.schedule('y', T0, 'live');
  h.scheduler.runNow('z');
  h.scheduler.runNow('busy');
  await h.finish('busy');
  assert.deepEqual(h.started, ['busy', 'z']);
  await h.finish('z');
  assert.deepEqual(h.started, ['busy', 'z', 'busy'], 'runNow during a run runs it again after');
  await h.finish('busy');
  await h.finish('x');
  assert.deepEqual(h.started, ['busy', 'z', 'busy', 'x', 'y']);
});

void test('scheduler: a removed server is not polled again, even when removed mid-run', async () => {
  const h = harness({ max: 5 });
  h.scheduler.schedule('a', T0, 'live');
  h.scheduler.schedule('b', T0 + 1000, 'live');
  h.scheduler.remove('b');
  h.scheduler.runNow('a');
  h.scheduler.remove('a');
  assert.equal(h.scheduler.has('a'), false);
  await h.finish('a');
  h.clock.advance(5000);
  assert.deepEqual(h.started, ['a'], 'neither the runNow nor b survived their removal');
  assert.equal(h.scheduler.stats().entries, 0);
});

void test('scheduler: stop waits for the runs in flight and dispatches nothing more', async () => {
  const h = harness({ max: 5 });
  h.scheduler.schedule('a', T0, 'live');
  h.scheduler.schedule('b', T0 + 1000, 'live');
  let stopped = false;
  const stopping = h.scheduler.stop().then(() => {
    stopped = true;
  });
  await settle();
  assert.equal(stopped, false);
  await h.finish('a');
  await stopping;
  h.clock.advance(5000);
  assert.deepEqual(h.started, ['a']);
});

void test('scheduler: the back-off of unreachable servers', () => {
  const base = { pollMs: 5000, factor: 2, maxMs: 60_000, exempt: false };
  const cases: [string, Partial<Parameters<typeof pollDelayMs>[0]>, number][] = [
    ['answering server', { failures: 0 }, 5000],
    ['first failure', { failures: 1 }, 5000],
    ['second failure', { failures: 2 }, 10_000],
    ['fourth failure', { failures: 4 }, 40_000],
    ['capped', { failures: 10 }, 60_000],
    ['primaries are never backed off', { failures: 10, exempt: true }, 5000],
    ['factor 1 disables back-off', { failures: 10, factor: 1 }, 5000],
    ['a cap below the poll keeps the poll', { failures: 3, maxMs: 1000 }, 5000],
  ];
  for (const [name, over, expected] of cases) {
    assert.equal(pollDelayMs({ ...base, failures: 0, ...over }), expected, name);
  }
});
