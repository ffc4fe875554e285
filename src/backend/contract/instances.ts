import assert from 'node:assert/strict';
import { isLastCheckValid, type Instance } from '../../topology/index.js';
import { InstanceWriteBuffer, type InstanceWriteEvent } from '../instance-write-buffer.js';
import { key, primary, replica, seenAt, T0 } from './fixtures.js';
import { setup, type ContractCase } from './harness.js';

const p1 = primary(3306);
const r1 = replica(p1, 3307);
const r2 = replica(p1, 3308, 'db-b.example.com');
const r3 = replica(r1, 3309);
const other = primary(4406, { alias: 'billing-primary' });
const all = [p1, r1, r2, r3, other];

const rowCases: readonly ContractCase[] = [
  [
    'an upserted batch reads back as identical Instance objects',
    async (t, factory) => {
      const { backend } = await setup(t, factory);
      await backend.instances.upsertInstances(all);
      for (const i of all) assert.deepStrictEqual(await backend.instances.get(i.key), i);
      const byPort = (a: Instance, b: Instance): number => a.key.port - b.key.port;
      const everything = await backend.instances.all();
      assert.deepStrictEqual([...everything].sort(byPort), [...all].sort(byPort));
      assert.equal(await backend.instances.get(key(9999)), undefined);
    },
  ],

  [
    'an upsert replaces the row of its key and nothing else',
    async (t, factory) => {
      const { backend } = await setup(t, factory);
      await backend.instances.upsertInstances([p1, r1]);
      const moved = { ...r1, readOnly: false, alias: 'renamed' };
      await backend.instances.upsertInstances([moved]);
      assert.deepStrictEqual(await backend.instances.get(r1.key), moved);
      assert.deepStrictEqual(await backend.instances.get(p1.key), p1);
      assert.equal((await backend.instances.all()).length, 2);
    },
  ],

  [
    'a batch larger than one statement is written whole',
    async (t, factory) => {
      const { backend } = await setup(t, factory);
      const many = Array.from({ length: 450 }, (_, i) => replica(p1, 10_000 + i));
      await backend.instances.upsertInstances([...many, many[0] as Instance]);
      assert.equal((await backend.instances.all()).length, 450);
      assert.deepStrictEqual(await backend.instances.get(key(10_449)), many[449]);
    },
  ],

  [
    'a probe failure moves last checked and attempted, not last seen',
    async (t, factory) => {
      const { backend } = await setup(t, factory);
      await backend.instances.upsertInstances([r1]);
      assert.ok(await backend.instances.recordProbeFailure(r1.key, { at: T0 + 5_000 }));

      const failed = await backend.instances.get(r1.key);
      assert.ok(failed);
      assert.equal(failed.timing.lastAttemptedAt, T0 + 5_000);
      assert.equal(failed.timing.lastCheckedAt, T0 + 5_000);
      assert.equal(failed.timing.lastSeenAt, r1.timing.lastSeenAt);
      assert.equal(failed.timing.partialSuccess, false);
      assert.equal(isLastCheckValid(failed), false);
      assert.deepStrictEqual({ ...failed, timing: r1.timing }, r1);

      await backend.instances.upsertInstances([seenAt(r1, T0 + 10_000)]);
      const back = await backend.instances.get(r1.key);
      assert.ok(back && isLastCheckValid(back));
      assert.equal(await backend.instances.recordProbeFailure(key(9999), { at: T0 }), false);
      assert.equal(await backend.instances.get(key(9999)), undefined);
    },
  ],

  [
    'search matches host, host:port, version and alias, ignoring case',
    async (t, factory) => {
      const { backend } = await setup(t, factory);
      await backend.instances.upsertInstances(all);
      const cases: [string, number[]][] = [
        ['DB-B.example', [3308]],
        ['127.0.0.1:3307', [3307]],
        [':33', [3306, 3307, 3308, 3309]],
        ['mariadb', [3306, 4406]],
        ['8.0.36', [3307, 3308, 3309]],
        ['billing', [4406]],
        ['replica-3309', [3309]],
        ['nothing-like-this', []],
        ['%', []],
        ['_', []],
      ];
      for (const [text, ports] of cases) {
        const found = (await backend.instances.search(text)).map((i) => i.key.port);
        assert.deepStrictEqual(found.sort(), ports, `search "${text}"`);
      }
      assert.equal((await backend.instances.search('127', 2)).length, 2);
    },
  ],

  [
    'replicas, primaries and clusters are read from the lookup columns',
    async (t, factory) => {
      const { backend } = await setup(t, factory);
      await backend.instances.upsertInstances(all);
      const ports = (list: Instance[]): number[] => list.map((i) => i.key.port).sort();
      assert.deepStrictEqual(ports(await backend.instances.replicasOf(p1.key)), [3307, 3308]);
      assert.deepStrictEqual(ports(await backend.instances.replicasOf(r1.key)), [3309]);
      assert.deepStrictEqual(ports(await backend.instances.replicasOf(r3.key)), []);
      assert.deepStrictEqual(ports(await backend.instances.primaries()), [3306, 4406]);
      const cluster = await backend.instances.byCluster(p1.cluster.name);
      assert.deepStrictEqual(ports(cluster), [3306, 3307, 3308, 3309]);
    },
  ],

  [
    'forget removes a key, a cluster, or instances unseen too long',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      await backend.instances.upsertInstances(all);
      assert.equal(await backend.instances.forget(r2.key), true);
      assert.equal(await backend.instances.forget(r2.key), false);
      assert.equal(await backend.instances.forgetCluster(other.cluster.name), 1);

      const stale = seenAt(r3, T0 - 3 * 3_600_000);
      const neverSeen = {
        ...primary(5506),
        timing: { ...p1.timing, lastSeenAt: undefined, lastCheckedAt: T0 - 3 * 3_600_000 },
      };
      await backend.instances.upsertInstances([stale, neverSeen]);
      clock.advance(60_000);
      assert.equal(await backend.instances.forgetUnseen(2), 2);
      const left = (await backend.instances.all()).map((i) => i.key.port).sort();
      assert.deepStrictEqual(left, [3306, 3307]);
    },
  ],
];

function nextEvent(buffer: InstanceWriteBuffer): Promise<InstanceWriteEvent> {
  return new Promise((resolve) => {
    const stop = buffer.subscribe((event) => {
      stop();
      resolve(event);
    });
  });
}

const bufferCases: readonly ContractCase[] = [
  [
    'write buffer flushes a full batch at once and the rest on its timer',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      const buffer = new InstanceWriteBuffer({
        instances: backend.instances,
        clock,
        maxSize: 3,
        flushIntervalMs: 100,
      });
      const full = nextEvent(buffer);
      [p1, r1, r2].forEach((i) => buffer.upsert(i));
      assert.deepEqual(await full, {
        type: 'flushed',
        reason: 'size',
        upserts: 3,
        failures: 0,
        durationMs: 0,
      });
      assert.equal((await backend.instances.all()).length, 3);

      buffer.upsert(r3);
      clock.advance(99);
      assert.equal(await backend.instances.get(r3.key), undefined);
      const timed = nextEvent(buffer);
      clock.advance(1);
      assert.equal((await timed).type, 'flushed');
      assert.deepStrictEqual(await backend.instances.get(r3.key), r3);
      assert.equal(buffer.counters().written, 4);
    },
  ],

  [
    'write buffer coalesces writes of one key and folds a failure into a pending row',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      const buffer = new InstanceWriteBuffer({ instances: backend.instances, clock });
      await backend.instances.upsertInstances([r2]);

      buffer.upsert(r1);
      buffer.upsert(seenAt(r1, T0 + 1_000));
      buffer.recordProbeFailure(r1.key, { at: T0 + 2_000 });
      buffer.recordProbeFailure(r2.key, { at: T0 + 2_000, partialSuccess: true });
      assert.equal(buffer.counters().coalesced, 2);
      await buffer.close();

      const a = await backend.instances.get(r1.key);
      assert.deepEqual(a?.timing.lastSeenAt, T0 + 1_000);
      assert.deepEqual(a?.timing.lastCheckedAt, T0 + 2_000);
      const b = await backend.instances.get(r2.key);
      assert.deepEqual(b?.timing.lastSeenAt, r2.timing.lastSeenAt);
      assert.deepEqual(b?.timing.partialSuccess, true);
      assert.deepEqual(buffer.counters(), {
        enqueued: 4,
        coalesced: 2,
        written: 2,
        dropped: 0,
        flushes: 1,
        failedFlushes: 0,
        flushMsTotal: 0,
        pending: 0,
      });
      assert.throws(() => buffer.upsert(r3), { code: 'BACKEND_CLOSED' });
    },
  ],
];

export const instanceCases: readonly ContractCase[] = [...rowCases, ...bufferCases];
