import type { TestContext } from 'node:test';
import { ManualClock, type Clock } from '../../common/clock.js';
import type { Backend, BackendOpenOptions } from '../backend.js';
import type { SqlDriver, SqlRow } from '../sql.js';
import * as schema from '../schema.js';
import { T0 } from './fixtures.js';

/**
 * The seam between the shared contract tests and a dialect: each test gets a fresh, empty
 * store (a temp file, or a new MySQL database) and may open several backends on it (several
 * orc nodes sharing one store).
 */
export interface StoreUnderTest {
  open(options: BackendOpenOptions): Promise<Backend>;
  /** A raw driver on the same store, for checking tables directly. */
  driver(): Promise<SqlDriver>;
  /** Closes what `open` and `driver` returned and removes the store. */
  dispose(): Promise<void>;
}

export interface BackendFactory {
  /** Shown in test names: `backend (sqlite): …`. */
  readonly name: string;
  newStore(): Promise<StoreUnderTest>;
}

/** One contract test: its name (after `backend (<dialect>): `) and its body. */
export type ContractCase = readonly [
  string,
  (t: TestContext, factory: BackendFactory) => Promise<void>,
];

export interface Fixture {
  readonly backend: Backend;
  readonly clock: ManualClock;
  readonly store: StoreUnderTest;
}

/** A fresh, empty store (no backend opened yet); removed after `t`. */
export async function freshStore(t: TestContext, factory: BackendFactory): Promise<StoreUnderTest> {
  const store = await factory.newStore();
  t.after(() => store.dispose());
  return store;
}

/** A fresh store with one migrated backend on a ManualClock at T0; cleaned up after `t`. */
export async function setup(t: TestContext, factory: BackendFactory): Promise<Fixture> {
  const store = await freshStore(t, factory);
  const clock = new ManualClock(T0);
  const backend = await store.open({ clock });
  return { backend, clock, store };
}

/** Opens another backend ("node") on the same store with its own clock. */
export function openNode(store: StoreUnderTest, clock: Clock): Promise<Backend> {
  return store.open({ clock });
}

const TABLES = Object.values(schema);

/**
 * Every row of every orc table, as plain JSON-comparable values in primary-key order: two
 * dumps are equal exactly when the stores hold the same data.
 */
export async function dumpTables(driver: SqlDriver): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows = await driver.all(
      `SELECT * FROM ${table.name} ORDER BY ${table.primaryKey.join(', ')}`,
    );
    out[table.name] = rows.map(plain);
  }
  return out;
}

function plain(row: SqlRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
  return out;
}
