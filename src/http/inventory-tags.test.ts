import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instanceKey } from '../topology/index.js';
import { inventoryTestApp, type InventoryTestApp } from './routes/inventory-testing.js';

async function withApp(fn: (t: InventoryTestApp) => Promise<void>) {
  const t = await inventoryTestApp();
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

async function json<T = unknown>(t: InventoryTestApp, url: string, status = 200): Promise<T> {
  t.clock.advance(10);
  const res = await t.app.inject(url);
  assert.equal(res.statusCode, status, `${url}: ${res.body}`);
  return res.json<T>();
}

const k = (port: number) => instanceKey('127.0.0.1', port);
const key = (port: number) => ({ Hostname: '127.0.0.1', Port: port });

void test('inventory tags: tag by path or ?tag=, list, read one value', async () => {
  await withApp(async (t) => {
    assert.deepEqual(await json(t, '/api/tag/127.0.0.1/23307/role/backup'), {
      Code: 'OK',
      Message: '127.0.0.1:23307 tagged with role=backup',
      Details: key(23307),
    });
    await json(t, '/api/tag/127.0.0.1/23307?tag=dc%3Deast');
    await json(t, '/api/tag/127.0.0.1/23307?tag=flag');
    assert.deepEqual(await json(t, '/api/tags/127.0.0.1/23307'), [
      'dc=east',
      'flag=',
      'role=backup',
    ]);
    assert.equal(await json(t, '/api/tag-value/127.0.0.1/23307/role'), 'backup');
    assert.equal(await json(t, '/api/tag-value/127.0.0.1/23307?tag=dc'), 'east');
    assert.deepEqual(await json(t, '/api/tag-value/127.0.0.1/23307/nosuch', 500), {
      Code: 'ERROR',
      Message: 'tag nosuch not found for 127.0.0.1:23307',
      Details: null,
    });
    assert.deepEqual(await json(t, '/api/tags/127.0.0.1/23308'), []);
    const audit = await t.backend.audit.page();
    assert.deepEqual(
      audit.map((a) => [a.action, a.message]),
      [
        ['put-instance-tag', 'flag='],
        ['put-instance-tag', 'dc=east'],
        ['put-instance-tag', 'role=backup'],
      ],
    );
  });
});

void test('inventory tags: untag one instance, untag-all needs a value', async () => {
  await withApp(async (t) => {
    for (const port of [23307, 23308]) {
      await t.backend.tags.put(k(port), { name: 'role', value: 'backup' });
    }
    await t.backend.tags.put(k(23309), { name: 'role', value: 'reporting' });
    assert.deepEqual(await json(t, '/api/untag/127.0.0.1/23307/role'), {
      Code: 'OK',
      Message: 'role removed from 1 instances',
      Details: [key(23307)],
    });
    assert.deepEqual(await json(t, '/api/untag/127.0.0.1/23309?tag=role%3Dbackup'), {
      Code: 'OK',
      Message: 'role removed from 0 instances',
      Details: [],
    });
    assert.deepEqual(await json(t, '/api/untag-all/role/backup'), {
      Code: 'OK',
      Message: 'role removed from 1 instances',
      Details: [key(23308)],
    });
    const refused = await json<{ Message: string }>(t, '/api/untag-all?tag=role', 500);
    assert.match(refused.Message, /^Untag: either indicate an instance or a tag value/);
    assert.deepEqual(await t.backend.tags.find('role'), [k(23309)]);
  });
});

void test('inventory tags: tagged selects by expression, in key order', async () => {
  await withApp(async (t) => {
    const tags: [number, string, string][] = [
      [23307, 'role', 'backup'],
      [23307, 'dc', 'east'],
      [23308, 'role', 'reporting'],
      [23308, 'dc', 'east'],
      [23309, 'dc', 'west'],
      [23309, 'role', ''],
    ];
    for (const [port, name, value] of tags) await t.backend.tags.put(k(port), { name, value });
    const cases: [string, number[]][] = [
      ['role', [23307, 23308, 23309]],
      ['role%3Dbackup', [23307]],
      ['role%3D', [23309]],
      ['~role%3Dbackup', [23308, 23309]],
      ['dc%3Deast,~role%3Dbackup', [23308]],
      ['!role', [23306, 23310, 23406, 23407, 23408]],
      ['nosuch', []],
    ];
    for (const [expression, ports] of cases) {
      assert.deepEqual(await json(t, `/api/tagged?tag=${expression}`), ports.map(key), expression);
    }
    const bad = await json<{ Code: string; Message: string }>(t, '/api/tagged', 500);
    assert.deepEqual(bad, { Code: 'ERROR', Message: 'Unable to parse tag: ', Details: null });
  });
});
