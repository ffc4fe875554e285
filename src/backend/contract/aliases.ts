import assert from 'node:assert/strict';
import { key, T0 } from './fixtures.js';
import { setup, type ContractCase } from './harness.js';

const MINUTE = 60_000;

export const aliasCases: readonly ContractCase[] = [
  [
    'instance aliases map other names to one canonical key, move, and are forgotten',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      const aliases = backend.instanceAliases;
      const canonical = key(3306);
      const link = key(3406);
      const vip = key(3306, 'vip.example');

      assert.equal(await aliases.canonicalOf(link), undefined);
      await aliases.record(link, canonical);
      clock.advance(MINUTE);
      await aliases.record(vip, canonical);
      assert.deepEqual(await aliases.canonicalOf(link), canonical);
      assert.deepEqual(await aliases.all(), [
        { alias: link, canonical, seenAt: T0 },
        { alias: vip, canonical, seenAt: T0 + MINUTE },
      ]);
      assert.deepEqual(
        (await aliases.aliasesOf(canonical)).map((a) => a.alias),
        [link, vip],
      );

      // Recording again moves the alias to another server and refreshes its time.
      await aliases.record(vip, key(3307));
      assert.deepEqual(await aliases.canonicalOf(vip), key(3307));
      assert.equal((await aliases.aliasesOf(canonical)).length, 1);

      clock.advance(MINUTE);
      assert.equal(await aliases.forgetStale(MINUTE + 1), 1);
      assert.equal(await aliases.canonicalOf(link), undefined);
      assert.equal(await aliases.forget(vip), true);
      assert.equal(await aliases.forget(vip), false);

      await aliases.record(link, canonical);
      await aliases.record(vip, canonical);
      assert.equal(await aliases.forgetCanonical(canonical), 2);
      assert.deepEqual(await aliases.all(), []);
    },
  ],
];
