import assert from 'node:assert/strict';
import { BackendCode } from '../errors.js';
import { key, T0 } from './fixtures.js';
import { setup, type ContractCase } from './harness.js';

const MINUTE = 60_000;
const node = { hostname: 'orc-1', token: 'token-1' };

export const metadataCases: readonly ContractCase[] = [
  [
    'downtime is active until its end, then expires',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      const d = await backend.downtime.begin({
        key: key(3307),
        owner: 'alice',
        reason: 'upgrade',
        durationMs: 10 * MINUTE,
      });
      assert.deepEqual(d, {
        key: key(3307),
        owner: 'alice',
        reason: 'upgrade',
        beginsAt: T0,
        endsAt: T0 + 10 * MINUTE,
      });
      assert.deepEqual(await backend.downtime.get(key(3307)), d);
      assert.deepEqual(await backend.downtime.listActive(), [d]);

      clock.advance(10 * MINUTE);
      assert.equal(await backend.downtime.get(key(3307)), undefined);
      assert.deepEqual(await backend.downtime.listActive(), []);
      assert.equal(await backend.downtime.expire(), 1);
      assert.equal(await backend.downtime.expire(), 0);

      await backend.downtime.begin({
        key: key(3308),
        owner: 'bob',
        reason: 'x',
        durationMs: MINUTE,
      });
      assert.equal(await backend.downtime.end(key(3308)), true);
      assert.equal(await backend.downtime.end(key(3308)), false);
    },
  ],

  [
    'maintenance is exclusive until ended or expired',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      const begin = (owner: string, id?: string) =>
        backend.maintenance.begin({
          key: key(3307),
          owner,
          reason: `${owner} works`,
          durationMs: 10 * MINUTE,
          node,
          ...(id === undefined ? {} : { id }),
        });
      const first = await begin('alice', 'lock-a');
      assert.equal(first.id, 'lock-a');
      await assert.rejects(begin('bob'), { code: BackendCode.MaintenanceHeld });
      assert.deepEqual(await backend.maintenance.get(key(3307)), first);

      assert.equal(await backend.maintenance.endById('lock-a'), true);
      assert.equal(await backend.maintenance.endById('lock-a'), false);
      const second = await begin('bob');
      assert.equal(second.owner, 'bob');
      assert.equal(await backend.maintenance.endByKey(key(3307)), true);

      await begin('carol', 'lock-c');
      clock.advance(10 * MINUTE);
      assert.equal(await backend.maintenance.get(key(3307)), undefined);
      const taken = await begin('dave', 'lock-d');
      assert.equal(taken.id, 'lock-d');
      assert.deepEqual(await backend.maintenance.listActive(), [taken]);
      clock.advance(10 * MINUTE);
      assert.equal(await backend.maintenance.expire(), 1);
      assert.deepEqual(await backend.maintenance.listActive(), []);
    },
  ],

  [
    'candidates keep their rule until they expire',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      await backend.candidates.register({ key: key(3307), promotionRule: 'prefer' });
      clock.advance(30 * MINUTE);
      await backend.candidates.register({ key: key(3308), promotionRule: 'must_not' });
      const c = await backend.candidates.register({ key: key(3307), promotionRule: 'prefer_not' });
      assert.equal(c.suggestedAt, T0 + 30 * MINUTE);
      assert.deepEqual(await backend.candidates.get(key(3307)), c);

      clock.advance(45 * MINUTE);
      assert.equal(await backend.candidates.expire(60 * MINUTE), 0);
      clock.advance(20 * MINUTE);
      assert.equal(await backend.candidates.expire(60 * MINUTE), 2);
      assert.deepEqual(await backend.candidates.list(), []);
    },
  ],

  [
    'tags hold one value per name and are found by name and value',
    async (t, factory) => {
      const { backend } = await setup(t, factory);
      await backend.tags.put(key(3307), { name: 'role', value: 'reporting' });
      await backend.tags.put(key(3307), { name: 'role', value: 'backup' });
      await backend.tags.put(key(3307), { name: 'az', value: 'b' });
      await backend.tags.put(key(3308), { name: 'role', value: 'backup' });
      await backend.tags.put(key(3309), { name: 'role', value: '' });
      assert.deepEqual(await backend.tags.get(key(3307)), [
        { name: 'az', value: 'b' },
        { name: 'role', value: 'backup' },
      ]);
      assert.deepEqual(await backend.tags.find('role', 'backup'), [key(3307), key(3308)]);
      assert.deepEqual(await backend.tags.find('role'), [key(3307), key(3308), key(3309)]);
      assert.equal(await backend.tags.remove(key(3307), 'az'), true);
      assert.equal(await backend.tags.remove(key(3307), 'az'), false);
      assert.equal(await backend.tags.removeEverywhere('role', 'backup'), 2);
      assert.deepEqual(await backend.tags.find('role'), [key(3309)]);
      await assert.rejects(backend.tags.put(key(3307), { name: '', value: 'x' }), {
        code: BackendCode.BadInput,
      });
    },
  ],

  [
    'a manual alias override wins over a detected alias',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      const c = backend.clusters;
      assert.deepEqual(await c.aliasOf('db1:3306'), {
        clusterName: 'db1:3306',
        alias: 'db1:3306',
        source: 'name',
      });
      await c.setDetectedAlias('db1:3306', 'orders');
      assert.equal((await c.aliasOf('db1:3306')).source, 'detected');
      await c.setAliasOverride('db1:3306', 'orders-main');
      assert.deepEqual(await c.aliasOf('db1:3306'), {
        clusterName: 'db1:3306',
        alias: 'orders-main',
        source: 'override',
      });
      assert.equal(await c.clusterOfAlias('orders-main'), 'db1:3306');
      assert.equal(await c.clusterOfAlias('orders'), 'db1:3306');

      // A failover: the new primary reports the same alias; the old name loses it.
      await c.setDetectedAlias('db2:3306', 'orders');
      assert.equal(await c.clusterOfAlias('orders'), 'db2:3306');
      await c.setAliasOverride('db9:3306', 'orders');
      assert.equal(await c.clusterOfAlias('orders'), 'db9:3306', 'an override names first');
      assert.deepEqual(
        (await c.aliases()).map((a) => [a.clusterName, a.alias, a.source]),
        [
          ['db1:3306', 'orders-main', 'override'],
          ['db2:3306', 'orders', 'detected'],
          ['db9:3306', 'orders', 'override'],
        ],
      );
      assert.equal(await c.removeAliasOverride('db1:3306'), true);
      assert.equal((await c.aliasOf('db1:3306')).source, 'name');

      clock.advance(2 * MINUTE);
      await c.setDetectedAlias('db3:3306', 'billing');
      assert.equal(await c.forgetStaleAliases(MINUTE), 1);
      assert.equal(await c.clusterOfAlias('billing'), 'db3:3306');
    },
  ],

  [
    'renaming a cluster moves its alias, override and domain',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      const c = backend.clusters;
      await c.setDetectedAlias('old:3306', 'orders');
      await c.setAliasOverride('old:3306', 'orders-main');
      await c.setDomain('old:3306', 'orders.example');
      await c.renameCluster('old:3306', 'new:3306');
      assert.equal((await c.aliasOf('new:3306')).alias, 'orders-main');
      assert.equal((await c.aliasOf('old:3306')).source, 'name');
      assert.equal((await c.domainOf('new:3306'))?.domain, 'orders.example');
      assert.equal(await c.domainOf('old:3306'), undefined);
      clock.advance(2 * MINUTE);
      assert.equal(await c.forgetStaleDomains(MINUTE), 1);
    },
  ],

  [
    'hostname resolves and unresolves are cached and expire',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      const h = backend.hostnames;
      await h.putResolved('db1', 'db1.example.com');
      await h.putResolved('db1', 'db1.prod.example.com');
      await h.registerUnresolve('db1.prod.example.com', 'orders-vip');
      assert.equal(await h.resolved('db1'), 'db1.prod.example.com');
      assert.equal(await h.unresolved('db1.prod.example.com'), 'orders-vip');
      assert.deepEqual(await h.allResolved(), [
        { hostname: 'db1', target: 'db1.prod.example.com', at: T0 },
      ]);
      clock.advance(61 * MINUTE);
      await h.putResolved('db2', 'db2.example.com');
      assert.equal(await h.expireResolved(60 * MINUTE), 1);
      assert.equal(await h.resolved('db1'), undefined);
      assert.equal(await h.expireUnresolves(60 * MINUTE), 1);
      assert.deepEqual(await h.allUnresolves(), []);
      await h.registerUnresolve('db2.example.com', 'vip');
      assert.equal(await h.deregisterUnresolve('db2.example.com'), true);
      assert.equal(await h.clearResolved(), 1);
    },
  ],

  [
    'audit pages hold 20 entries, newest first, per instance',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      for (let i = 0; i < 45; i++) {
        await backend.audit.record({
          action: 'poke',
          key: key(i % 2 === 0 ? 3307 : 3308),
          cluster: 'c1',
          message: `entry ${i}`,
        });
        clock.advance(1_000);
      }
      await backend.audit.record({ action: 'global', message: 'no instance' });
      const first = await backend.audit.page();
      assert.equal(first.length, 20);
      assert.equal(first[0]?.message, 'no instance');
      assert.equal(first[0]?.key, undefined);
      assert.equal(first[1]?.message, 'entry 44');
      assert.equal((await backend.audit.page({ page: 2 })).length, 6);
      const mine = await backend.audit.page({ key: key(3308), page: 1 });
      assert.deepEqual(
        mine.map((e) => e.message),
        ['entry 3', 'entry 1'],
      );
      assert.equal((await backend.audit.page({ cluster: 'c1', page: 2 })).length, 5);
      assert.equal(await backend.audit.purge(10_500), 35);
    },
  ],

  [
    'the kv store puts, lists by prefix and deletes',
    async (t, factory) => {
      const { backend } = await setup(t, factory);
      await backend.kv.put('mysql/master/orders', 'db1:3306');
      await backend.kv.put('mysql/master/orders', 'db2:3306');
      await backend.kv.put('mysql/master/orders/hostname', 'db2');
      await backend.kv.put('MYSQL/other', 'x');
      assert.equal((await backend.kv.get('mysql/master/orders'))?.value, 'db2:3306');
      const listed = await backend.kv.list('mysql/');
      assert.deepEqual(
        listed.map((e) => e.key),
        ['mysql/master/orders', 'mysql/master/orders/hostname'],
      );
      assert.equal((await backend.kv.list()).length, 3);
      assert.equal(await backend.kv.delete('MYSQL/other'), true);
      assert.equal(await backend.kv.get('MYSQL/other'), undefined);
    },
  ],

  [
    'the global recovery switch and the analysis changelog',
    async (t, factory) => {
      const { backend, clock } = await setup(t, factory);
      assert.equal(await backend.recoverySwitch.isDisabled(), false);
      await backend.recoverySwitch.disable();
      clock.advance(1_000);
      await backend.recoverySwitch.disable();
      assert.equal(await backend.recoverySwitch.disabledSince(), T0);
      await backend.recoverySwitch.enable();
      assert.equal(await backend.recoverySwitch.isDisabled(), false);

      const log = backend.analysisChangelog;
      assert.equal(await log.record({ key: key(3306), analysis: 'NoProblem' }), true);
      clock.advance(1_000);
      assert.equal(await log.record({ key: key(3306), analysis: 'NoProblem' }), false);
      clock.advance(1_000);
      assert.equal(await log.record({ key: key(3306), analysis: 'DeadMaster' }), true);
      assert.deepEqual(await log.last(key(3306)), {
        key: key(3306),
        analysis: 'DeadMaster',
        at: T0 + 3_000,
      });
      const changes = await log.changes({ key: key(3306) });
      assert.deepEqual(
        changes.map((c) => c.analysis),
        ['DeadMaster', 'NoProblem'],
      );
      assert.equal(await log.expire(1_500), 1);
    },
  ],
];
