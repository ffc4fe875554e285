import type { ServerVersion } from '../topology/index.js';
import { StatementTimedOut, type Row, type ServerConnection } from './connection.js';
import { classifyMysqlError, MysqlError } from './errors.js';
import type { Vocabulary } from './flavor.js';

/** A connection lent to one caller; statements run one at a time on it. */
export interface ServerSession {
  readonly instance: string;
  readonly version: ServerVersion;
  readonly vocabulary: Vocabulary;
  readonly threadId: number;
  /** One round trip; one row list per statement. Rejects with MysqlError. */
  batch(statements: readonly string[]): Promise<Row[][]>;
  query(sql: string): Promise<Row[]>;
}

/**
 * What a session needs from the pool that lent it (MysqlPool): taking the connection back,
 * replacing a dead one in the same slot, and killing a statement that timed out.
 */
export interface SessionHost<S> {
  isClosed(): boolean;
  release(server: S, conn: ServerConnection): void;
  reopen(server: S, dead: ServerConnection): Promise<ServerConnection>;
  killAfterTimeout(
    server: S,
    dead: ServerConnection,
    timedOut: StatementTimedOut,
  ): Promise<boolean>;
}

const CONNECTION_LEVEL = new Set(['MYSQL_CONNECTION_LOST', 'MYSQL_UNREACHABLE']);

/** A lease of one connection; see MysqlPool.withSession. */
export class Session<S extends { readonly instance: string }> implements ServerSession {
  private done = false;
  private used = false;
  private conn: ServerConnection | undefined;

  constructor(
    private readonly pool: SessionHost<S>,
    private readonly server: S,
    conn: ServerConnection,
    private reused: boolean,
    private readonly timeoutMs: number,
  ) {
    this.conn = conn;
    this.version = conn.version;
    this.vocabulary = conn.vocabulary;
    this.threadId = conn.threadId;
  }

  readonly version: ServerVersion;
  readonly vocabulary: Vocabulary;
  readonly threadId: number;

  get instance(): string {
    return this.server.instance;
  }

  async query(sql: string): Promise<Row[]> {
    const [rows] = await this.batch([sql]);
    return rows ?? [];
  }

  async batch(statements: readonly string[]): Promise<Row[][]> {
    const conn = this.conn;
    if (this.done || conn === undefined) {
      throw new MysqlError('MYSQL_CONNECTION_LOST', `the session to ${this.instance} is over`, {
        context: { instance: this.instance },
      });
    }
    try {
      const rows = await conn.run(statements, this.timeoutMs);
      this.used = true;
      return rows;
    } catch (err) {
      return this.recover(conn, statements, err);
    }
  }

  private async recover(conn: ServerConnection, statements: readonly string[], err: unknown) {
    const sql = statements.join('; ');
    if (err instanceof StatementTimedOut) {
      this.conn = undefined;
      const killed = await this.pool.killAfterTimeout(this.server, conn, err);
      throw new MysqlError(
        'MYSQL_QUERY_TIMEOUT',
        `query on ${this.instance} gave no answer within ${err.timeoutMs} ms` +
          (killed ? '; killed on the server' : '; KILL QUERY failed'),
        { context: { instance: this.instance, sql, threadId: err.threadId, killed } },
      );
    }
    if (this.pool.isClosed()) {
      throw new MysqlError(
        'MYSQL_POOL_CLOSED',
        `connections to ${this.instance} were closed while a statement ran`,
        { cause: err, context: { instance: this.instance, sql } },
      );
    }
    const error = classifyMysqlError(err, { instance: this.instance, phase: 'query', sql });
    if (!this.used && this.reused && CONNECTION_LEVEL.has(error.code)) {
      this.reused = false;
      this.conn = undefined;
      this.conn = await this.pool.reopen(this.server, conn);
      return this.batch(statements);
    }
    throw error;
  }

  /** Returns the connection to the pool (or drops it). Idempotent. */
  finish(): void {
    if (this.done) return;
    this.done = true;
    if (this.conn) this.pool.release(this.server, this.conn);
    this.conn = undefined;
  }
}
