import assert from 'node:assert/strict';
import { ManualClock } from '../../common/clock.js';
import { BackendCode } from '../errors.js';
import { MIGRATIONS, type Migration } from '../migrations.js';
import * as schema from '../schema.js';
import { col, index } from '../table-spec.js';
import { primary, T0 } from './fixtures.js';
import { freshStore, setup, type ContractCase, type StoreUnderTest } from './harness.js';

const LATEST = MIGRATIONS.length;

/** A migration from a future orc, exercising the addColumn and addIndex steps. */
const future: Migration = {
  version: LATEST + 1,
  name: 'test: kv notes',
  steps: [
    { kind: 'addColumn', table: 'kv_store', column: col.string('note', { nullable: true }) },
    { kind: 'addColumn', table: 'kv_store', column: col.int('hits', { default: 0 }) },
    { kind: 'addIndex', table: 'kv_store', index: index('kv_store', 'updated_at') },
  ],
};

async function tablesPresent(store: StoreUnderTest): Promise<string[]> {
  const driver = await store.driver();
  const present: string[] = [];
  for (const table of Object.values(schema)) {
    if (await driver.dialect.hasTable(driver, table.name)) present.push(table.name);
  }
  return present.sort();
}

const clock = new ManualClock(T0);

export const migrationCases: readonly ContractCase[] = [
  [
    'migrations create every table on a fresh store and nothing on reopening',
    async (t, factory) => {
      const { backend, store } = await setup(t, factory);
      assert.deepEqual(backend.migration, {
        from: 0,
        to: LATEST,
        applied: MIGRATIONS.map((m) => m.version),
      });
      assert.equal(await backend.schemaVersion(), LATEST);
      const all = Object.values(schema).map((s) => s.name);
      assert.deepEqual(await tablesPresent(store), all.sort());

      await backend.kv.put('k', 'v');
      const again = await store.open({ clock });
      assert.deepEqual(again.migration, { from: LATEST, to: LATEST, applied: [] });
      assert.equal((await again.kv.get('k'))?.value, 'v');
    },
  ],

  [
    'migrations two nodes opening a fresh store at once migrate it once',
    async (t, factory) => {
      const store = await freshStore(t, factory);
      const [a, b] = await Promise.all([store.open({ clock }), store.open({ clock })]);
      const applied = [...a.migration.applied, ...b.migration.applied].sort();
      assert.deepEqual(
        applied,
        MIGRATIONS.map((m) => m.version),
      );
      assert.equal(await a.schemaVersion(), LATEST);
      assert.equal(await b.schemaVersion(), LATEST);
    },
  ],

  [
    'migrations upgrade a version-1 store to the latest, keeping its rows',
    async (t, factory) => {
      const store = await freshStore(t, factory);
      const v1 = await store.open({ clock, targetVersion: 1 });
      assert.equal(await v1.schemaVersion(), 1);
      assert.ok(!(await tablesPresent(store)).includes('kv_store'));
      await v1.instances.upsertInstances([primary(3306)]);

      const latest = await store.open({ clock });
      assert.deepEqual(latest.migration, {
        from: 1,
        to: LATEST,
        applied: MIGRATIONS.slice(1).map((m) => m.version),
      });
      assert.deepStrictEqual(await latest.instances.get(primary(3306).key), primary(3306));
    },
  ],

  [
    'migrations refuse a store migrated by a newer orc, leaving it untouched',
    async (t, factory) => {
      const store = await freshStore(t, factory);
      const newer = await store.open({ clock, migrations: [...MIGRATIONS, future] });
      assert.equal(await newer.schemaVersion(), LATEST + 1);
      await newer.kv.put('k', 'v');

      await assert.rejects(store.open({ clock }), (err: unknown) => {
        assert.equal((err as { code?: string }).code, BackendCode.SchemaTooNew);
        assert.match(String(err), new RegExp(`version ${LATEST + 1}.*up to ${LATEST}`));
        return true;
      });
      assert.equal(await newer.schemaVersion(), LATEST + 1);
      assert.equal((await newer.kv.get('k'))?.value, 'v');
    },
  ],

  [
    'migrations re-run every step of an interrupted migration without error',
    async (t, factory) => {
      const store = await freshStore(t, factory);
      await store.open({ clock, migrations: [...MIGRATIONS, future] });
      const driver = await store.driver();
      // As if each migration's steps ran but its version row was never written.
      await driver.run('DELETE FROM orc_schema_version WHERE version >= 2');

      const rerun = await store.open({ clock, migrations: [...MIGRATIONS, future] });
      assert.deepEqual(
        rerun.migration.applied,
        [...MIGRATIONS.slice(1), future].map((m) => m.version),
      );
      assert.ok(await driver.dialect.hasColumn(driver, 'kv_store', 'note'));
      assert.ok(await driver.dialect.hasIndex(driver, 'kv_store', 'kv_store_updated_at_idx'));
      await rerun.kv.put('k', 'v');
    },
  ],

  [
    'migrations with migrate: false, refuse an old schema instead of changing it',
    async (t, factory) => {
      const store = await freshStore(t, factory);
      await store.open({ clock, targetVersion: 2 });
      await assert.rejects(store.open({ clock, migrate: false }), {
        code: BackendCode.SchemaTooOld,
      });
      const checked = await store.open({ clock, migrate: false, targetVersion: 2 });
      assert.equal(await checked.schemaVersion(), 2);
    },
  ],
];
