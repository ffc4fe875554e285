import { test } from 'node:test';
import assert from 'node:assert/strict';
import { server } from '../analysis/fixtures.js';
import { instanceKey } from '../topology/index.js';
import { inventoryTestApp, type InventoryTestApp } from './routes/inventory-testing.js';

type Options = Parameters<typeof inventoryTestApp>[0];
type Json = Record<string, unknown>;

async function withApp(fn: (t: InventoryTestApp) => Promise<void>, options?: Options) {
  const t = await inventoryTestApp(options);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

async function send<T = Json>(
  t: InventoryTestApp,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  options: { body?: object; status?: number } = {},
): Promise<T> {
  t.clock.advance(10);
  const res = await t.app.inject({
    method,
    url,
    ...(options.body === undefined ? {} : { payload: options.body }),
  });
  assert.equal(res.statusCode, options.status ?? 200, `${method} ${url}: ${res.body}`);
  return res.json<T>();
}

const k = (port: number) => instanceKey('127.0.0.1', port);
const errorCode = (body: Json) => (body['error'] as { code: string }).code;

void test('v2 inventory: clusters, one cluster with instances, alias and domain', async () => {
  await withApp(async (t) => {
    await t.backend.clusters.setAliasOverride('127.0.0.1:23306', 'shop');
    await t.backend.clusters.setDomain('127.0.0.1:23306', 'shop.example.com');
    const list = await send<{ clusters: Json[] }>(t, 'GET', '/api/v2/clusters');
    assert.deepEqual(list.clusters[0], {
      name: '127.0.0.1:23306',
      alias: 'shop',
      domain: 'shop.example.com',
      instanceCount: 5,
      heuristicLagSeconds: 60,
      automatedPrimaryRecovery: false,
      automatedIntermediatePrimaryRecovery: false,
    });
    for (const hint of ['shop', '127.0.0.1:23306', '127.0.0.1:23309']) {
      const c = await send<{ name: string; instances: { key: string }[] }>(
        t,
        'GET',
        `/api/v2/clusters/${encodeURIComponent(hint)}`,
      );
      assert.equal(c.name, '127.0.0.1:23306', hint);
      assert.equal(c.instances.length, 5, hint);
    }
    const missing = await send(t, 'GET', '/api/v2/clusters/nosuch', { status: 404 });
    assert.equal(errorCode(missing), 'CLUSTER_NOT_FOUND');
  });
});

void test('v2 inventory: topology is a tree, co-primaries as two roots', async () => {
  await withApp(async (t) => {
    type Node = { key: string; status: string; replicas: Node[] };
    const tree = await send<{ roots: Node[] }>(
      t,
      'GET',
      '/api/v2/clusters/127.0.0.1:23306/topology',
    );
    const shape = (n: Node): unknown => [n.key, n.status, n.replicas.map(shape)];
    assert.deepEqual(tree.roots.map(shape), [
      [
        '127.0.0.1:23306',
        'ok',
        [
          ['127.0.0.1:23307', 'ok', [['127.0.0.1:23309', 'nonreplicating', []]]],
          ['127.0.0.1:23308', 'lag', []],
          ['127.0.0.1:23310', 'invalid', []],
        ],
      ],
    ]);
    const co = await send<{ roots: Node[] }>(t, 'GET', '/api/v2/clusters/127.0.0.1:23407/topology');
    assert.deepEqual(co.roots.map(shape), [
      ['127.0.0.1:23406', 'ok', [['127.0.0.1:23408', 'ok', []]]],
      ['127.0.0.1:23407', 'ok', []],
    ]);
  });
});

void test('v2 inventory: instances, search and one instance; 400 and 404', async () => {
  await withApp(async (t) => {
    const all = await send<{ instances: { key: string }[] }>(t, 'GET', '/api/v2/instances');
    assert.equal(all.instances.length, 8);
    const found = await send<{ instances: { key: string }[] }>(
      t,
      'GET',
      '/api/v2/instances?search=r1',
    );
    assert.deepEqual(
      found.instances.map((i) => i.key),
      ['127.0.0.1:23307'],
    );
    const one = await send(t, 'GET', '/api/v2/instances/127.0.0.1:23307');
    assert.equal(one['alias'], 'r1');
    assert.deepEqual(
      one['replication'] && (one['replication'] as Json)['source'],
      '127.0.0.1:23306',
    );
    assert.deepEqual(one['cluster'], {
      name: '127.0.0.1:23306',
      alias: '127.0.0.1:23306',
      domain: null,
      depth: 1,
    });
    const bad = await send(t, 'GET', '/api/v2/instances/127.0.0.1:99999', { status: 400 });
    assert.equal(errorCode(bad), 'INVALID_ARGUMENT');
    const unknown = await send(t, 'GET', '/api/v2/instances/127.0.0.1:1', { status: 404 });
    assert.equal(errorCode(unknown), 'INSTANCE_NOT_FOUND');
  });
});

void test('v2 inventory: discover, refresh and forget', async () => {
  await withApp(async (t) => {
    t.discovery.servers.set('127.0.0.1:23500', server(23500));
    const probed = await send(t, 'POST', '/api/v2/instances/127.0.0.1:23500/discover');
    assert.equal(probed['key'], '127.0.0.1:23500');
    const unreachable = await send(t, 'POST', '/api/v2/instances/127.0.0.1:23501/discover', {
      status: 500,
    });
    assert.equal(errorCode(unreachable), 'INSTANCE_UNREACHABLE');
    await send(t, 'POST', '/api/v2/instances/127.0.0.1:23500/refresh');
    await send(t, 'POST', '/api/v2/instances/127.0.0.1:1/refresh', { status: 404 });
    assert.deepEqual(await send(t, 'DELETE', '/api/v2/instances/127.0.0.1:23500'), {
      instance: '127.0.0.1:23500',
      forgotten: true,
    });
    await send(t, 'DELETE', '/api/v2/instances/127.0.0.1:23500', { status: 404 });
    assert.deepEqual(t.discovery.calls, [
      'discover 127.0.0.1:23500',
      'discover 127.0.0.1:23501',
      'refresh 127.0.0.1:23500',
      'forget 127.0.0.1:23500',
    ]);
  });
});

void test('v2 inventory: downtime and maintenance, with 409 when the lock is held', async () => {
  await withApp(async (t) => {
    const url = '/api/v2/instances/127.0.0.1:23307';
    const body = { owner: 'alice', reason: 'upgrade', duration: '2h' };
    const begun = await send<{ downtime: Json }>(t, 'PUT', `${url}/downtime`, { body });
    assert.equal(begun.downtime['owner'], 'alice');
    const d = await t.backend.downtime.get(k(23307));
    assert.equal(d && d.endsAt - d.beginsAt, 7_200_000);
    const shown = await send(t, 'GET', url);
    assert.equal((shown['downtime'] as Json)['reason'], 'upgrade');
    const bad = await send(t, 'PUT', `${url}/downtime`, {
      body: { ...body, duration: 'soon' },
      status: 400,
    });
    assert.equal(errorCode(bad), 'INVALID_ARGUMENT');
    const noOwner = await send(t, 'PUT', `${url}/downtime`, {
      body: { reason: 'x' },
      status: 400,
    });
    assert.equal(errorCode(noOwner), 'VALIDATION_FAILED');
    assert.deepEqual(await send(t, 'DELETE', `${url}/downtime`), {
      instance: '127.0.0.1:23307',
      ended: true,
    });

    const lock = await send<{ maintenance: Json }>(t, 'PUT', `${url}/maintenance`, { body });
    assert.equal(lock.maintenance['node'], 'orc-test');
    const held = await send(t, 'PUT', `${url}/maintenance`, {
      body: { owner: 'bob', reason: 'other' },
      status: 409,
    });
    assert.equal(errorCode(held), 'INSTANCE_IN_MAINTENANCE');
    assert.deepEqual(await send(t, 'DELETE', `${url}/maintenance`), {
      instance: '127.0.0.1:23307',
      ended: true,
    });
    const unknown = await send(t, 'PUT', '/api/v2/instances/127.0.0.1:1/downtime', {
      body,
      status: 404,
    });
    assert.equal(errorCode(unknown), 'INSTANCE_NOT_FOUND');
    const actions = (await t.backend.audit.page()).map((a) => a.action);
    assert.deepEqual(actions, [
      'end-maintenance',
      'begin-maintenance',
      'end-downtime',
      'begin-downtime',
    ]);
  });
});

void test('v2 inventory: promotion rule, tags and cluster alias', async () => {
  await withApp(async (t) => {
    const url = '/api/v2/instances/127.0.0.1:23307';
    const rule = await send(t, 'PUT', `${url}/promotion-rule`, {
      body: { promotionRule: 'prefer_not' },
    });
    assert.deepEqual(rule, { instance: '127.0.0.1:23307', promotionRule: 'prefer_not' });
    assert.equal((await send(t, 'GET', url))['promotionRule'], 'prefer_not');
    await send(t, 'PUT', `${url}/promotion-rule`, { body: { promotionRule: 'best' }, status: 400 });

    const tagged = await send(t, 'PUT', `${url}/tags/role`, { body: { value: 'backup' } });
    assert.deepEqual(tagged, {
      instance: '127.0.0.1:23307',
      tags: [{ name: 'role', value: 'backup' }],
    });
    assert.deepEqual(await send(t, 'GET', `${url}/tags`), tagged);
    const untagged = await send(t, 'DELETE', `${url}/tags/role`);
    assert.deepEqual(untagged, { instance: '127.0.0.1:23307', tags: [] });

    const alias = await send(t, 'PUT', '/api/v2/clusters/127.0.0.1:23306/alias', {
      body: { alias: 'shop' },
    });
    assert.deepEqual(alias, { cluster: '127.0.0.1:23306', alias: 'shop' });
    const cleared = await send(t, 'PUT', '/api/v2/clusters/shop/alias', { body: { alias: '' } });
    assert.deepEqual(cleared, { cluster: '127.0.0.1:23306', alias: '127.0.0.1:23306' });
  });
});

void test('v2 inventory: changes are 403 READ_ONLY under ReadOnly; reads pass', async () => {
  await withApp(
    async (t) => {
      const url = '/api/v2/instances/127.0.0.1:23307';
      const refused: ['POST' | 'PUT' | 'DELETE', string, object?][] = [
        ['POST', `${url}/discover`],
        ['POST', `${url}/refresh`],
        ['DELETE', url],
        ['PUT', `${url}/downtime`, { owner: 'a', reason: 'b' }],
        ['DELETE', `${url}/downtime`],
        ['PUT', `${url}/maintenance`, { owner: 'a', reason: 'b' }],
        ['DELETE', `${url}/maintenance`],
        ['PUT', `${url}/promotion-rule`, { promotionRule: 'prefer' }],
        ['PUT', `${url}/tags/a`, { value: 'b' }],
        ['DELETE', `${url}/tags/a`],
        ['PUT', '/api/v2/clusters/127.0.0.1:23306/alias', { alias: 'x' }],
      ];
      for (const [method, path, body] of refused) {
        const res = await send(t, method, path, { status: 403, ...(body ? { body } : {}) });
        assert.equal(errorCode(res), 'READ_ONLY', `${method} ${path}`);
      }
      await send(t, 'GET', url);
      assert.deepEqual(await t.backend.audit.page(), []);
    },
    { app: { auth: { method: '', readOnly: true } } },
  );
});

void test('v2 inventory: the OpenAPI document lists the inventory paths', async () => {
  await withApp(async (t) => {
    const doc = await send<{ paths: Record<string, Record<string, unknown>> }>(
      t,
      'GET',
      '/api/v2/openapi.json',
    );
    const expected: [string, string][] = [
      ['/api/v2/clusters', 'get'],
      ['/api/v2/clusters/{cluster}', 'get'],
      ['/api/v2/clusters/{cluster}/topology', 'get'],
      ['/api/v2/clusters/{cluster}/alias', 'put'],
      ['/api/v2/instances', 'get'],
      ['/api/v2/instances/{instance}', 'get'],
      ['/api/v2/instances/{instance}', 'delete'],
      ['/api/v2/instances/{instance}/discover', 'post'],
      ['/api/v2/instances/{instance}/refresh', 'post'],
      ['/api/v2/instances/{instance}/downtime', 'put'],
      ['/api/v2/instances/{instance}/downtime', 'delete'],
      ['/api/v2/instances/{instance}/maintenance', 'put'],
      ['/api/v2/instances/{instance}/maintenance', 'delete'],
      ['/api/v2/instances/{instance}/promotion-rule', 'put'],
      ['/api/v2/instances/{instance}/tags/{name}', 'put'],
      ['/api/v2/instances/{instance}/tags/{name}', 'delete'],
    ];
    for (const [path, method] of expected) {
      assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
    }
    assert.equal(
      Object.keys(doc.paths).some((p) => !p.startsWith('/api/v2')),
      false,
    );
  });
});
