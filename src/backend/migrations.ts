import type { Clock } from '../common/clock.js';
import { BackendCode, BackendError } from './errors.js';
import * as t from './schema.js';
import { num, type SqlDriver, type SqlExecutor } from './sql.js';
import { col, type ColumnSpec, type IndexSpec, type TableSpec } from './table-spec.js';

/** One change to the schema. Each kind is idempotent: re-running a step changes nothing. */
export type MigrationStep =
  | { readonly kind: 'createTable'; readonly table: TableSpec }
  | { readonly kind: 'addColumn'; readonly table: string; readonly column: ColumnSpec }
  | { readonly kind: 'addIndex'; readonly table: string; readonly index: IndexSpec };

/** A numbered set of steps. Numbers start at 1 and increase by one; released ones never change. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly steps: readonly MigrationStep[];
}

const create = (table: TableSpec): MigrationStep => ({ kind: 'createTable', table });

/** orc's migrations, oldest first. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'instances', steps: [create(t.instancesTable)] },
  {
    version: 2,
    name: 'instance metadata',
    steps: [t.downtimeTable, t.maintenanceTable, t.candidatesTable, t.tagsTable].map(create),
  },
  {
    version: 3,
    name: 'cluster and host names',
    steps: [
      t.clusterAliasTable,
      t.clusterAliasOverrideTable,
      t.clusterDomainTable,
      t.hostnameResolveTable,
      t.hostnameUnresolveTable,
    ].map(create),
  },
  {
    version: 4,
    name: 'coordination',
    steps: [
      t.auditTable,
      t.kvTable,
      t.nodeHealthTable,
      t.activeNodeTable,
      t.globalRecoveryDisableTable,
      t.lastAnalysisTable,
      t.analysisChangelogTable,
    ].map(create),
  },
  { version: 5, name: 'instance aliases', steps: [create(t.instanceAliasesTable)] },
];

/** The version table itself; created before anything else, never migrated. */
const versionTable: TableSpec = {
  name: 'orc_schema_version',
  columns: [col.int('version'), col.string('name'), col.bigint('applied_at')],
  primaryKey: ['version'],
};

export interface MigrateOptions {
  clock: Clock;
  /** Default: MIGRATIONS. Tests pass their own lists. */
  migrations?: readonly Migration[];
  /** Stop after this version (default: the last one); for upgrade tests. */
  target?: number;
  /** When false, only check the version: BACKEND_SCHEMA_TOO_OLD if migrations are pending. */
  apply?: boolean;
}

/** What `migrate` found and did. */
export interface MigrateResult {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

/** The highest applied version, 0 for an empty store. */
export async function schemaVersion(exec: SqlExecutor): Promise<number> {
  const rows = await exec.all('SELECT MAX(version) AS v FROM orc_schema_version');
  const v = rows[0]?.['v'];
  return v === null || v === undefined ? 0 : num(v);
}

/**
 * Brings the store to the latest (or `target`) version, under the store's schema lock so
 * that concurrent orc processes migrate once. On SQLite each migration commits whole or not
 * at all. MySQL commits DDL statement by statement, so a migration interrupted there is
 * finished by the next run: every step checks whether it is already done.
 *
 * Throws BACKEND_SCHEMA_TOO_NEW, changing nothing, when the store was migrated beyond the
 * versions this code knows (a newer orc wrote it); BACKEND_MIGRATION_FAILED with the cause
 * when a step fails.
 */
export async function migrate(driver: SqlDriver, options: MigrateOptions): Promise<MigrateResult> {
  const migrations = options.migrations ?? MIGRATIONS;
  checkNumbering(migrations);
  const latest = migrations.length;
  const target = Math.min(options.target ?? latest, latest);

  return driver.withSchemaLock(async (exec) => {
    for (const sql of driver.dialect.createTable(versionTable)) await exec.run(sql);
    const from = await schemaVersion(exec);
    if (from > latest) {
      throw new BackendError(
        BackendCode.SchemaTooNew,
        `cannot use the backend at schema version ${from}: this orc knows versions up to ` +
          `${latest}; upgrade orc (the store was left untouched)`,
        { context: { found: from, known: latest } },
      );
    }
    const pending = migrations.filter((m) => m.version > from && m.version <= target);
    if (pending.length > 0 && options.apply === false) {
      throw new BackendError(
        BackendCode.SchemaTooOld,
        `backend schema is at version ${from}, this orc needs ${target}: ` +
          'allow migrations (skipDatabaseUpdate: false) or migrate with a newer orc',
        { context: { found: from, needed: target } },
      );
    }
    const applied: number[] = [];
    for (const m of pending) {
      if (await applyOne(driver, exec, m, options.clock)) applied.push(m.version);
    }
    return { from, to: Math.max(from, ...applied), applied };
  });
}

function checkNumbering(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration "${m.name}" is numbered ${m.version}, expected ${i + 1}`);
    }
  });
}

/** Applies `m` unless another process did meanwhile; returns whether this call applied it. */
async function applyOne(
  driver: SqlDriver,
  exec: SqlExecutor,
  m: Migration,
  clock: Clock,
): Promise<boolean> {
  const body = async (tx: SqlExecutor): Promise<boolean> => {
    if ((await schemaVersion(tx)) >= m.version) return false;
    for (const [i, step] of m.steps.entries()) await applyStep(driver, tx, m, i, step);
    const row = [m.version, m.name, clock.now()];
    const insert = driver.dialect.upsert({
      table: versionTable.name,
      columns: ['version', 'name', 'applied_at'],
      key: ['version'],
      update: [],
      rows: [row],
    });
    await tx.run(insert.sql, insert.params);
    return true;
  };
  return driver.dialect.transactionalDdl ? driver.transaction(body, 'durable') : body(exec);
}

async function applyStep(
  driver: SqlDriver,
  exec: SqlExecutor,
  m: Migration,
  i: number,
  step: MigrationStep,
): Promise<void> {
  const d = driver.dialect;
  try {
    switch (step.kind) {
      case 'createTable':
        for (const sql of d.createTable(step.table)) await exec.run(sql);
        return;
      case 'addColumn':
        if (await d.hasColumn(exec, step.table, step.column.name)) return;
        await exec.run(d.addColumn(step.table, step.column));
        return;
      case 'addIndex':
        if (await d.hasIndex(exec, step.table, step.index.name)) return;
        await exec.run(d.addIndex(step.table, step.index));
        return;
    }
  } catch (err) {
    throw new BackendError(
      BackendCode.MigrationFailed,
      `backend migration ${m.version} ("${m.name}") failed at step ${i + 1} (${step.kind}): ` +
        (err instanceof Error ? err.message : String(err)),
      { cause: err, context: { version: m.version, step: i + 1 } },
    );
  }
}
