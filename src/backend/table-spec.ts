/**
 * How orc describes its tables once for both dialects. Types are abstract; dialect.ts maps
 * them to SQLite and MySQL column types. Every table has a natural primary key (no
 * auto-increment), so that replaying a write finds the row it wrote the first time.
 */

/**
 * - `string`: a short text that may be part of a key or index (VARCHAR on MySQL).
 * - `text`: a long text, never indexed (messages, JSON documents).
 * - `int`: a 32-bit integer; `bigint`: epoch milliseconds, server ids, counts.
 * - `bool`: stored as 0/1 in both dialects.
 */
export type ColumnType = 'string' | 'text' | 'int' | 'bigint' | 'bool';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** Characters, for `string` columns (default 255). */
  readonly length?: number;
  readonly nullable?: boolean;
  /** Required for a NOT NULL column added to an existing table. */
  readonly default?: string | number;
}

export interface IndexSpec {
  /** Unique in the whole schema (SQLite's index names are not per table). */
  readonly name: string;
  readonly columns: readonly string[];
}

export interface TableSpec {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey: readonly string[];
  readonly indexes?: readonly IndexSpec[];
}

/** Builders that keep the table declarations short. */
export const col = {
  string: (name: string, o: Omit<ColumnSpec, 'name' | 'type'> = {}): ColumnSpec => ({
    name,
    type: 'string',
    ...o,
  }),
  text: (name: string, o: Omit<ColumnSpec, 'name' | 'type'> = {}): ColumnSpec => ({
    name,
    type: 'text',
    ...o,
  }),
  int: (name: string, o: Omit<ColumnSpec, 'name' | 'type'> = {}): ColumnSpec => ({
    name,
    type: 'int',
    ...o,
  }),
  bigint: (name: string, o: Omit<ColumnSpec, 'name' | 'type'> = {}): ColumnSpec => ({
    name,
    type: 'bigint',
    ...o,
  }),
  bool: (name: string, o: Omit<ColumnSpec, 'name' | 'type'> = {}): ColumnSpec => ({
    name,
    type: 'bool',
    ...o,
  }),
};

/** An index named after its table and columns. */
export function index(table: string, ...columns: string[]): IndexSpec {
  return { name: `${table}_${columns.join('_')}_idx`, columns };
}
