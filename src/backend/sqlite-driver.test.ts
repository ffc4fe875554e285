import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { OrcError } from '../common/errors.js';
import { BackendCode } from './errors.js';
import { SqliteDriver } from './sqlite-driver.js';

async function driverIn(t: TestContext): Promise<SqliteDriver> {
  const dir = await mkdtemp(join(tmpdir(), 'orc-sqlite-driver-'));
  const driver = SqliteDriver.open({ path: join(dir, 'deeper', 'orc.db') });
  t.after(async () => {
    await driver.close();
    await rm(dir, { recursive: true, force: true });
  });
  await driver.run('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) STRICT');
  return driver;
}

const count = async (d: SqliteDriver): Promise<unknown> =>
  (await d.all('SELECT COUNT(*) AS n FROM t'))[0]?.['n'];

void test('sqlite driver: opens in WAL mode with synchronous NORMAL', async (t) => {
  const d = await driverIn(t);
  assert.deepEqual(await d.all('PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
  assert.deepEqual(await d.all('PRAGMA synchronous'), [{ synchronous: 1 }]);
});

void test('sqlite driver: a durable transaction commits with synchronous FULL', async (t) => {
  const d = await driverIn(t);
  const inside = await d.transaction((tx) => tx.all('PRAGMA synchronous'), 'durable');
  assert.deepEqual(inside, [{ synchronous: 2 }]);
  assert.deepEqual(await d.all('PRAGMA synchronous'), [{ synchronous: 1 }]);
});

void test('sqlite driver: a statement issued during a transaction waits for it', async (t) => {
  const d = await driverIn(t);
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const tx = d.transaction(async (tx) => {
    await tx.run("INSERT INTO t (id, v) VALUES (1, 'in tx')");
    await gate;
    throw new OrcError('TEST_ABORT', 'abort on purpose');
  });
  const outside = d.run("INSERT INTO t (id, v) VALUES (2, 'outside')");
  release();
  await assert.rejects(tx, { code: 'TEST_ABORT' });
  await outside;
  assert.deepEqual(await d.all('SELECT id, v FROM t'), [{ id: 2, v: 'outside' }]);
});

void test('sqlite driver: a failed statement rolls the whole transaction back', async (t) => {
  const d = await driverIn(t);
  await assert.rejects(
    d.transaction(async (tx) => {
      await tx.run("INSERT INTO t (id, v) VALUES (1, 'a')");
      await tx.run("INSERT INTO t (id, v) VALUES (1, 'duplicate')");
    }),
    (err: unknown) => {
      assert.equal((err as OrcError).code, BackendCode.QueryFailed);
      assert.match((err as Error).message, /UNIQUE constraint failed.*INSERT INTO t/);
      return true;
    },
  );
  assert.equal(await count(d), 0);
});

void test('sqlite driver: an executor outlives its transaction only to fail', async (t) => {
  const d = await driverIn(t);
  const leaked = await d.transaction((tx) => Promise.resolve(tx));
  assert.throws(() => leaked.run('SELECT 1'), /after its transaction ended/);
});

void test('sqlite driver: use after close and unopenable paths are typed errors', async (t) => {
  const d = await driverIn(t);
  await d.close();
  await d.close();
  await assert.rejects(d.all('SELECT 1'), { code: BackendCode.Closed });
  assert.throws(() => SqliteDriver.open({ path: '/dev/null/orc/orc.db' }), {
    code: BackendCode.OpenFailed,
  });
});
