import type { Dialect } from './dialect.js';

/** The values orc binds to statements: both drivers accept exactly these. */
export type SqlValue = string | number | null;

/** One result row, keyed by column name. */
export type SqlRow = Readonly<Record<string, unknown>>;

/** What a write did: rows inserted, updated (matched, on MySQL) or deleted. */
export interface RunResult {
  readonly changes: number;
}

/**
 * Runs statements with `?` placeholders. Inside a transaction the executor is bound to that
 * transaction; outside, each statement commits on its own.
 */
export interface SqlExecutor {
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  all(sql: string, params?: readonly SqlValue[]): Promise<SqlRow[]>;
}

/**
 * How much a write must survive. `relaxed` data (instance rows, health beats, caches) is
 * rewritten within seconds, so it may be lost to an OS crash; `durable` data (decisions made
 * by people or recoveries: downtime, maintenance, candidates, audit, …) may not. Only the
 * SQLite driver distinguishes them; a MySQL server's durability is its own configuration.
 */
export type Durability = 'relaxed' | 'durable';

/**
 * A connection (SQLite) or pool (MySQL) to orc's store, with the dialect that renders SQL for
 * it. Repositories are written once against this interface.
 *
 * `transaction` runs `fn` atomically: all of its statements commit or none do. `fn` must only
 * run statements (no other side effects), because a MySQL transaction that deadlocks is rolled
 * back and `fn` is run again. Statements of other callers never join a transaction.
 */
export interface SqlDriver extends SqlExecutor {
  readonly dialect: Dialect;
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, durability?: Durability): Promise<T>;
  /**
   * Runs the migrations' `fn` while holding the store's schema lock, so that two orc
   * processes starting together migrate one after the other. `exec` is bound to the lock.
   */
  withSchemaLock<T>(fn: (exec: SqlExecutor) => Promise<T>): Promise<T>;
  /** Closes the connection or pool; idempotent. Later calls fail with BACKEND_CLOSED. */
  close(): Promise<void>;
}

/**
 * When a write happened: default the repository's Clock. The raft applier passes the time the
 * command carries, so that every node stores the same values.
 */
export interface At {
  readonly at?: number;
}

/** Runs one statement in its own transaction with the given durability. */
export function runDurably(
  driver: SqlDriver,
  sql: string,
  params: readonly SqlValue[],
): Promise<RunResult> {
  return driver.transaction((tx) => tx.run(sql, params), 'durable');
}

/** `?, ?, ?` for `n` placeholders. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** A column read as a number (drivers return integers as numbers; counts may be strings). */
export function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'string') return Number(value);
  throw new TypeError(`expected a number, got ${typeof value}`);
}

/** A nullable column read as a number or undefined. */
export function optNum(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : num(value);
}

/** A column read as a string. */
export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'number') return String(value);
  throw new TypeError(`expected a string, got ${typeof value}`);
}

/** A nullable column read as a string or undefined. */
export function optStr(value: unknown): string | undefined {
  return value === null || value === undefined ? undefined : str(value);
}

/** undefined → NULL, for binding. */
export function orNull<T extends SqlValue>(value: T | undefined): T | null {
  return value === undefined ? null : value;
}

/** LIKE pattern matching `text` anywhere, with `!` escaping the wildcards (both dialects). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
