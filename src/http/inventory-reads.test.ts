import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NOW } from '../analysis/fixtures.js';
import { instanceKey } from '../topology/index.js';
import { COMPAT_JSON_TYPE } from './compat-reply.js';
import type { CompatClusterInfo, CompatInstance } from './compat/orchestrator-types.js';
import { inventoryTestApp, type InventoryTestApp } from './routes/inventory-testing.js';

type Options = Parameters<typeof inventoryTestApp>[0];

async function withApp(fn: (t: InventoryTestApp) => Promise<void>, options?: Options) {
  const t = await inventoryTestApp(options);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

async function get<T>(t: InventoryTestApp, url: string): Promise<T> {
  const res = await t.app.inject(url);
  assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
  assert.equal(res.headers['content-type'], COMPAT_JSON_TYPE, url);
  return res.json<T>();
}

function keys(instances: readonly CompatInstance[]): string[] {
  return instances.map((i) => `${i.Key.Hostname}:${i.Key.Port}`);
}

const k = (port: number) => instanceKey('127.0.0.1', port);

void test('inventory reads: instance/:host/:port answers the raw Instance JSON', async () => {
  await withApp(async (t) => {
    const r1 = await get<CompatInstance>(t, '/api/instance/127.0.0.1/23307');
    assert.deepEqual(r1.Key, { Hostname: '127.0.0.1', Port: 23307 });
    assert.equal(r1.InstanceAlias, 'r1');
    assert.deepEqual(r1.MasterKey, { Hostname: '127.0.0.1', Port: 23306 });
    assert.equal(r1.ClusterName, '127.0.0.1:23306');
    assert.equal(r1.IsCoMaster, false);
    const lagging = await get<CompatInstance>(t, '/api/instance/127.0.0.1/23308');
    assert.deepEqual(lagging.Problems, ['replication_lag']);
    const co = await get<CompatInstance>(t, '/api/instance/127.0.0.1/23407');
    assert.equal(co.IsCoMaster, true);
  });
});

void test('inventory reads: failures are 500 envelopes with orchestrator messages', async () => {
  await withApp(async (t) => {
    const cases: [string, string][] = [
      ['/api/instance/127.0.0.1/1', 'Cannot read instance: 127.0.0.1:1'],
      ['/api/instance/127.0.0.1/abc', 'Invalid port: abc'],
      ['/api/cluster/instance/127.0.0.1/1', 'Cannot read instance: 127.0.0.1:1'],
      ['/api/cluster/nosuch', 'Unable to determine cluster name. clusterHint=nosuch'],
      ['/api/cluster-info/nosuch', 'Unable to determine cluster name. clusterHint=nosuch'],
      ['/api/master/nosuch', 'Unable to determine cluster name. clusterHint=nosuch'],
      ['/api/topology/nosuch', 'Unable to determine cluster name. clusterHint=nosuch'],
      ['/api/downtimed/nosuch', 'Unable to determine cluster name. clusterHint=nosuch'],
      ['/api/cluster/alias/nosuch', 'Unable to determine cluster name for alias nosuch'],
      ['/api/cluster-info/alias/nosuch', 'Unable to determine cluster name for alias nosuch'],
    ];
    for (const [url, message] of cases) {
      const res = await t.app.inject(url);
      assert.equal(res.statusCode, 500, url);
      assert.equal(res.headers['content-type'], COMPAT_JSON_TYPE, url);
      assert.deepEqual(res.json(), { Code: 'ERROR', Message: message, Details: null }, url);
    }
  });
});

void test('inventory reads: a cluster hint is a name, an alias or a member address', async () => {
  await withApp(
    async (t) => {
      await t.backend.clusters.setAliasOverride('127.0.0.1:23306', 'shop');
      await t.backend.clusters.setDetectedAlias('127.0.0.1:23406', 'billing');
      const members = ['127.0.0.1:23306', '127.0.0.1:23307', '127.0.0.1:23308'];
      const hints = [
        '/api/cluster/127.0.0.1:23306',
        '/api/cluster/shop',
        '/api/cluster/alias/shop',
        '/api/cluster/127.0.0.1:23309',
        '/api/cluster/instance/127.0.0.1/23310',
      ];
      for (const url of hints) {
        const found = keys(await get<CompatInstance[]>(t, url));
        assert.deepEqual(found.slice(0, 3), members, url);
        assert.equal(found.length, 5, url);
      }
      const billing = await get<CompatInstance[]>(t, '/api/cluster/billing');
      assert.deepEqual(keys(billing), ['127.0.0.1:23406', '127.0.0.1:23407', '127.0.0.1:23408']);
    },
    { config: { metadata: { clusterNameToAlias: { '23406': 'unused-because-detected' } } } },
  );
});

void test('inventory reads: cluster-info and clusters-info report alias, domain, recovery', async () => {
  await withApp(
    async (t) => {
      await t.backend.clusters.setDomain('127.0.0.1:23306', 'shop.example.com');
      const info = await get<CompatClusterInfo>(t, '/api/cluster-info/shop-by-map');
      assert.deepEqual(info, {
        ClusterName: '127.0.0.1:23306',
        ClusterAlias: 'shop-by-map',
        ClusterDomain: 'shop.example.com',
        CountInstances: 5,
        HeuristicLag: 60,
        HasAutomatedMasterRecovery: true,
        HasAutomatedIntermediateMasterRecovery: false,
      });
      assert.deepEqual(await get(t, '/api/cluster-info/alias/shop-by-map'), info);
      const all = await get<CompatClusterInfo[]>(t, '/api/clusters-info');
      assert.deepEqual(
        all.map((c) => [c.ClusterName, c.ClusterAlias, c.CountInstances]),
        [
          ['127.0.0.1:23306', 'shop-by-map', 5],
          ['127.0.0.1:23406', '127.0.0.1:23406', 3],
        ],
      );
      assert.deepEqual(await get(t, '/api/clusters'), ['127.0.0.1:23306', '127.0.0.1:23406']);
    },
    {
      config: {
        metadata: { clusterNameToAlias: { ':23306$': 'shop-by-map' } },
        recovery: { recoverPrimaryClusterFilters: ['alias=shop-by-map'] },
      },
    },
  );
});

void test('inventory reads: masters, master of a cluster, replicas, all instances', async () => {
  await withApp(async (t) => {
    assert.deepEqual(keys(await get(t, '/api/masters')), [
      '127.0.0.1:23306',
      '127.0.0.1:23406',
      '127.0.0.1:23407',
    ]);
    const master = await get<CompatInstance>(t, '/api/master/127.0.0.1:23308');
    assert.deepEqual(master.Key, { Hostname: '127.0.0.1', Port: 23306 });
    const co = await get<CompatInstance>(t, '/api/master/127.0.0.1:23406');
    assert.deepEqual(co.Key, { Hostname: '127.0.0.1', Port: 23406 });
    assert.deepEqual(keys(await get(t, '/api/instance-replicas/127.0.0.1/23306')), [
      '127.0.0.1:23307',
      '127.0.0.1:23308',
      '127.0.0.1:23310',
    ]);
    assert.deepEqual(await get(t, '/api/instance-replicas/127.0.0.1/1'), []);
    assert.equal((await get<CompatInstance[]>(t, '/api/all-instances')).length, 8);
  });
});

void test('inventory reads: search by path or ?s=, on address, version and alias', async () => {
  await withApp(async (t) => {
    const cases: [string, string[]][] = [
      ['/api/search/2340', ['127.0.0.1:23406', '127.0.0.1:23407', '127.0.0.1:23408']],
      ['/api/search?s=r1', ['127.0.0.1:23307']],
      ['/api/search?s=127.0.0.1:23310', ['127.0.0.1:23310']],
      ['/api/search/nothing-like-it', []],
    ];
    for (const [url, want] of cases) assert.deepEqual(keys(await get(t, url)), want, url);
    assert.equal((await get<CompatInstance[]>(t, '/api/search?s=')).length, 8);
    assert.equal((await get<CompatInstance[]>(t, '/api/search?s=MariaDB')).length, 8);
  });
});

void test('inventory reads: downtimed and problems lists, by cluster too', async () => {
  await withApp(async (t) => {
    const downtime = { owner: 'dba', reason: 'disk', durationMs: 600_000 };
    await t.backend.downtime.begin({ key: k(23309), ...downtime });
    assert.deepEqual(keys(await get(t, '/api/downtimed')), ['127.0.0.1:23309']);
    assert.deepEqual(keys(await get(t, '/api/downtimed/127.0.0.1:23307')), ['127.0.0.1:23309']);
    assert.deepEqual(await get(t, '/api/downtimed/127.0.0.1:23406'), []);
    const problems = await get<CompatInstance[]>(t, '/api/problems');
    assert.deepEqual(keys(problems), ['127.0.0.1:23308', '127.0.0.1:23310']);
    assert.deepEqual(
      problems.map((p) => p.Problems),
      [['replication_lag'], ['last_check_invalid']],
    );
    assert.deepEqual(keys(await get(t, '/api/problems/127.0.0.1:23306')), [
      '127.0.0.1:23308',
      '127.0.0.1:23310',
    ]);
    assert.deepEqual(await get(t, '/api/problems/127.0.0.1:23406'), []);
  });
});

void test('inventory reads: maintenance list and in-maintenance', async () => {
  await withApp(async (t) => {
    await t.backend.maintenance.begin({
      key: k(23307),
      owner: 'alice',
      reason: 'backup',
      durationMs: 600_000,
      node: { hostname: 'orc-test', token: 't' },
      id: '12345',
      at: NOW - 30_000,
    });
    assert.deepEqual(await get(t, '/api/maintenance'), [
      {
        MaintenanceId: 12345,
        Key: { Hostname: '127.0.0.1', Port: 23307 },
        BeginTimestamp: '2023-11-14 22:12:50',
        SecondsElapsed: 30,
        IsActive: true,
        Owner: 'alice',
        Reason: 'backup',
      },
    ]);
    assert.deepEqual(await get(t, '/api/in-maintenance/127.0.0.1/23307'), {
      Code: 'OK',
      Message: 'true',
      Details: '127.0.0.1:23307',
    });
    assert.deepEqual(await get(t, '/api/in-maintenance/127.0.0.1/23308'), {
      Code: 'OK',
      Message: 'false',
      Details: '',
    });
  });
});

void test('inventory reads: topology by hint or by host/port, in all three variants', async () => {
  await withApp(async (t) => {
    await t.backend.tags.put(k(23307), { name: 'role', value: 'backup' });
    for (const url of ['/api/topology/127.0.0.1:23306', '/api/topology/127.0.0.1/23309']) {
      const body = await get<{ Code: string; Message: string; Details: string }>(t, url);
      assert.equal(body.Code, 'OK', url);
      assert.equal(body.Message, 'Topology for cluster 127.0.0.1:23306', url);
      assert.match(body.Details, /^127\.0\.0\.1:23306 {8}\[0s,ok,/, url);
      assert.equal(body.Details.split('\n').length, 5, url);
    }
    const tabulated = await get<{ Details: string }>(t, '/api/topology-tabulated/127.0.0.1:23306');
    assert.match(tabulated.Details, /^127\.0\.0\.1:23306 {7}\| {5}0s\|ok/);
    const tags = await get<{ Details: string }>(t, '/api/topology-tags/127.0.0.1/23306');
    assert.match(tags.Details, /\+ 127\.0\.0\.1:23307 \(r1\) \[.*\] \[role=backup\]\n/);
  });
});

void test('inventory reads: audit pages of 20, newest first, and per instance', async () => {
  await withApp(async (t) => {
    for (let n = 0; n < 25; n++) {
      await t.backend.audit.record({
        id: `id-${String(n).padStart(2, '0')}`,
        action: 'test',
        key: k(n % 2 === 0 ? 23307 : 23308),
        cluster: '127.0.0.1:23306',
        message: `entry ${n}`,
        at: NOW - (25 - n) * 1000,
      });
    }
    type Audit = { AuditType: string; Message: string; AuditInstanceKey: { Port: number } };
    const first = await get<Audit[]>(t, '/api/audit');
    assert.equal(first.length, 20);
    assert.equal(first[0]?.Message, 'entry 24');
    assert.equal((await get<Audit[]>(t, '/api/audit/1')).length, 5);
    assert.equal((await get<Audit[]>(t, '/api/audit/x')).length, 20);
    const mine = await get<Audit[]>(t, '/api/audit/instance/127.0.0.1/23307');
    assert.equal(mine.length, 13);
    assert.ok(mine.every((a) => a.AuditInstanceKey.Port === 23307));
    assert.equal((await get<Audit[]>(t, '/api/audit/instance/127.0.0.1/23307/1')).length, 0);
  });
});
