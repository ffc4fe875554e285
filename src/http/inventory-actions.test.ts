import { test } from 'node:test';
import assert from 'node:assert/strict';
import { server } from '../analysis/fixtures.js';
import { instanceKey } from '../topology/index.js';
import { COMPAT_JSON_TYPE } from './compat-reply.js';
import type { CompatInstance } from './compat/orchestrator-types.js';
import { inventoryTestApp, type InventoryTestApp } from './routes/inventory-testing.js';

type Options = Parameters<typeof inventoryTestApp>[0];
type Envelope<D = unknown> = { Code: string; Message: string; Details: D };

async function withApp(fn: (t: InventoryTestApp) => Promise<void>, options?: Options) {
  const t = await inventoryTestApp(options);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

async function call<D = unknown>(
  t: InventoryTestApp,
  url: string,
  status = 200,
): Promise<Envelope<D>> {
  // Audit entries are ordered by time: step the clock so each call has its own.
  t.clock.advance(10);
  const res = await t.app.inject(url);
  assert.equal(res.statusCode, status, `${url}: ${res.body}`);
  assert.equal(res.headers['content-type'], COMPAT_JSON_TYPE, url);
  return res.json<Envelope<D>>();
}

const k = (port: number) => instanceKey('127.0.0.1', port);
const KEY_23307 = { Hostname: '127.0.0.1', Port: 23307 };

async function auditTypes(t: InventoryTestApp): Promise<string[]> {
  return (await t.backend.audit.page()).map((e) => e.action);
}

void test('inventory actions: discover probes now and answers the instance in Details', async () => {
  await withApp(async (t) => {
    t.discovery.servers.set('127.0.0.1:23500', server(23500));
    const body = await call<CompatInstance>(t, '/api/discover/127.0.0.1/23500');
    assert.equal(body.Code, 'OK');
    assert.equal(body.Message, 'Instance discovered: 127.0.0.1:23500');
    assert.deepEqual(body.Details.Key, { Hostname: '127.0.0.1', Port: 23500 });
    assert.ok(await t.backend.instances.get(k(23500)));
    assert.deepEqual(await auditTypes(t), ['discover']);

    const failed = await call(t, '/api/discover/127.0.0.1/23501', 500);
    assert.deepEqual(failed, {
      Code: 'ERROR',
      Message: 'cannot probe 127.0.0.1:23501: connect ECONNREFUSED',
      Details: null,
    });
  });
});

void test('inventory actions: async-discover, refresh and forget', async () => {
  await withApp(async (t) => {
    assert.deepEqual(await call(t, '/api/async-discover/127.0.0.1/23501'), {
      Code: 'OK',
      Message: 'Asynchronous discovery initiated for Instance: 127.0.0.1:23501',
      Details: null,
    });
    t.discovery.servers.set('127.0.0.1:23307', server(23307));
    assert.deepEqual(await call(t, '/api/refresh/127.0.0.1/23307'), {
      Code: 'OK',
      Message: 'Instance refreshed: 127.0.0.1:23307',
      Details: KEY_23307,
    });
    assert.equal((await call(t, '/api/refresh/127.0.0.1/23309', 500)).Code, 'ERROR');
    assert.deepEqual(await call(t, '/api/forget/127.0.0.1/23307'), {
      Code: 'OK',
      Message: 'Instance forgotten: 127.0.0.1:23307',
      Details: KEY_23307,
    });
    assert.equal(await t.backend.instances.get(k(23307)), undefined);
    assert.deepEqual(t.discovery.calls, [
      'async-discover 127.0.0.1:23501',
      'refresh 127.0.0.1:23307',
      'refresh 127.0.0.1:23309',
      'forget 127.0.0.1:23307',
    ]);
    assert.deepEqual(await auditTypes(t), ['forget', 'refresh', 'discover']);
  });
});

void test('inventory actions: forget-cluster forgets every member of the hinted cluster', async () => {
  await withApp(async (t) => {
    await t.backend.clusters.setAliasOverride('127.0.0.1:23406', 'billing');
    assert.deepEqual(await call(t, '/api/forget-cluster/billing'), {
      Code: 'OK',
      Message: 'Cluster forgotten: 127.0.0.1:23406',
      Details: null,
    });
    assert.deepEqual(await t.backend.instances.byCluster('127.0.0.1:23406'), []);
    assert.equal((await t.backend.instances.all()).length, 5);
  });
});

void test('inventory actions: downtime begins (default 10 minutes or :duration) and ends', async () => {
  await withApp(async (t) => {
    assert.deepEqual(await call(t, '/api/begin-downtime/127.0.0.1/23307/alice/upgrade'), {
      Code: 'OK',
      Message: 'Downtime begun: 127.0.0.1:23307',
      Details: KEY_23307,
    });
    const first = await t.backend.downtime.get(k(23307));
    assert.deepEqual(first && [first.owner, first.reason, first.endsAt - first.beginsAt], [
      'alice',
      'upgrade',
      600_000,
    ]);
    await call(t, '/api/begin-downtime/127.0.0.1/23307/bob/disk/4h');
    const second = await t.backend.downtime.get(k(23307));
    assert.equal(second && second.endsAt - second.beginsAt, 4 * 3_600_000);
    const instance = (await t.app.inject('/api/instance/127.0.0.1/23307')).json<CompatInstance>();
    assert.equal(instance.IsDowntimed, true);
    assert.equal(instance.DowntimeOwner, 'bob');

    assert.deepEqual(await call(t, '/api/begin-downtime/127.0.0.1/23307/bob/disk/4x', 500), {
      Code: 'ERROR',
      Message: 'Cannot parse simple time: 4x',
      Details: null,
    });
    assert.deepEqual(await call(t, '/api/end-downtime/127.0.0.1/23307'), {
      Code: 'OK',
      Message: 'Downtime ended: 127.0.0.1:23307',
      Details: KEY_23307,
    });
    assert.equal(await t.backend.downtime.get(k(23307)), undefined);
    assert.deepEqual(await auditTypes(t), ['end-downtime', 'begin-downtime', 'begin-downtime']);
    const begun = (await t.backend.audit.page())[2];
    assert.equal(begun?.message, 'owner: alice, reason: upgrade');
    assert.equal(begun?.cluster, '127.0.0.1:23306');
  });
});

void test('inventory actions: maintenance begins, is exclusive, ends by instance or key', async () => {
  await withApp(async (t) => {
    assert.deepEqual(await call(t, '/api/begin-maintenance/127.0.0.1/23307/alice/backup'), {
      Code: 'OK',
      Message: 'Maintenance begun: 127.0.0.1:23307',
      Details: KEY_23307,
    });
    const held = await call(t, '/api/begin-maintenance/127.0.0.1/23307/bob/other', 500);
    assert.match(held.Message, /already under maintenance by "alice"/);
    await call(t, '/api/end-maintenance/127.0.0.1/23307');
    assert.equal(await t.backend.maintenance.get(k(23307)), undefined);

    await call(t, '/api/begin-maintenance/127.0.0.1/23308/alice/backup');
    const [listed] = (await t.app.inject('/api/maintenance')).json<{ MaintenanceId: number }[]>();
    const id = listed?.MaintenanceId ?? 0;
    assert.ok(Number.isSafeInteger(id) && id > 0);
    assert.deepEqual(await call(t, `/api/end-maintenance/${id}`), {
      Code: 'OK',
      Message: `Maintenance ended: ${id}`,
      Details: id,
    });
    assert.equal(await t.backend.maintenance.get(k(23308)), undefined);
    assert.equal((await call(t, `/api/end-maintenance/${id}`)).Code, 'OK');
    assert.deepEqual(await call(t, '/api/end-maintenance/abc', 500), {
      Code: 'ERROR',
      Message: 'strconv.ParseInt: parsing "abc": invalid syntax',
      Details: null,
    });
    assert.deepEqual(await auditTypes(t), [
      'end-maintenance',
      'begin-maintenance',
      'end-maintenance',
      'begin-maintenance',
    ]);
  });
});

void test('inventory actions: register-candidate stores the rule and IsCandidate shows it', async () => {
  await withApp(async (t) => {
    assert.deepEqual(await call(t, '/api/register-candidate/127.0.0.1/23307/prefer'), {
      Code: 'OK',
      Message: 'Registered candidate',
      Details: KEY_23307,
    });
    const instance = (await t.app.inject('/api/instance/127.0.0.1/23307')).json<CompatInstance>();
    assert.equal(instance.PromotionRule, 'prefer');
    assert.equal(instance.IsCandidate, true);
    assert.deepEqual(await call(t, '/api/register-candidate/127.0.0.1/23307/best', 500), {
      Code: 'ERROR',
      Message: 'Invalid CandidatePromotionRule: best',
      Details: null,
    });
  });
});

void test('inventory actions: set-cluster-alias overrides the alias; empty removes it', async () => {
  await withApp(async (t) => {
    assert.deepEqual(await call(t, '/api/set-cluster-alias/127.0.0.1:23306?alias=shop'), {
      Code: 'OK',
      Message: "Cluster 127.0.0.1:23306 now has alias 'shop'",
      Details: null,
    });
    const info = (await t.app.inject('/api/cluster-info/shop')).json<{ ClusterAlias: string }>();
    assert.equal(info.ClusterAlias, 'shop');
    await call(t, '/api/set-cluster-alias/shop?alias=');
    const alias = await t.backend.clusters.aliasOf('127.0.0.1:23306');
    assert.equal(alias.source, 'name');
  });
});

void test('inventory actions: under ReadOnly every change is 500 Unauthorized, reads pass', async () => {
  await withApp(
    async (t) => {
      const changes = [
        '/api/discover/127.0.0.1/23307',
        '/api/async-discover/127.0.0.1/23307',
        '/api/refresh/127.0.0.1/23307',
        '/api/forget/127.0.0.1/23307',
        '/api/forget-cluster/127.0.0.1:23306',
        '/api/begin-downtime/127.0.0.1/23307/a/b',
        '/api/begin-downtime/127.0.0.1/23307/a/b/1h',
        '/api/end-downtime/127.0.0.1/23307',
        '/api/begin-maintenance/127.0.0.1/23307/a/b',
        '/api/end-maintenance/127.0.0.1/23307',
        '/api/end-maintenance/1',
        '/api/register-candidate/127.0.0.1/23307/prefer',
        '/api/set-cluster-alias/127.0.0.1:23306?alias=x',
        '/api/tag/127.0.0.1/23307/a/b',
        '/api/tag/127.0.0.1/23307?tag=a%3Db',
        '/api/untag/127.0.0.1/23307/a',
        '/api/untag-all/a/b',
      ];
      for (const url of changes) {
        assert.deepEqual(
          await call(t, url, 500),
          { Code: 'ERROR', Message: 'Unauthorized', Details: null },
          url,
        );
      }
      assert.equal((await t.backend.instances.all()).length, 8);
      assert.deepEqual(t.discovery.calls, []);
      assert.deepEqual(await t.backend.audit.page(), []);
      assert.equal((await t.app.inject('/api/instance/127.0.0.1/23307')).statusCode, 200);
    },
    { app: { auth: { method: '', readOnly: true } } },
  );
});

void test('inventory actions: a node that does not lead refuses changes too', async () => {
  await withApp(async (t) => {
    t.leadership.leader = false;
    assert.deepEqual(await call(t, '/api/begin-downtime/127.0.0.1/23307/a/b', 500), {
      Code: 'ERROR',
      Message: 'Unauthorized',
      Details: null,
    });
    assert.equal((await t.app.inject('/api/clusters')).statusCode, 200);
  });
});

void test('inventory actions: a HEAD request never runs a mutating GET route', async () => {
  await withApp(async (t) => {
    await t.backend.instances.upsertInstances([server(23307)]);
    const res = await t.app.inject({ method: 'HEAD', url: '/api/forget/127.0.0.1/23307' });
    assert.equal(res.statusCode, 404);
    assert.ok(await t.backend.instances.get(k(23307)), 'the instance is still known');
  });
});
