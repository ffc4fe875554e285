import assert from 'node:assert/strict';
import type { Backend } from '../backend.js';
import { key, primary, replica, T0 } from './fixtures.js';
import { dumpTables, setup, type ContractCase } from './harness.js';

const p = primary(3306);
const r = replica(p, 3307);
const node = { hostname: 'orc-a', token: 'token-a' };
const at = T0 + 1_000;

/**
 * Every kind of write, with the ids and times a replicated command would carry. Applied in
 * order, each twice: ha-modes.md §2b's statement-based replication between two backends may
 * deliver a write again, and the second delivery must neither fail nor change anything.
 */
const writes: readonly (readonly [string, (b: Backend) => Promise<unknown>])[] = [
  ['upsert instances', (b) => b.instances.upsertInstances([p, r])],
  ['record a probe failure', (b) => b.instances.recordProbeFailure(r.key, { at })],
  ['record an instance alias', (b) => b.instanceAliases.record(key(3406), p.key, { at })],
  [
    'begin downtime',
    (b) => b.downtime.begin({ key: r.key, owner: 'o', reason: 'r', durationMs: 60_000, at }),
  ],
  [
    'begin maintenance',
    (b) =>
      b.maintenance.begin({
        id: 'lock-1',
        key: r.key,
        owner: 'o',
        reason: 'r',
        durationMs: 60_000,
        node,
        at,
      }),
  ],
  [
    'register a candidate',
    (b) => b.candidates.register({ key: r.key, promotionRule: 'prefer', at }),
  ],
  ['tag', (b) => b.tags.put(r.key, { name: 'role', value: 'backup' })],
  ['set a detected alias', (b) => b.clusters.setDetectedAlias('c1', 'orders', { at })],
  ['set an alias override', (b) => b.clusters.setAliasOverride('c1', 'orders-main', { at })],
  ['set a domain', (b) => b.clusters.setDomain('c1', 'orders.example', { at })],
  ['rename a cluster', (b) => b.clusters.renameCluster('c1', 'c2')],
  ['cache a resolve', (b) => b.hostnames.putResolved('db1', 'db1.example', { at })],
  ['register an unresolve', (b) => b.hostnames.registerUnresolve('db1.example', 'vip', { at })],
  ['audit', (b) => b.audit.record({ id: 'audit-1', action: 'a', key: r.key, message: 'm', at })],
  ['put a kv entry', (b) => b.kv.put('mysql/master/orders', '127.0.0.1:3306', { at })],
  [
    'register node health',
    (b) =>
      b.nodeHealth.register(
        { ...node, appVersion: '1', backend: 'x', command: 'serve', extraInfo: '' },
        at,
      ),
  ],
  ['attempt an election', (b) => b.election.attempt(node, { leaseMs: 5_000, at })],
  ['grab the election', (b) => b.election.grab({ hostname: 'orc-b', token: 'b' }, at + 1)],
  ['disable recoveries', (b) => b.recoverySwitch.disable(at)],
  ['record an analysis', (b) => b.analysisChangelog.record({ key: p.key, analysis: 'X', at })],
  ['end maintenance', (b) => b.maintenance.endById('lock-1')],
  ['end downtime', (b) => b.downtime.end(r.key)],
  ['untag', (b) => b.tags.remove(r.key, 'role')],
  ['remove an override', (b) => b.clusters.removeAliasOverride('c2')],
  ['deregister an unresolve', (b) => b.hostnames.deregisterUnresolve('db1.example')],
  ['delete a kv entry', (b) => b.kv.delete('mysql/master/orders')],
  ['reelect', (b) => b.election.reelect()],
  ['enable recoveries', (b) => b.recoverySwitch.enable()],
  ['expire candidates', (b) => b.candidates.expire(0, at + 1)],
  ['purge audit', (b) => b.audit.purge(0, at + 1)],
  ['forget an instance', (b) => b.instances.forget(r.key)],
  ['forget an instance alias', (b) => b.instanceAliases.forget(key(3406))],
  ['forget a cluster', (b) => b.instances.forgetCluster(p.cluster.name)],
  ['forget unseen instances', (b) => b.instances.forgetUnseen(1, at)],
];

export const replayCases: readonly ContractCase[] = [
  [
    'every write applied twice leaves the state of once',
    async (t, factory) => {
      const { backend, store } = await setup(t, factory);
      const driver = await store.driver();
      for (const [what, write] of writes) {
        await write(backend);
        const once = await dumpTables(driver);
        await write(backend);
        assert.deepStrictEqual(await dumpTables(driver), once, `${what} replayed`);
      }
      assert.equal((await backend.instances.all()).length, 0);
      assert.deepEqual(await backend.tags.get(key(3307)), []);
    },
  ],
];
