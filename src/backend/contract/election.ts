import assert from 'node:assert/strict';
import { ManualClock } from '../../common/clock.js';
import type { Backend } from '../backend.js';
import { T0 } from './fixtures.js';
import { openNode, setup, type ContractCase } from './harness.js';

const A = { hostname: 'orc-a', token: 'token-a' };
const B = { hostname: 'orc-b', token: 'token-b' };
const C = { hostname: 'orc-c', token: 'token-c' };
const LEASE = 5_000;

export const electionCases: readonly ContractCase[] = [
  [
    'election elects the first node, keeps it while it refreshes, then takes over',
    async (t, factory) => {
      const { backend: a, store } = await setup(t, factory);
      const b = await openNode(store, new ManualClock(T0));
      const attempt = (on: Backend, node: typeof A, at: number) =>
        on.election.attempt(node, { leaseMs: LEASE, at: T0 + at });

      assert.equal((await attempt(a, A, 0)).elected, true);
      const lost = await attempt(b, B, 1_000);
      assert.equal(lost.elected, false);
      assert.deepEqual(lost.holder, { ...A, firstSeenAt: T0, lastSeenAt: T0 });

      assert.equal((await attempt(a, A, 3_000)).elected, true);
      assert.equal((await attempt(b, B, 8_000)).elected, false, 'A refreshed 5 s ago: not stale');
      const takeover = await attempt(b, B, 8_001);
      assert.equal(takeover.elected, true, 'A silent for more than the lease');
      assert.deepEqual(takeover.holder, { ...B, firstSeenAt: T0 + 8_001, lastSeenAt: T0 + 8_001 });
      assert.equal((await attempt(a, A, 8_500)).elected, false);
      assert.equal((await attempt(b, B, 9_000)).holder?.firstSeenAt, T0 + 8_001);
    },
  ],

  [
    'election grab takes the row, reelect and release empty it',
    async (t, factory) => {
      const { backend: a, store } = await setup(t, factory);
      const b = await openNode(store, new ManualClock(T0));
      await b.election.attempt(B, { leaseMs: LEASE, at: T0 });
      await a.election.grab(A, T0 + 1_000);
      assert.deepEqual(await b.election.current(), {
        ...A,
        firstSeenAt: T0 + 1_000,
        lastSeenAt: T0 + 1_000,
      });
      assert.equal(
        (await b.election.attempt(B, { leaseMs: LEASE, at: T0 + 2_000 })).elected,
        false,
      );

      assert.equal(await b.election.release(B), false, 'B does not hold it');
      assert.equal(await a.election.reelect(), true);
      assert.equal(await a.election.current(), undefined);
      assert.equal((await b.election.attempt(B, { leaseMs: LEASE, at: T0 + 3_000 })).elected, true);
      assert.equal(await b.election.release(B), true);
      assert.equal(await a.election.reelect(), false);
    },
  ],

  [
    'election concurrent nodes never both win, on an empty row or a stale one',
    async (t, factory) => {
      const { backend: a, store } = await setup(t, factory);
      const nodes: [Backend, typeof A][] = [
        [a, A],
        [await openNode(store, new ManualClock(T0)), B],
        [await openNode(store, new ManualClock(T0)), C],
      ];
      for (let round = 0; round < 10; round++) {
        const at = T0 + round * 10 * LEASE;
        if (round % 2 === 0) await a.election.reelect();
        const results = await Promise.all(
          nodes.map(([backend, node]) => backend.election.attempt(node, { leaseMs: LEASE, at })),
        );
        const winners = results.filter((r) => r.elected);
        assert.equal(winners.length, 1, `round ${round}: ${JSON.stringify(results)}`);
        assert.deepEqual(await a.election.current(), winners[0]?.holder);
      }
    },
  ],

  [
    'election node health keeps the first sighting and lists recent nodes',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      const reg = { appVersion: '0.1.0', backend: factory.name, command: 'serve' };
      await backend.nodeHealth.register({ ...A, ...reg });
      await backend.nodeHealth.register({ ...B, ...reg, extraInfo: 'standby' });
      clock.advance(4_000);
      await backend.nodeHealth.register({ ...A, ...reg });
      const recent = await backend.nodeHealth.list(2_000);
      assert.deepEqual(recent, [
        { ...A, ...reg, extraInfo: '', firstSeenAt: T0, lastSeenAt: T0 + 4_000 },
      ]);
      assert.equal((await backend.nodeHealth.list(5_000)).length, 2);
      assert.equal(await backend.nodeHealth.expire(3_000), 1);
    },
  ],
];
