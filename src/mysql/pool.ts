import { EventEmitter } from 'node:events';
import { systemClock, type Clock } from '../common/clock.js';
import { formatInstanceKey, instanceKeyId, type InstanceKey } from '../topology/index.js';
import type { StatementTimedOut } from './connection.js';
import { ServerConnection, type ConnectSettings, type Row, type TlsOptions } from './connection.js';
import { MysqlError } from './errors.js';
import { Session, type ServerSession, type SessionHost } from './session.js';

export type { ServerSession } from './session.js';

/**
 * Options of the connections to managed servers. Defaults are orchestrator's:
 * `MySQLConnectTimeoutSeconds` 2, `MySQLDiscoveryReadTimeoutSeconds` 10,
 * `MySQLTopologyReadTimeoutSeconds` 600.
 */
export interface MysqlPoolOptions {
  /** `MySQLTopologyUser` / `MySQLTopologyPassword`. */
  readonly user: string;
  readonly password: string;
  readonly connectTimeoutMs?: number;
  /** Per-statement limit of probes (`purpose: 'discovery'`). */
  readonly discoveryTimeoutMs?: number;
  /** Per-statement limit of everything else. */
  readonly readTimeoutMs?: number;
  /** At most this many open connections per server, including the one a KILL uses. */
  readonly maxConnectionsPerServer?: number;
  /** Idle connections older than this are closed when the server's pool is next used. */
  readonly idleTimeoutMs?: number;
  /** Set `max_statement_time` / `max_execution_time` per session as a backstop (default on). */
  readonly serverSideGuard?: boolean;
  readonly tls?: TlsOptions;
  readonly clock?: Clock;
}

export type ResolvedPoolOptions = Required<Omit<MysqlPoolOptions, 'tls'>> & {
  readonly tls: TlsOptions | undefined;
};

export function resolvePoolOptions(options: MysqlPoolOptions): ResolvedPoolOptions {
  return Object.freeze({
    user: options.user,
    password: options.password,
    connectTimeoutMs: options.connectTimeoutMs ?? 2_000,
    discoveryTimeoutMs: options.discoveryTimeoutMs ?? 10_000,
    readTimeoutMs: options.readTimeoutMs ?? 600_000,
    maxConnectionsPerServer: Math.max(1, options.maxConnectionsPerServer ?? 4),
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    serverSideGuard: options.serverSideGuard ?? true,
    tls: options.tls,
    clock: options.clock ?? systemClock,
  });
}

/** Per-request limits: an explicit timeout, else the purpose's default. */
export interface RequestOptions {
  readonly timeoutMs?: number;
  readonly purpose?: 'discovery' | 'operation';
}

export interface PoolStats {
  readonly open: number;
  readonly idle: number;
  readonly waiting: number;
  /** The most connections ever open at once to this server. */
  readonly maxOpen: number;
}

/** Typed events; the service decides what to log or count. */
export interface MysqlPoolEvents {
  'connection-opened': [{ instance: string; threadId: number; open: number }];
  'connection-closed': [{ instance: string; threadId: number; reason: CloseReason }];
  'query-timeout': [
    { instance: string; threadId: number; timeoutMs: number; killed: boolean; killError?: unknown },
  ];
}

export type CloseReason = 'idle' | 'broken' | 'timeout' | 'closed';

interface Waiter {
  readonly resolve: (grant: Grant) => void;
  readonly reject: (err: MysqlError) => void;
}

/** What a waiter is given: a free idle connection, or the right to open one. */
type Grant = { readonly conn: ServerConnection } | { readonly slot: true };

interface ServerPool {
  readonly key: InstanceKey;
  readonly instance: string;
  readonly idle: { conn: ServerConnection; since: number }[];
  readonly waiters: Waiter[];
  /** Every open connection, idle or lent, so close() can end the lent ones too. */
  readonly live: Set<ServerConnection>;
  open: number;
  maxOpen: number;
}

/**
 * Connections to managed servers, at most `maxConnectionsPerServer` open per server, reused
 * across calls. Every statement has a client-side timeout; when it passes, the connection is
 * destroyed (its slot freed), `KILL QUERY <thread>` is sent on another connection so the
 * server stops working too, then the caller gets MYSQL_QUERY_TIMEOUT. An idle connection that
 * turns out dead on its first statement is replaced once, transparently. Callers: the probe,
 * later operations. `close()` ends everything; calls after it fail with MYSQL_POOL_CLOSED.
 */
export class MysqlPool extends EventEmitter<MysqlPoolEvents> implements SessionHost<ServerPool> {
  readonly options: ResolvedPoolOptions;
  private readonly servers = new Map<string, ServerPool>();
  private closed = false;

  constructor(options: MysqlPoolOptions) {
    super();
    this.options = resolvePoolOptions(options);
  }

  /**
   * Lends a connection to `fn` and takes it back afterwards (or drops it if it broke). The
   * request's timeout bounds both the wait for a free connection and each statement.
   */
  async withSession<T>(
    key: InstanceKey,
    fn: (session: ServerSession) => Promise<T>,
    request: RequestOptions & { priority?: boolean } = {},
  ): Promise<T> {
    const server = this.serverOf(key);
    const timeoutMs = this.timeoutOf(request);
    const lease = await this.acquire(server, timeoutMs, request.priority === true);
    const session = new Session(this, server, lease.conn, lease.reused, timeoutMs);
    try {
      return await fn(session);
    } finally {
      session.finish();
    }
  }

  /** One statement on any connection to `key`. */
  query(key: InstanceKey, sql: string, request: RequestOptions = {}): Promise<Row[]> {
    return this.withSession(key, (s) => s.query(sql), request);
  }

  /** Several statements in one round trip. */
  batch(key: InstanceKey, statements: readonly string[], request: RequestOptions = {}) {
    return this.withSession(key, (s) => s.batch(statements), request);
  }

  stats(key: InstanceKey): PoolStats {
    const server = this.servers.get(instanceKeyId(key));
    if (!server) return { open: 0, idle: 0, waiting: 0, maxOpen: 0 };
    const { open, idle, waiters, maxOpen } = server;
    return { open, idle: idle.length, waiting: waiters.length, maxOpen };
  }

  /** Ends the idle connections to one server (busy ones end when returned). */
  async closeIdle(key: InstanceKey): Promise<void> {
    const server = this.servers.get(instanceKeyId(key));
    if (!server) return;
    const idle = server.idle.splice(0);
    await Promise.all(idle.map(({ conn }) => this.drop(server, conn, 'closed')));
  }

  /**
   * Refuses new work and ends every connection: idle ones politely, lent ones at once (their
   * statements fail with MYSQL_POOL_CLOSED, as do waiting callers).
   * Resolves when the idle ones are closed. Idempotent.
   */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.servers.values()];
    for (const server of all) {
      for (const w of server.waiters.splice(0)) w.reject(this.closedError(server));
      const idle = new Set(server.idle.map((i) => i.conn));
      for (const conn of server.live) if (!idle.has(conn)) conn.destroy();
    }
    await Promise.all(all.map((s) => this.closeIdle(s.key)));
  }

  /** True once close() was called. */
  isClosed(): boolean {
    return this.closed;
  }

  private timeoutOf(request: RequestOptions): number {
    if (request.timeoutMs !== undefined) return request.timeoutMs;
    return request.purpose === 'discovery'
      ? this.options.discoveryTimeoutMs
      : this.options.readTimeoutMs;
  }

  private serverOf(key: InstanceKey): ServerPool {
    const id = instanceKeyId(key);
    let server = this.servers.get(id);
    if (!server) {
      const instance = formatInstanceKey(key);
      server = { key, instance, idle: [], waiters: [], live: new Set(), open: 0, maxOpen: 0 };
      this.servers.set(id, server);
    }
    return server;
  }

  private closedError(server: ServerPool): MysqlError {
    return new MysqlError('MYSQL_POOL_CLOSED', `connections to ${server.instance} are closed`, {
      context: { instance: server.instance },
    });
  }

  /** @internal A free connection: idle, newly opened, or handed over by a releaser. */
  async acquire(
    server: ServerPool,
    waitMs: number,
    priority: boolean,
  ): Promise<{ conn: ServerConnection; reused: boolean }> {
    if (this.closed) throw this.closedError(server);
    this.expireIdle(server);
    for (let idle = server.idle.pop(); idle; idle = server.idle.pop()) {
      if (idle.conn.usable) return { conn: idle.conn, reused: true };
      void this.drop(server, idle.conn, 'broken');
    }
    if (server.open < this.options.maxConnectionsPerServer) return this.openIn(server);

    const grant = await this.waitForGrant(server, waitMs, priority);
    return 'conn' in grant ? { conn: grant.conn, reused: true } : this.openIn(server, true);
  }

  private waitForGrant(server: ServerPool, waitMs: number, priority: boolean): Promise<Grant> {
    return new Promise<Grant>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (grant) => {
          cancel();
          resolve(grant);
        },
        reject: (err) => {
          cancel();
          reject(err);
        },
      };
      const cancel = this.options.clock.setTimeout(() => {
        const at = server.waiters.indexOf(waiter);
        if (at >= 0) server.waiters.splice(at, 1);
        reject(
          new MysqlError(
            'MYSQL_POOL_TIMEOUT',
            `no connection to ${server.instance} became free within ${waitMs} ms`,
            { context: { instance: server.instance } },
          ),
        );
      }, waitMs);
      if (priority) server.waiters.unshift(waiter);
      else server.waiters.push(waiter);
    });
  }

  /** Opens a connection in a slot; `granted` means the slot was already counted for us. */
  private async openIn(server: ServerPool, granted = false) {
    if (!granted) server.open++;
    server.maxOpen = Math.max(server.maxOpen, server.open);
    try {
      const conn = await ServerConnection.open(this.settingsFor(server), this.options.clock);
      server.live.add(conn);
      this.emit('connection-opened', {
        instance: server.instance,
        threadId: conn.threadId,
        open: server.open,
      });
      return { conn, reused: false };
    } catch (err) {
      this.freeSlot(server);
      throw err;
    }
  }

  private settingsFor(server: ServerPool): ConnectSettings {
    const o = this.options;
    return {
      host: server.key.host,
      port: server.key.port,
      user: o.user,
      password: o.password,
      connectTimeoutMs: o.connectTimeoutMs,
      serverSideGuard: o.serverSideGuard,
      tls: o.tls,
    };
  }

  private expireIdle(server: ServerPool): void {
    const oldest = this.options.clock.now() - this.options.idleTimeoutMs;
    while (server.idle.length > 0 && (server.idle[0]?.since ?? 0) < oldest) {
      const stale = server.idle.shift();
      if (stale) void this.drop(server, stale.conn, 'idle');
    }
  }

  /** @internal Takes a connection back: to a waiter, to the idle list, or closes it. */
  release(server: ServerPool, conn: ServerConnection): void {
    if (!conn.usable || this.closed) {
      void this.drop(server, conn, conn.usable ? 'closed' : 'broken');
      return;
    }
    const waiter = server.waiters.shift();
    if (waiter) waiter.resolve({ conn });
    else server.idle.push({ conn, since: this.options.clock.now() });
  }

  /** @internal Closes a connection and frees its slot. */
  async drop(server: ServerPool, conn: ServerConnection, reason: CloseReason): Promise<void> {
    server.live.delete(conn);
    await conn.end();
    this.freeSlot(server);
    this.emit('connection-closed', { instance: server.instance, threadId: conn.threadId, reason });
  }

  private freeSlot(server: ServerPool): void {
    const waiter = server.waiters.shift();
    if (waiter) waiter.resolve({ slot: true });
    else server.open--;
  }

  /** @internal A fresh connection for a session whose reused one died, in the same slot. */
  async reopen(server: ServerPool, dead: ServerConnection): Promise<ServerConnection> {
    server.live.delete(dead);
    dead.destroy();
    this.emit('connection-closed', {
      instance: server.instance,
      threadId: dead.threadId,
      reason: 'broken',
    });
    try {
      if (this.closed) throw this.closedError(server);
      const conn = await ServerConnection.open(this.settingsFor(server), this.options.clock);
      server.live.add(conn);
      return conn;
    } catch (err) {
      this.freeSlot(server);
      throw err;
    }
  }

  /**
   * @internal After a client-side timeout: frees the dead connection's slot, then sends
   * `KILL QUERY` from another connection, first in line. Never throws; reports the outcome.
   */
  async killAfterTimeout(
    server: ServerPool,
    dead: ServerConnection,
    timedOut: StatementTimedOut,
  ): Promise<boolean> {
    server.live.delete(dead);
    this.freeSlot(server);
    this.emit('connection-closed', {
      instance: server.instance,
      threadId: timedOut.threadId,
      reason: 'timeout',
    });
    let killed = false;
    let killError: unknown;
    try {
      await this.withSession(server.key, (s) => s.query(`KILL QUERY ${timedOut.threadId}`), {
        timeoutMs: this.options.connectTimeoutMs,
        priority: true,
      });
      killed = true;
    } catch (err) {
      killError = err;
    }
    this.emit('query-timeout', {
      instance: server.instance,
      threadId: timedOut.threadId,
      timeoutMs: timedOut.timeoutMs,
      killed,
      ...(killError === undefined ? {} : { killError }),
    });
    return killed;
  }
}
