import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { InstanceWriteBuffer, SqliteBackend, type Backend } from '../backend/index.js';
import { ManualClock } from '../common/clock.js';
import { formatInstanceKey, isLastCheckValid, type Instance } from '../topology/index.js';
import { Discovery } from './discovery.js';
import type { DiscoveryEvent } from './events.js';
import { FakeFleet, key } from './fixtures.js';
import { testSettings, type SettingsOverrides } from './settings.js';

const T0 = 1_700_000_000_000;
const POLL = 5000;

const noDns = {
  lookup: (host: string) => Promise.resolve(host),
  resolveCname: () => Promise.reject(new Error('ENODATA')),
};

interface Harness {
  clock: ManualClock;
  fleet: FakeFleet;
  backend: Backend;
  discovery: Discovery;
  events: DiscoveryEvent[];
  /** Lets every probe, crawl and write that is due complete. */
  settle(): Promise<void>;
  /** Advances the clock by `ms` in small steps, settling after each. */
  advance(ms: number): Promise<void>;
  rows(): Promise<Map<string, Instance>>;
}

async function harness(
  t: TestContext,
  build: (fleet: FakeFleet) => void,
  settings: SettingsOverrides = {},
  backend?: Backend,
): Promise<Harness> {
  const clock = new ManualClock(T0);
  const store = backend ?? (await SqliteBackend.open({ path: ':memory:', clock }));
  const writer = new InstanceWriteBuffer({
    instances: store.instances,
    clock,
    flushIntervalMs: 100,
  });
  const fleet = new FakeFleet(clock);
  build(fleet);
  const discovery = new Discovery({
    clock,
    settings: testSettings({ pollMs: POLL, ...settings }),
    probe: fleet.probe,
    store,
    writer,
    dns: noDns,
    caretaking: false,
  });
  const events: DiscoveryEvent[] = [];
  discovery.subscribe((e) => events.push(e));
  t.after(async () => {
    await discovery.stop();
    if (backend === undefined) await store.close();
  });
  const settle = async () => {
    for (let i = 0; i < 30; i++) await new Promise((resolve) => setImmediate(resolve));
    await writer.flush();
  };
  return {
    clock,
    fleet,
    backend: store,
    discovery,
    events,
    settle,
    async advance(ms) {
      for (let done = 0; done < ms; done += 100) {
        clock.advance(Math.min(100, ms - done));
        await settle();
      }
    },
    async rows() {
      const all = await store.instances.all();
      return new Map(all.map((i) => [formatInstanceKey(i.key), i]));
    },
  };
}

/**
 * The sandbox's shape: every server's public address is report_host:report_port; each
 * replica reaches its source through a link proxy of its own (ports 2xxx), so the address
 * its connection reports is not the source's public address.
 */
function tree(fleet: FakeFleet): void {
  const at = (port: number) => ({ serverId: port, reportHost: 'db', reportPort: port });
  fleet
    .add('s1', { ...at(1001), replicas: ['db:1002', 'db:1003'] }, 'db:1001', 'db:2102', 'db:2103')
    .add('s2', { ...at(1002), source: 'db:2102', replicas: ['db:1004'] }, 'db:1002', 'db:2204')
    .add('s3', { ...at(1003), source: 'db:2103' }, 'db:1003')
    .add('s4', { ...at(1004), source: 'db:2204' }, 'db:1004');
}

function sourceOf(rows: Map<string, Instance>, name: string): string | undefined {
  const source = rows.get(name)?.replication?.sourceKey;
  return source === undefined ? undefined : formatInstanceKey(source);
}

void test('discovery: a seeded primary leads to the whole tree, replicas under their sources by identity', async (t) => {
  const h = await harness(t, tree, { seeds: ['db:1001'] });
  await h.discovery.start();
  await h.settle();

  const rows = await h.rows();
  assert.deepEqual([...rows.keys()], ['db:1001', 'db:1002', 'db:1003', 'db:1004']);
  assert.equal(sourceOf(rows, 'db:1002'), 'db:1001', 'through link proxy db:2102');
  assert.equal(sourceOf(rows, 'db:1003'), 'db:1001');
  assert.equal(sourceOf(rows, 'db:1004'), 'db:1002', 'through link proxy db:2204');
  for (const [name, depth] of [
    ['db:1001', 0],
    ['db:1002', 1],
    ['db:1003', 1],
    ['db:1004', 2],
  ] as const) {
    assert.equal(rows.get(name)?.cluster.name, 'db:1001', `${name} cluster`);
    assert.equal(rows.get(name)?.cluster.depth, depth, `${name} depth`);
  }
  assert.deepEqual(rows.get('db:1004')?.cluster.ancestryServerIds, [1002, 1001]);
  assert.deepEqual(
    h.discovery.aliases().sort((a, b) => a.alias.localeCompare(b.alias)),
    [
      { alias: 'db:2102', canonical: 'db:1001' },
      { alias: 'db:2103', canonical: 'db:1001' },
      { alias: 'db:2204', canonical: 'db:1002' },
    ],
  );
  const stored = await h.backend.instanceAliases.all();
  assert.equal(stored.length, 3, 'aliases are stored');
});

void test('discovery: seeding a leaf replica crawls up and finds everything', async (t) => {
  const h = await harness(t, tree, { seeds: ['db:1004'] });
  await h.discovery.start();
  await h.settle();
  const rows = await h.rows();
  assert.deepEqual([...rows.keys()], ['db:1001', 'db:1002', 'db:1003', 'db:1004']);
  assert.equal(rows.get('db:1004')?.cluster.name, 'db:1001');
  assert.equal(rows.get('db:1004')?.cluster.depth, 2);
});

void test('discovery: one server reached under two names is one instance', async (t) => {
  const h = await harness(t, (fleet) =>
    fleet.add('s1', { serverId: 7, reportHost: 'db', reportPort: 1001 }, 'db:1001', 'db:1101'),
  );
  await h.discovery.start();
  const first = await h.discovery.discover(key('db:1001'));
  const second = await h.discovery.discover(key('db:1101'));
  await h.settle();
  assert.equal(formatInstanceKey(first.key), 'db:1001');
  assert.equal(formatInstanceKey(second.key), 'db:1001', 'the second name answers as the first');
  assert.deepEqual([...(await h.rows()).keys()], ['db:1001']);
  assert.equal(formatInstanceKey(h.discovery.canonicalKey(key('db:1101'))), 'db:1001');
});

void test('discovery: a server found under another name is stored under the address it reports', async (t) => {
  const h = await harness(t, (fleet) =>
    fleet.add('s1', { serverId: 7, reportHost: 'db', reportPort: 1001 }, 'db:1001', 'db:1101'),
  );
  await h.discovery.start();
  const found = await h.discovery.discover(key('db:1101'));
  await h.settle();
  assert.equal(formatInstanceKey(found.key), 'db:1001');
  assert.deepEqual([...(await h.rows()).keys()], ['db:1001'], 'never a row under db:1101');
  assert.deepEqual(h.discovery.aliases(), [{ alias: 'db:1101', canonical: 'db:1001' }]);
});

void test('discovery: a row stored under a second name moves to the address the server reports', async (t) => {
  const clock = new ManualClock(T0);
  const backend = await SqliteBackend.open({ path: ':memory:', clock });
  t.after(() => backend.close());
  const first = await harness(
    t,
    (fleet) => fleet.add('s1', { serverId: 7, reportHost: 'db', reportPort: 1001 }, 'db:1101'),
    { seeds: ['db:1101'] },
    backend,
  );
  await first.discovery.start();
  await first.settle();
  await first.discovery.stop();
  assert.deepEqual([...(await first.rows()).keys()], ['db:1101'], 'its own address did not answer');

  const second = await harness(
    t,
    (fleet) =>
      fleet.add('s1', { serverId: 7, reportHost: 'db', reportPort: 1001 }, 'db:1101', 'db:1001'),
    {},
    backend,
  );
  await second.discovery.start();
  await second.settle();
  assert.deepEqual([...(await second.rows()).keys()], ['db:1001']);
  assert.deepEqual(second.discovery.aliases(), [{ alias: 'db:1101', canonical: 'db:1001' }]);
  assert.ok(second.events.some((e) => e.type === 'canonical-changed'));
});

void test('discovery: a server that stops answering is invalid after one poll, valid again after', async (t) => {
  const h = await harness(t, tree, { seeds: ['db:1001'] });
  await h.discovery.start();
  await h.settle();
  h.fleet.down.add('s3');
  await h.advance(POLL);

  const dead = (await h.rows()).get('db:1003');
  assert.ok(dead !== undefined);
  assert.equal(isLastCheckValid(dead), false, 'last checked after last seen');
  assert.ok((dead.timing.lastCheckedAt ?? 0) > (dead.timing.lastSeenAt ?? 0));
  assert.equal(h.discovery.lastProbeError(key('db:1003'))?.kind, 'unreachable');
  assert.equal(isLastCheckValid((await h.rows()).get('db:1002') as Instance), true);

  h.fleet.down.delete('s3');
  await h.advance(POLL);
  const back = (await h.rows()).get('db:1003') as Instance;
  assert.equal(isLastCheckValid(back), true);
  assert.equal(h.discovery.lastProbeError(key('db:1003')), undefined);
  assert.ok(h.events.some((e) => e.type === 'instance-recovered'));
});

void test('discovery: unreachable replicas back off, unreachable primaries keep the poll', async (t) => {
  const h = await harness(t, tree, {
    seeds: ['db:1001'],
    deadPollFactor: 2,
    deadPollMaxMs: 60_000,
  });
  await h.discovery.start();
  await h.settle();
  h.fleet.down.add('s1');
  h.fleet.down.add('s3');
  h.fleet.probes.length = 0;
  await h.advance(8 * POLL);
  const count = (address: string) => h.fleet.probes.filter((p) => p === address).length;
  assert.equal(count('db:1001'), 8, 'the primary: every poll');
  assert.equal(count('db:1003'), 4, 'the replica: at 5 s, 10 s, 20 s and 40 s');
  assert.equal(count('db:1002'), 8, 'live servers are not held up');
});

void test('discovery: filters keep replicas, sources and any host out', async (t) => {
  const h = await harness(t, tree, {
    seeds: ['db:1004', 'ignored:1'],
    filters: { ignore: [/^ignored:/], ignoreReplica: [/:1003$/], ignorePrimary: [] },
  });
  await h.discovery.start();
  await h.settle();
  assert.deepEqual([...(await h.rows()).keys()], ['db:1001', 'db:1002', 'db:1004']);
  assert.ok(!h.fleet.probes.includes('ignored:1'));
  const filtered = h.events.flatMap((e) =>
    e.type === 'address-filtered' ? [formatInstanceKey(e.key)] : [],
  );
  assert.deepEqual([...new Set(filtered)].sort(), ['db:1003', 'ignored:1']);
  await assert.rejects(h.discovery.discover(key('ignored:2')), { code: 'DISCOVERY_FILTERED' });
});

void test('discovery: a VIP that moves to another server stops being its old alias', async (t) => {
  const h = await harness(t, (fleet) => {
    const at = (port: number) => ({ serverId: port, reportHost: 'db', reportPort: port });
    fleet
      .add('s1', { ...at(1001), replicas: ['db:1002'] }, 'db:1001', 'vip:1')
      .add('s2', { ...at(1002), source: 'vip:1' }, 'db:1002');
  });
  await h.discovery.start();
  await h.discovery.discover(key('db:1002'));
  await h.settle();
  assert.equal(sourceOf(await h.rows(), 'db:1002'), 'db:1001');

  // A failover: s2 becomes the primary, the VIP moves to it; a new s3 replicates via the VIP.
  h.fleet.servers.set('s2', { serverId: 1002, reportHost: 'db', reportPort: 1002 });
  h.fleet.route('vip:1', 's2');
  h.fleet.add(
    's3',
    { serverId: 1003, reportHost: 'db', reportPort: 1003, source: 'vip:1' },
    'db:1003',
  );
  await h.discovery.discover(key('db:1003'));
  await h.settle();
  await h.advance(POLL);
  const rows = await h.rows();
  assert.equal(sourceOf(rows, 'db:1003'), 'db:1002', 'the VIP now names s2');
  assert.equal(rows.get('db:1003')?.cluster.name, 'db:1002');
  assert.ok(h.events.some((e) => e.type === 'alias-dropped'));
});

void test('discovery: forget stops polling and deletes the row and its aliases', async (t) => {
  const h = await harness(t, (fleet) =>
    fleet.add('s1', { serverId: 7, reportHost: 'db', reportPort: 1001 }, 'db:1001', 'db:1101'),
  );
  await h.discovery.start();
  await h.discovery.discover(key('db:1101'));
  await h.settle();
  assert.equal(await h.discovery.forget(key('db:1101')), true, 'forgotten through its alias');
  await h.settle();
  h.fleet.probes.length = 0;
  await h.advance(2 * POLL);
  assert.deepEqual(h.fleet.probes, []);
  assert.deepEqual([...(await h.rows()).keys()], []);
  assert.deepEqual(await h.backend.instanceAliases.all(), []);
  assert.equal(await h.discovery.forget(key('db:1001')), false);
});

void test('discovery: a new address that never answers is dropped; a silent seed is kept', async (t) => {
  const h = await harness(t, () => undefined, { seeds: ['seed:1'] });
  await h.discovery.start();
  await assert.rejects(h.discovery.discover(key('nowhere:1')), { code: 'DISCOVERY_UNREACHABLE' });
  await h.settle();
  h.fleet.probes.length = 0;
  await h.advance(2 * POLL);
  assert.deepEqual(h.fleet.probes, ['seed:1', 'seed:1']);
  h.fleet.add('seed', { serverId: 1 }, 'seed:1');
  await h.advance(POLL);
  assert.deepEqual([...(await h.rows()).keys()], ['seed:1']);
});

void test('discovery: aliases, placement and promotion rules come from settings and queries', async (t) => {
  const h = await harness(
    t,
    (fleet) =>
      fleet.add('p', { serverId: 1, replicas: ['db-eu1:2'] }, 'db-eu1:1').add(
        'r',
        {
          serverId: 2,
          source: 'db-eu1:1',
          metadata: { promotionRule: 'prefer', dataCenter: 'dc9' },
        },
        'db-eu1:2',
      ),
    {
      seeds: ['db-eu1:1'],
      clusterNameToAlias: [{ pattern: /^db-eu/, alias: 'europe' }],
      placement: { dataCenter: /-(eu\d)/, region: /^db-(eu)/, environment: undefined },
    },
  );
  await h.discovery.start();
  await h.settle();
  const rows = await h.rows();
  const p = rows.get('db-eu1:1') as Instance;
  const r = rows.get('db-eu1:2') as Instance;
  assert.equal(p.cluster.alias, 'europe', 'ClusterNameToAlias');
  assert.equal(r.cluster.alias, 'europe', 'replicas inherit it');
  assert.deepEqual(p.placement, { dataCenter: 'eu1', region: 'eu', environment: undefined });
  assert.equal(r.placement.dataCenter, 'dc9', 'the query wins over the pattern');
  assert.equal(r.promotionRule, 'prefer');
  assert.equal((await h.backend.candidates.get(r.key))?.promotionRule, 'prefer');
  assert.equal((await h.backend.clusters.aliasOf('db-eu1:1')).alias, 'europe');

  await h.backend.clusters.setAliasOverride('db-eu1:1', 'orders');
  await h.discovery.refresh(key('db-eu1:1'));
  await h.settle();
  assert.equal((await h.rows()).get('db-eu1:2')?.cluster.alias, 'orders', 'the override wins');
});

void test('discovery: a restart loads instances and aliases and merges two rows of one server', async (t) => {
  const clock = new ManualClock(T0);
  const backend = await SqliteBackend.open({ path: ':memory:', clock });
  t.after(() => backend.close());
  const first = await harness(t, tree, { seeds: ['db:1001'] }, backend);
  await first.discovery.start();
  await first.settle();
  await first.discovery.stop();
  // An older store held the same server under a second name too.
  const s2 = (await backend.instances.get(key('db:1002'))) as Instance;
  await backend.instances.upsertInstances([{ ...s2, key: key('db:9002') }]);

  const second = await harness(t, tree, {}, backend);
  await second.discovery.start();
  await second.settle();
  assert.deepEqual([...(await second.rows()).keys()], ['db:1001', 'db:1002', 'db:1003', 'db:1004']);
  assert.equal(formatInstanceKey(second.discovery.canonicalKey(key('db:9002'))), 'db:1002');
  assert.equal(formatInstanceKey(second.discovery.canonicalKey(key('db:2204'))), 'db:1002');
  assert.ok(!second.fleet.probes.includes('db:2204'), 'a stored alias is not probed again');
});

void test('discovery: a server whose own address does not answer is kept under the name that does', async (t) => {
  const h = await harness(
    t,
    (fleet) => fleet.add('s1', { serverId: 7, reportHost: 'db', reportPort: 1001 }, 'link:1'),
    { seeds: ['db:1001', 'link:1'] },
  );
  await h.discovery.start();
  await h.settle();
  await h.advance(POLL);
  assert.deepEqual([...(await h.rows()).keys()], ['link:1']);
  assert.deepEqual(h.discovery.aliases(), []);
});

void test('discovery: co-primaries settle into one cluster without re-probing each other forever', async (t) => {
  const at = (port: number) => ({ serverId: port, reportHost: 'db', reportPort: port });
  const h = await harness(
    t,
    (fleet) =>
      fleet
        .add('s1', { ...at(1001), source: 'db:1002', replicas: ['db:1002', 'db:1003'] }, 'db:1001')
        .add('s2', { ...at(1002), source: 'db:1001', replicas: ['db:1001'] }, 'db:1002')
        .add('s3', { ...at(1003), source: 'db:1001' }, 'db:1003'),
    { seeds: ['db:1003'] },
  );
  await h.discovery.start();
  await h.settle();
  h.fleet.probes.length = 0;
  await h.advance(3 * POLL);
  assert.equal(h.fleet.probes.length, 9, 'three servers, three polls each');
  const rows = await h.rows();
  for (const name of ['db:1001', 'db:1002', 'db:1003']) {
    assert.equal(rows.get(name)?.cluster.name, 'db:1001', `${name} cluster`);
  }
  assert.equal(rows.get('db:1001')?.cluster.depth, 0);
  assert.equal(rows.get('db:1002')?.cluster.depth, 1);
  assert.equal(rows.get('db:1003')?.cluster.depth, 1);
});
