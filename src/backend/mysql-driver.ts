import {
  createConnection,
  createPool,
  type Pool,
  type PoolConnection,
  type ResultSetHeader,
  type RowDataPacket,
  type SslOptions,
} from 'mysql2/promise';
import { OrcError } from '../common/errors.js';
import { mysqlDialect } from './dialect.js';
import { BackendCode, BackendError, queryFailed } from './errors.js';
import type { Durability, RunResult, SqlDriver, SqlExecutor, SqlRow, SqlValue } from './sql.js';

export interface MysqlDriverOptions {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** Most connections open at once (default 10). */
  connectionLimit?: number;
  connectTimeoutMs?: number;
  /** Client-side limit per statement; none by default. */
  queryTimeoutMs?: number;
  /** Run CREATE DATABASE IF NOT EXISTS first (default true); a refusal is not an error. */
  createDatabase?: boolean;
  ssl?: string | SslOptions;
}

const DATABASE_NAME = /^[A-Za-z0-9_$]{1,64}$/;
/** Strict: a value too long for its column fails instead of being cut short in silence. */
const SESSION_SQL_MODE = "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION'";
const ER_LOCK_DEADLOCK = 1213;
const TRANSACTION_ATTEMPTS = 3;
const SCHEMA_LOCK_WAIT_SECONDS = 60;
/** Prepared statements kept per connection (LRU; evicted ones are closed on the server). */
const PREPARED_PER_CONNECTION = 256;

type Queryable = Pick<PoolConnection, 'query' | 'execute'>;

/**
 * A mysql2 pool behind the SqlDriver interface, for MySQL 5.7+/8.x and MariaDB 10.x+.
 * Reads and statements without values use `query` (text protocol); writes with values use
 * prepared statements, at most PREPARED_PER_CONNECTION per connection. Transactions run on one
 * pooled connection and are retried on deadlock (InnoDB's advice), up to three times.
 */
export class MysqlDriver implements SqlDriver {
  readonly dialect = mysqlDialect;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly options: MysqlDriverOptions,
  ) {}

  /** Creates the database when allowed and missing, then opens the pool and checks it. */
  static async open(options: MysqlDriverOptions): Promise<MysqlDriver> {
    if (!DATABASE_NAME.test(options.database)) {
      throw new BackendError(
        BackendCode.BadInput,
        `invalid backend database name "${options.database}": use letters, digits, _ and $`,
      );
    }
    const where = `${options.host}:${options.port}/${options.database}`;
    try {
      if (options.createDatabase !== false) await createDatabase(options);
      const pool = createPool({
        ...connectionOptions(options),
        database: options.database,
        connectionLimit: options.connectionLimit ?? 10,
        maxPreparedStatements: PREPARED_PER_CONNECTION,
      });
      pool.on('connection', (conn) => {
        // mysql2 emits its callback-style connection here; its first command runs first.
        (conn as unknown as { query(sql: string, cb: () => void): void }).query(
          SESSION_SQL_MODE,
          () => undefined,
        );
      });
      const driver = new MysqlDriver(pool, options);
      await driver.all('SELECT 1').catch(async (err: unknown) => {
        await driver.close().catch(() => undefined);
        throw err;
      });
      return driver;
    } catch (err) {
      throw new BackendError(
        BackendCode.OpenFailed,
        `cannot open MySQL backend ${where}: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err, context: { backend: where } },
      );
    }
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return runOn(this.usable(), sql, params, this.options.queryTimeoutMs);
  }

  all(sql: string, params: readonly SqlValue[] = []): Promise<SqlRow[]> {
    return allOn(this.usable(), sql, params, this.options.queryTimeoutMs);
  }

  /** Durability is the server's own (innodb_flush_log_at_trx_commit, sync_binlog). */
  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, _durability?: Durability): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const conn = await this.usable().getConnection();
      try {
        await conn.beginTransaction();
        const result = await fn(this.executor(conn));
        await conn.commit();
        return result;
      } catch (err) {
        await conn.rollback().catch(() => undefined);
        if (attempt < TRANSACTION_ATTEMPTS && errnoOf(err) === ER_LOCK_DEADLOCK) continue;
        throw isDriverError(err) ? queryFailed(err, 'BEGIN … COMMIT') : err;
      } finally {
        conn.release();
      }
    }
  }

  /** GET_LOCK on one connection, named after the database, held while `fn` runs. */
  async withSchemaLock<T>(fn: (exec: SqlExecutor) => Promise<T>): Promise<T> {
    const conn = await this.usable().getConnection();
    const name = `orc_schema.${this.options.database}`;
    try {
      const exec = this.executor(conn);
      const rows = await exec.all('SELECT GET_LOCK(?, ?) AS got', [name, SCHEMA_LOCK_WAIT_SECONDS]);
      if (Number(rows[0]?.['got']) !== 1) {
        throw new BackendError(
          BackendCode.MigrationFailed,
          `cannot migrate the backend: lock "${name}" still held by another orc after ` +
            `${SCHEMA_LOCK_WAIT_SECONDS} s`,
        );
      }
      try {
        return await fn(exec);
      } finally {
        await exec.all('SELECT RELEASE_LOCK(?)', [name]).catch(() => undefined);
      }
    } finally {
      conn.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private executor(conn: Queryable): SqlExecutor {
    const timeout = this.options.queryTimeoutMs;
    return {
      run: (sql, params = []) => runOn(conn, sql, params, timeout),
      all: (sql, params = []) => allOn(conn, sql, params, timeout),
    };
  }

  private usable(): Pool {
    if (this.closed) {
      const where = `${this.options.host}:${this.options.port}/${this.options.database}`;
      throw new BackendError(BackendCode.Closed, `MySQL backend ${where} is closed`);
    }
    return this.pool;
  }
}

function connectionOptions(o: MysqlDriverOptions): Parameters<typeof createConnection>[0] {
  return {
    host: o.host,
    port: o.port,
    user: o.user,
    password: o.password ?? '',
    connectTimeout: o.connectTimeoutMs ?? 10_000,
    charset: 'utf8mb4',
    ...(o.ssl === undefined ? {} : { ssl: o.ssl }),
  };
}

const ACCESS_DENIED = new Set([1044, 1045, 1227]);

async function createDatabase(o: MysqlDriverOptions): Promise<void> {
  const conn = await createConnection(connectionOptions(o));
  try {
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${o.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
    );
  } catch (err) {
    // Without the privilege the database may still exist; opening the pool will tell.
    if (!ACCESS_DENIED.has(errnoOf(err) ?? 0)) throw err;
  } finally {
    await conn.end();
  }
}

async function runOn(
  conn: Queryable,
  sql: string,
  params: readonly SqlValue[],
  timeout: number | undefined,
): Promise<RunResult> {
  try {
    const q = query(sql, params, timeout);
    // Writes with values go as prepared statements: a batch of instance rows carries ~300 KB
    // of text, and the binary protocol spares escaping it (half the client CPU per row).
    const [result] =
      params.length > 0
        ? await conn.execute<ResultSetHeader>(q)
        : await conn.query<ResultSetHeader>(q);
    return { changes: result.affectedRows };
  } catch (err) {
    throw queryFailed(err, sql);
  }
}

async function allOn(
  conn: Queryable,
  sql: string,
  params: readonly SqlValue[],
  timeout: number | undefined,
): Promise<SqlRow[]> {
  try {
    const [rows] = await conn.query<RowDataPacket[]>(query(sql, params, timeout));
    return rows;
  } catch (err) {
    throw queryFailed(err, sql);
  }
}

function query(
  sql: string,
  params: readonly SqlValue[],
  timeout: number | undefined,
): { sql: string; values: SqlValue[]; timeout?: number } {
  return timeout === undefined
    ? { sql, values: [...params] }
    : { sql, values: [...params], timeout };
}

/** An error of mysql2 or the socket (not one of orc's, not a bug in `fn`). */
function isDriverError(err: unknown): boolean {
  return err instanceof Error && !(err instanceof OrcError) && 'code' in err;
}

/** The server's error number, looking through BackendError causes. */
function errnoOf(err: unknown): number | undefined {
  for (let e = err; e instanceof Error; e = e.cause) {
    const errno = (e as { errno?: unknown }).errno;
    if (typeof errno === 'number') return errno;
  }
  return undefined;
}
