import { createConnection, type Connection, type SslOptions } from 'mysql2';
import type { Clock } from '../common/clock.js';
import { describeError } from '../common/errors.js';
import { parseServerVersion, type ServerVersion } from '../topology/index.js';
import { classifyMysqlError, MysqlError } from './errors.js';
import { statementTimeoutStatement, vocabularyFor, type Vocabulary } from './flavor.js';
import { text } from './values.js';

/** One row as mysql2 returns it: column name → value (number, string, null, Buffer). */
export type Row = Readonly<Record<string, unknown>>;

/** TLS settings handed to mysql2 as they are (`ssl`); undefined means plain TCP. */
export type TlsOptions = SslOptions;

export interface ConnectSettings {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly connectTimeoutMs: number;
  /** Set a server-side statement time limit a little above each client timeout. */
  readonly serverSideGuard: boolean;
  readonly tls: TlsOptions | undefined;
}

/** Raised (internally) when a statement outlived its client-side timeout; see MysqlPool. */
export class StatementTimedOut extends Error {
  constructor(
    readonly threadId: number,
    readonly timeoutMs: number,
  ) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/** How much later than our own timeout the server-side guard fires. */
const GUARD_MARGIN_MS = 1000;
/** ER_UNKNOWN_SYSTEM_VARIABLE: the guard variable does not exist on this server. */
const UNKNOWN_VARIABLE = 1193;

function errnoOf(err: unknown): number | undefined {
  const errno = (err as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' ? errno : undefined;
}

/**
 * One open connection to one server, with what was learned when it opened (version, thread
 * id). Statements go through `run`, which enforces a client-side timeout with the injected
 * clock: on timeout the socket is destroyed at once and StatementTimedOut is thrown carrying
 * the thread id, so the caller can `KILL QUERY` it from another connection. Not shared: one
 * caller at a time (MysqlPool hands it out).
 */
export class ServerConnection {
  private broken = false;
  /** Aborts the statement in flight when the connection is destroyed. */
  private inFlight: AbortController | undefined;
  /** The guard now set for this session (ms), undefined before the first, null if absent. */
  private guardMs: number | null | undefined;

  private constructor(
    private readonly raw: Connection,
    readonly instance: string,
    readonly threadId: number,
    readonly version: ServerVersion,
    readonly vocabulary: Vocabulary,
    private readonly clock: Clock,
    guard: boolean,
  ) {
    this.guardMs = guard ? undefined : null;
    raw.on('error', () => this.markBroken());
    raw.on('end', () => this.markBroken());
  }

  /**
   * Connects (mysql2's connect timeout covers TCP and handshake), then reads `@@version` to
   * choose the vocabulary. Rejects with a classified MysqlError (phase `connect`).
   */
  static async open(settings: ConnectSettings, clock: Clock): Promise<ServerConnection> {
    const instance = `${settings.host}:${settings.port}`;
    const raw = createConnection({
      host: settings.host,
      port: settings.port,
      user: settings.user,
      password: settings.password,
      connectTimeout: settings.connectTimeoutMs,
      multipleStatements: true,
      // Probes use no prepared statements; the default cache (16000) costs memory per socket.
      maxPreparedStatements: 8,
      supportBigNumbers: true,
      dateStrings: true,
      ...(settings.tls === undefined ? {} : { ssl: settings.tls }),
    });
    raw.on('error', () => undefined);
    try {
      await new Promise<void>((resolve, reject) => {
        raw.connect((err) => (err ? reject(err) : resolve()));
      });
      const rows = await runRaw(raw, clock, ['SELECT @@version AS v, @@version_comment AS c'], {
        timeoutMs: settings.connectTimeoutMs,
        threadId: raw.threadId,
      });
      const row = rows[0]?.[0];
      const version = parseServerVersion(text(row?.['v']), text(row?.['c']));
      const vocabulary = vocabularyFor(version);
      return new ServerConnection(
        raw,
        instance,
        raw.threadId,
        version,
        vocabulary,
        clock,
        settings.serverSideGuard,
      );
    } catch (err) {
      raw.destroy();
      if (err instanceof StatementTimedOut) {
        throw new MysqlError('MYSQL_UNREACHABLE', `cannot connect to ${instance}: ${err.message}`, {
          context: { instance, silent: true },
        });
      }
      throw classifyMysqlError(err, { instance, phase: 'connect' });
    }
  }

  /** False once the socket broke, timed out or was closed: the pool then drops it. */
  get usable(): boolean {
    return !this.broken && this.raw.state !== 'disconnected' && this.raw.state !== 'error';
  }

  /**
   * Runs the statements in one round trip and returns one row list per statement (an empty
   * list for statements without rows). Prefixes the server-side guard when it must change.
   * Rejects with StatementTimedOut, or with mysql2's raw error (the caller classifies it).
   */
  async run(statements: readonly string[], timeoutMs: number): Promise<Row[][]> {
    const guard = this.guardMs === null ? null : timeoutMs + GUARD_MARGIN_MS;
    const prefix =
      guard !== null && guard !== this.guardMs
        ? [statementTimeoutStatement(this.vocabulary, guard)]
        : [];
    try {
      this.inFlight = new AbortController();
      const results = await runRaw(this.raw, this.clock, [...prefix, ...statements], {
        timeoutMs,
        threadId: this.threadId,
        signal: this.inFlight.signal,
      });
      if (prefix.length > 0) this.guardMs = guard;
      return results.slice(prefix.length);
    } catch (err) {
      if (err instanceof StatementTimedOut) this.markBroken();
      const missing =
        prefix.length > 0 &&
        errnoOf(err) === UNKNOWN_VARIABLE &&
        String((err as Error).message).includes(this.vocabulary.statementTimeout.variable);
      if (!missing) throw err;
      this.guardMs = null;
      return this.run(statements, timeoutMs);
    }
  }

  /** Closes the socket at once. Idempotent. */
  destroy(): void {
    this.markBroken();
    this.raw.destroy();
    this.inFlight?.abort();
  }

  /** Says goodbye (COM_QUIT) when the connection is healthy, else destroys it. */
  async end(): Promise<void> {
    if (this.broken) {
      this.raw.destroy();
      return;
    }
    this.broken = true;
    await new Promise<void>((resolve) => {
      const cancel = this.clock.setTimeout(() => {
        this.raw.destroy();
        resolve();
      }, 1000);
      this.raw.end(() => {
        cancel();
        resolve();
      });
    });
  }

  private markBroken(): void {
    this.broken = true;
  }
}

/**
 * One round trip of `statements` with a client-side timeout from `clock`. mysql2 returns a
 * single result for one statement and an array for several; both become one entry per
 * statement here.
 */
function runRaw(
  raw: Connection,
  clock: Clock,
  statements: readonly string[],
  limits: { timeoutMs: number; threadId: number; signal?: AbortSignal },
): Promise<Row[][]> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      cancel();
      limits.signal?.removeEventListener('abort', onAbort);
      return true;
    };
    // mysql2 never answers a statement whose socket we destroyed ourselves.
    const onAbort = () => {
      if (settle()) reject(connectionLost('the connection was closed by orc'));
    };
    const cancel = clock.setTimeout(() => {
      if (!settle()) return;
      raw.destroy();
      reject(new StatementTimedOut(limits.threadId, limits.timeoutMs));
    }, limits.timeoutMs);
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    raw.query({ sql: statements.join(';\n') }, (err: unknown, result: unknown) => {
      if (!settle()) return;
      if (err) reject(err instanceof Error ? err : new Error(describeError(err)));
      else resolve(splitResults(result, statements.length));
    });
  });
}

function connectionLost(message: string): Error {
  return Object.assign(new Error(message), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true });
}

function splitResults(result: unknown, count: number): Row[][] {
  const list = count === 1 ? [result] : Array.isArray(result) ? (result as unknown[]) : [result];
  return list.map((r) => (Array.isArray(r) ? (r as Row[]) : []));
}
