import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { sqliteDialect } from './dialect.js';
import { BackendCode, BackendError, queryFailed } from './errors.js';
import type { Durability, RunResult, SqlDriver, SqlExecutor, SqlRow, SqlValue } from './sql.js';

export interface SqliteDriverOptions {
  /** The data file; its directory is created when missing. `:memory:` for a private store. */
  path: string;
  /** How long to wait for another process's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
  /** `normal` (default) or `full` for every write; see `Durability` and docs/backend.md. */
  synchronous?: 'normal' | 'full';
}

const STATEMENT_CACHE = 256;

/**
 * One better-sqlite3 connection behind the async SqlDriver interface. Statements run
 * synchronously inside; an open transaction holds a lock (FileLock) that queues every other
 * caller's statements until it commits, so nothing joins it by accident. WAL journal: readers never
 * block the writer.
 *
 * Durability: `synchronous=NORMAL` in WAL mode never corrupts the file and survives a killed
 * process; an OS crash or power cut may lose the last commits. That is right for relaxed data,
 * which the next poll rewrites. Durable transactions switch to `synchronous=FULL` for their
 * commit, so they reach the disk before `transaction` resolves.
 */
export class SqliteDriver implements SqlDriver {
  readonly dialect = sqliteDialect;
  private db: Db | null;
  private readonly statements = new Map<string, Statement>();
  private readonly relaxed: string;
  private readonly lock: FileLock;

  private constructor(
    db: Db,
    private readonly path: string,
    synchronous: 'normal' | 'full',
  ) {
    this.db = db;
    this.relaxed = synchronous === 'full' ? 'FULL' : 'NORMAL';
    this.lock = FileLock.take(path);
  }

  /** Opens (creating when missing) the file and sets WAL, synchronous and busy_timeout. */
  static open(options: SqliteDriverOptions): SqliteDriver {
    const { path } = options;
    let db: Db;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    } catch (err) {
      throw new BackendError(
        BackendCode.OpenFailed,
        `cannot open SQLite backend "${path}": ${err instanceof Error ? err.message : String(err)}`,
        { cause: err, context: { path } },
      );
    }
    return new SqliteDriver(db, path, options.synchronous ?? 'normal');
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    if (this.lock.locked) await this.lock.acquire();
    else return this.runNow(sql, params);
    try {
      return this.runNow(sql, params);
    } finally {
      this.lock.release();
    }
  }

  async all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    if (this.lock.locked) await this.lock.acquire();
    else return this.allNow(sql, params);
    try {
      return this.allNow(sql, params);
    } finally {
      this.lock.release();
    }
  }

  async transaction<T>(
    fn: (tx: SqlExecutor) => Promise<T>,
    durability: Durability = 'relaxed',
  ): Promise<T> {
    await this.lock.acquire();
    const durable = durability === 'durable' && this.relaxed !== 'FULL';
    let live = true;
    const tx: SqlExecutor = {
      run: (sql, params = []) => Promise.resolve(this.inTx(live, () => this.runNow(sql, params))),
      all: (sql, params = []) => Promise.resolve(this.inTx(live, () => this.allNow(sql, params))),
    };
    try {
      if (durable) this.handle().pragma('synchronous = FULL');
      this.handle().exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        this.handle().exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db?.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      live = false;
      if (durable && this.db) this.db.pragma(`synchronous = ${this.relaxed}`);
      this.lock.release();
    }
  }

  /** SQLite locks the file for every write transaction; the migration needs nothing more. */
  withSchemaLock<T>(fn: (exec: SqlExecutor) => Promise<T>): Promise<T> {
    return fn(this);
  }

  close(): Promise<void> {
    if (this.db !== null) this.lock.drop();
    this.db?.close();
    this.db = null;
    this.statements.clear();
    return Promise.resolve();
  }

  private inTx<T>(live: boolean, fn: () => T): T {
    if (!live) throw new Error('a transaction executor was used after its transaction ended');
    return fn();
  }

  private handle(): Db {
    if (this.db === null) {
      throw new BackendError(BackendCode.Closed, `SQLite backend "${this.path}" is closed`);
    }
    return this.db;
  }

  private prepare(sql: string): Statement {
    const cached = this.statements.get(sql);
    if (cached) return cached;
    const stmt = this.handle().prepare(sql);
    if (this.statements.size >= STATEMENT_CACHE) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    this.statements.set(sql, stmt);
    return stmt;
  }

  private runNow(sql: string, params: readonly SqlValue[]): RunResult {
    try {
      return { changes: this.prepare(sql).run(...params).changes };
    } catch (err) {
      throw queryFailed(err, sql);
    }
  }

  private allNow(sql: string, params: readonly SqlValue[]): SqlRow[] {
    try {
      return this.prepare(sql).all(...params) as SqlRow[];
    } catch (err) {
      throw queryFailed(err, sql);
    }
  }
}

/**
 * The write lock of one database file, shared by every SqliteDriver of this process on that
 * file. A transaction holds it across its awaits. Without sharing, a second connection's
 * statement would wait for SQLite's file lock synchronously, blocking the event loop that the
 * open transaction needs to finish: a deadlock until busy_timeout. Other processes are kept
 * apart by SQLite's own locking and busy_timeout.
 */
class FileLock {
  private static readonly byPath = new Map<string, FileLock>();
  locked = false;
  private readonly waiters: (() => void)[] = [];
  private users = 0;

  private constructor(private readonly path: string) {}

  static take(path: string): FileLock {
    const key = path === ':memory:' ? `:memory:${Math.random()}` : resolve(path);
    const lock = FileLock.byPath.get(key) ?? new FileLock(key);
    FileLock.byPath.set(key, lock);
    lock.users++;
    return lock;
  }

  /** Resolves once the caller holds the lock. */
  acquire(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Hands the lock to the next waiter, or frees it. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }

  /** One driver closed; forgets the lock when none is left. */
  drop(): void {
    if (--this.users === 0) FileLock.byPath.delete(this.path);
  }
}
