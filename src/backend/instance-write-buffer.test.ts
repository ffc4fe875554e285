import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { primary, replica, seenAt, T0 } from './contract/fixtures.js';
import { InstanceWriteBuffer, type InstanceWriteEvent } from './instance-write-buffer.js';
import type { ProbeResults } from './instances.js';

/** A repository whose writes complete when the test says so. */
class FakeInstances {
  readonly batches: ProbeResults[] = [];
  private gates: { resolve: () => void; reject: (e: Error) => void }[] = [];
  manual = false;

  writeProbeResults(results: ProbeResults): Promise<void> {
    this.batches.push(results);
    if (!this.manual) return Promise.resolve();
    return new Promise((resolve, reject) => this.gates.push({ resolve, reject }));
  }

  /** Completes the oldest write in flight. */
  async finish(error?: Error): Promise<void> {
    for (let i = 0; i < 20 && this.gates.length === 0; i++) await Promise.resolve();
    const gate = this.gates.shift();
    assert.ok(gate, 'no write in flight');
    if (error) gate.reject(error);
    else gate.resolve();
    for (let i = 0; i < 20; i++) await Promise.resolve();
  }
}

const p = primary(3306);
const replicas = Array.from({ length: 10 }, (_, i) => replica(p, 4000 + i));

function make(options: { maxSize?: number; flushIntervalMs?: number } = {}) {
  const clock = new ManualClock(T0);
  const fake = new FakeInstances();
  const buffer = new InstanceWriteBuffer({ instances: fake, clock, ...options });
  const events: InstanceWriteEvent[] = [];
  buffer.subscribe((e) => events.push(e));
  return { clock, fake, buffer, events };
}

const ports = (r: ProbeResults | undefined): number[] => r?.upserts.map((i) => i.key.port) ?? [];

void test('write buffer: nothing is written before the interval or a full batch', async () => {
  const { clock, fake, buffer } = make({ maxSize: 4, flushIntervalMs: 100 });
  buffer.upsert(p);
  clock.advance(99);
  await Promise.resolve();
  assert.equal(fake.batches.length, 0);
  clock.advance(1);
  await buffer.flush();
  assert.deepEqual(ports(fake.batches[0]), [3306]);
});

void test('write buffer: writes queued behind a batch in flight coalesce and follow it', async () => {
  const { fake, buffer, events } = make({ maxSize: 3 });
  fake.manual = true;
  replicas.slice(0, 3).forEach((r) => buffer.upsert(r));
  assert.equal(fake.batches.length, 1, 'a full batch starts at once');

  // Seven more while the first is in flight: two full batches and one left over.
  replicas.slice(3).forEach((r) => buffer.upsert(r));
  buffer.upsert(seenAt(replicas[3] ?? p, T0 + 50));
  assert.equal(buffer.counters().coalesced, 1);
  await fake.finish();
  await fake.finish();
  assert.equal(fake.batches.length, 3, 'full batches follow each other');
  await fake.finish();
  assert.deepEqual(fake.batches.map(ports), [
    [4000, 4001, 4002],
    [4003, 4004, 4005],
    [4006, 4007, 4008],
  ]);
  assert.equal(fake.batches[1]?.upserts[0]?.timing.lastSeenAt, T0 + 50, 'the newest row won');

  const flushed = buffer.flush();
  await fake.finish();
  await flushed;
  assert.deepEqual(ports(fake.batches[3]), [4009]);
  assert.deepEqual(
    events.map((e) => [e.type, e.reason, e.upserts]),
    [
      ['flushed', 'size', 3],
      ['flushed', 'size', 3],
      ['flushed', 'size', 3],
      ['flushed', 'manual', 1],
    ],
  );
});

void test('write buffer: a failed batch is dropped, reported, and flush throws it', async () => {
  const { fake, buffer, events } = make({ maxSize: 2 });
  fake.manual = true;
  buffer.upsert(p);
  buffer.recordProbeFailure(replicas[0]?.key ?? p.key, { at: T0 + 5 });
  await fake.finish(new Error('backend went away'));
  assert.equal(events[0]?.type, 'flush-failed');
  assert.deepEqual(fake.batches[0]?.failures, [
    { key: replicas[0]?.key, at: T0 + 5, partialSuccess: false },
  ]);
  assert.equal(buffer.counters().dropped, 2);

  buffer.upsert(replicas[1] ?? p);
  const flushed = buffer.flush();
  await fake.finish(new Error('still away'));
  await assert.rejects(flushed, /still away/);
  assert.equal(buffer.counters().pending, 0);
});

void test('write buffer: a throwing listener does not stop the others', async () => {
  const { fake, buffer, events } = make();
  buffer.subscribe(() => {
    throw new Error('listener bug');
  });
  const unsubscribe = buffer.subscribe(() => undefined);
  unsubscribe();
  unsubscribe();
  buffer.upsert(p);
  await buffer.flush();
  assert.equal(events.length, 1);
  assert.equal(fake.batches.length, 1);
});
