import { placeholders, type SqlExecutor, type SqlValue } from './sql.js';
import type { ColumnSpec, IndexSpec, TableSpec } from './table-spec.js';

/** A statement ready to run. */
export interface Statement {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** A multi-row insert keyed by `key`; `update` lists the columns a conflict overwrites. */
export interface UpsertSpec {
  readonly table: string;
  readonly columns: readonly string[];
  readonly key: readonly string[];
  /** Default: every column outside the key. Empty: keep the existing row untouched. */
  readonly update?: readonly string[];
  readonly rows: readonly (readonly SqlValue[])[];
}

/**
 * Everything that differs between SQLite and MySQL/MariaDB, in one place: column types, table
 * options, upsert syntax, string concatenation and schema introspection. Repositories and
 * migrations build their SQL through it and are otherwise dialect-free.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'mysql';
  /** True when DDL is transactional (SQLite), so a migration commits or rolls back whole. */
  readonly transactionalDdl: boolean;
  createTable(table: TableSpec): string[];
  addColumn(table: string, column: ColumnSpec): string;
  addIndex(table: string, index: IndexSpec): string;
  hasTable(exec: SqlExecutor, table: string): Promise<boolean>;
  hasColumn(exec: SqlExecutor, table: string, column: string): Promise<boolean>;
  hasIndex(exec: SqlExecutor, table: string, index: string): Promise<boolean>;
  /**
   * `INSERT … ON CONFLICT … DO UPDATE` (SQLite) or `INSERT … ON DUPLICATE KEY UPDATE`
   * (MySQL): never REPLACE, which deletes the old row. With `update: []` a conflicting row is
   * left as it is (insert if absent). Tables used with it have exactly one unique key, which
   * keeps the statement deterministic under statement-based replication.
   */
  upsert(spec: UpsertSpec): Statement;
  /** SQL concatenating the given SQL expressions as text. */
  concat(...parts: string[]): string;
}

function assertRows(spec: UpsertSpec): void {
  const width = spec.columns.length;
  if (spec.rows.length === 0) throw new Error(`upsert into ${spec.table} with no rows`);
  for (const row of spec.rows) {
    if (row.length !== width) {
      throw new Error(`upsert into ${spec.table}: row of ${row.length} values for ${width}`);
    }
  }
}

function valuesClause(spec: UpsertSpec): Statement {
  assertRows(spec);
  const row = `(${placeholders(spec.columns.length)})`;
  const sql =
    `INSERT INTO ${spec.table} (${spec.columns.join(', ')}) VALUES ` +
    spec.rows.map(() => row).join(', ');
  return { sql, params: spec.rows.flat() };
}

function updateColumns(spec: UpsertSpec): readonly string[] {
  return spec.update ?? spec.columns.filter((c) => !spec.key.includes(c));
}

function columnDefault(c: ColumnSpec): string {
  if (c.default === undefined) return '';
  const value = typeof c.default === 'number' ? String(c.default) : `'${c.default}'`;
  return ` DEFAULT ${value}`;
}

const sqliteTypes: Record<ColumnSpec['type'], string> = {
  string: 'TEXT',
  text: 'TEXT',
  int: 'INTEGER',
  bigint: 'INTEGER',
  bool: 'INTEGER',
};

function sqliteColumn(c: ColumnSpec): string {
  return `${c.name} ${sqliteTypes[c.type]}${c.nullable ? '' : ' NOT NULL'}${columnDefault(c)}`;
}

function sqliteAddIndex(table: string, i: IndexSpec): string {
  return `CREATE INDEX IF NOT EXISTS ${i.name} ON ${table} (${i.columns.join(', ')})`;
}

async function exists(exec: SqlExecutor, sql: string, params: SqlValue[]): Promise<boolean> {
  return (await exec.all(sql, params)).length > 0;
}

/** SQLite 3.35+: STRICT tables, so a value of the wrong type fails as it would on MySQL. */
export const sqliteDialect: Dialect = {
  name: 'sqlite',
  transactionalDdl: true,
  createTable(t) {
    const body = [...t.columns.map(sqliteColumn), `PRIMARY KEY (${t.primaryKey.join(', ')})`];
    return [
      `CREATE TABLE IF NOT EXISTS ${t.name} (\n  ${body.join(',\n  ')}\n) STRICT`,
      ...(t.indexes ?? []).map((i) => sqliteAddIndex(t.name, i)),
    ];
  },
  addColumn: (table, c) => `ALTER TABLE ${table} ADD COLUMN ${sqliteColumn(c)}`,
  addIndex: sqliteAddIndex,
  hasTable: (exec, table) =>
    exists(exec, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]),
  hasColumn: (exec, table, column) =>
    exists(exec, 'SELECT 1 FROM pragma_table_info(?) WHERE name = ?', [table, column]),
  hasIndex: (exec, table, index) =>
    exists(exec, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND name = ?", [
      table,
      index,
    ]),
  upsert(spec) {
    const { sql, params } = valuesClause(spec);
    const update = updateColumns(spec);
    const action =
      update.length === 0
        ? 'DO NOTHING'
        : `DO UPDATE SET ${update.map((c) => `${c} = excluded.${c}`).join(', ')}`;
    return { sql: `${sql} ON CONFLICT (${spec.key.join(', ')}) ${action}`, params };
  },
  concat: (...parts) => parts.join(' || '),
};

function mysqlType(c: ColumnSpec): string {
  switch (c.type) {
    case 'string':
      return `VARCHAR(${c.length ?? 255})`;
    case 'text':
      return 'MEDIUMTEXT';
    case 'int':
      return 'INT';
    case 'bigint':
      return 'BIGINT';
    case 'bool':
      return 'TINYINT';
  }
}

function mysqlColumn(c: ColumnSpec): string {
  return `${c.name} ${mysqlType(c)}${c.nullable ? ' NULL' : ' NOT NULL'}${columnDefault(c)}`;
}

const schemaFilter = 'TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?';

/**
 * MySQL 5.7+/8.x and MariaDB 10.x+: InnoDB, utf8mb4 with a binary collation so that text
 * compares as it does in SQLite. `VALUES(col)` in ON DUPLICATE KEY UPDATE is deprecated on
 * MySQL 8.0.20+ but still works there, and is the only form MariaDB accepts.
 */
export const mysqlDialect: Dialect = {
  name: 'mysql',
  transactionalDdl: false,
  createTable(t) {
    const body = [
      ...t.columns.map(mysqlColumn),
      `PRIMARY KEY (${t.primaryKey.join(', ')})`,
      ...(t.indexes ?? []).map((i) => `KEY ${i.name} (${i.columns.join(', ')})`),
    ];
    return [
      `CREATE TABLE IF NOT EXISTS ${t.name} (\n  ${body.join(',\n  ')}\n)` +
        ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    ];
  },
  addColumn: (table, c) => `ALTER TABLE ${table} ADD COLUMN ${mysqlColumn(c)}`,
  addIndex: (table, i) => `ALTER TABLE ${table} ADD INDEX ${i.name} (${i.columns.join(', ')})`,
  hasTable: (exec, table) =>
    exists(exec, `SELECT 1 FROM information_schema.TABLES WHERE ${schemaFilter}`, [table]),
  hasColumn: (exec, table, column) =>
    exists(
      exec,
      `SELECT 1 FROM information_schema.COLUMNS WHERE ${schemaFilter} AND COLUMN_NAME = ?`,
      [table, column],
    ),
  hasIndex: (exec, table, index) =>
    exists(
      exec,
      `SELECT 1 FROM information_schema.STATISTICS WHERE ${schemaFilter} AND INDEX_NAME = ?`,
      [table, index],
    ),
  upsert(spec) {
    const { sql, params } = valuesClause(spec);
    const update = updateColumns(spec);
    // A no-op assignment rather than INSERT IGNORE, which would also hide other errors.
    const first = spec.key[0] ?? spec.columns[0] ?? '';
    const set =
      update.length === 0
        ? `${first} = ${first}`
        : update.map((c) => `${c} = VALUES(${c})`).join(', ');
    return { sql: `${sql} ON DUPLICATE KEY UPDATE ${set}`, params };
  },
  concat: (...parts) => `CONCAT(${parts.join(', ')})`,
};
