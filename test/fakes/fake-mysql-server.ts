import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import mysql from 'mysql2';
import {
  answerStatement,
  normalise,
  splitStatements,
  type Answer,
  type AnswerContext,
  type Column,
} from './fake-mysql-answers.js';
import type { FakeFacts } from './fake-mysql-facts.js';
import {
  fixtureOf,
  isMariaDbFlavor,
  type FakeFlavor,
  type Fixture,
} from './fake-mysql-fixtures.js';

/**
 * A fake MySQL or MariaDB server on loopback, built on mysql2's server mode, that answers the
 * probe's statements with the recorded outputs of its flavor (fake-mysql-fixtures.ts) filled
 * from configurable facts. It checks the password (mysql_native_password), answers several
 * statements per round trip, sleeps on `SELECT SLEEP(n)` until killed by `KILL QUERY`, can
 * delay every answer, and can refuse connections the way real servers do (1040, 1045, 1129).
 * For tests and the discovery benchmark; never a place for logic under test.
 */
export type Refusal = 'too-many-connections' | 'access-denied' | 'host-blocked';

export interface FakeServerOptions {
  readonly flavor: FakeFlavor;
  readonly facts: FakeFacts;
  /** Loopback only; default 127.0.0.1. */
  readonly host?: string;
  /** 0 (default) lets the system choose. */
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  /** Added before every answer (one round trip). */
  readonly latencyMs?: number;
  readonly refuse?: Refusal | undefined;
  /** Connections beyond this get 1040, as with max_connections. */
  readonly maxConnections?: number;
  /** Statements (upper case, single-spaced) answered with this error instead (e.g. 1227). */
  readonly failures?: Readonly<Record<string, { errno: number; message: string }>>;
  /** Variables of the fixture this server lacks (an older release): 1193 when asked. */
  readonly hiddenVariables?: readonly string[];
}

export interface FakeServerStats {
  accepted: number;
  open: number;
  maxOpen: number;
  roundTrips: number;
  statements: number;
  /** Thread ids named by KILL / KILL QUERY, in order. */
  killed: number[];
  /** Every distinct statement received (upper case, single-spaced). */
  seen: Set<string>;
}

/** The parts of mysql2's server-side connection the fake uses (not all are typed). */
interface WireConnection {
  stream: Socket;
  sequenceId: number;
  write: (buffer: Buffer) => void;
  serverHandshake(args: Record<string, unknown>): void;
  writeColumns(columns: Record<string, unknown>[]): void;
  writeTextRow(values: unknown[]): void;
  writeEof(warnings?: number, statusFlags?: number): void;
  writeOk(args?: { serverStatus?: number }): void;
  writeError(args: { code: number; message: string }): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
}

interface Client {
  readonly id: number;
  readonly wire: WireConnection;
  sleeping: (() => void) | undefined;
  /** The socket closed; the thread lives on while a statement runs, as in a real server. */
  closed: boolean;
}

const AUTOCOMMIT = 0x0002;
const MORE_RESULTS = 0x0008;
const TEXT = 253;
const LONGLONG = 8;
const UTF8MB4 = 45;
/** Cached answers are recomputed after this long when Uptime is the real one. */
const CACHE_MS = 1000;

function sha1(...parts: Buffer[]): Buffer {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** mysql_native_password: token = SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))). */
function tokenMatches(password: string, scramble: Buffer, token: Buffer): boolean {
  if (password === '') return token.length === 0;
  const stage1 = sha1(Buffer.from(password));
  const mask = sha1(scramble, sha1(stage1));
  const expected = Buffer.from(stage1.map((b, i) => b ^ (mask[i] ?? 0)));
  return token.length === expected.length && timingSafeEqual(token, expected);
}

function columnDefinition(c: Column): Record<string, unknown> {
  return {
    catalog: 'def',
    schema: '',
    table: '',
    orgTable: '',
    name: c.name,
    orgName: c.name,
    characterSet: UTF8MB4,
    columnLength: c.numeric ? 21 : 1024,
    columnType: c.numeric ? LONGLONG : TEXT,
    flags: 0,
    decimals: 0,
  };
}

export class FakeMysqlServer {
  readonly stats: FakeServerStats = {
    accepted: 0,
    open: 0,
    maxOpen: 0,
    roundTrips: 0,
    statements: 0,
    killed: [],
    seen: new Set(),
  };
  private readonly clients = new Map<number, Client>();
  /** Encoded answers by statement text: every probe of a server sends the same text. */
  private readonly cache = new Map<string, { at: number; bytes: Buffer }>();
  private readonly startedAt = Date.now();
  private readonly fixture: Fixture;
  private nextId = 100;
  private port_ = 0;

  private constructor(
    private readonly server: ReturnType<typeof mysql.createServer>,
    private options: FakeServerOptions & { host: string },
  ) {
    this.fixture = fixtureOf(options.flavor);
  }

  /** Listens and resolves once the port is bound. */
  static async start(options: FakeServerOptions): Promise<FakeMysqlServer> {
    const host = options.host ?? '127.0.0.1';
    if (!host.startsWith('127.')) throw new Error(`fake servers bind to loopback, not ${host}`);
    const holder: { fake?: FakeMysqlServer } = {};
    const server = mysql.createServer((conn) =>
      holder.fake?.accept(conn as unknown as WireConnection),
    );
    const fake = new FakeMysqlServer(server, { ...options, host });
    holder.fake = fake;
    const net = (server as unknown as { _server: NetServer })._server;
    await new Promise<void>((resolve, reject) => {
      net.once('error', reject);
      net.listen({ host, port: options.port ?? 0 }, () => resolve());
    });
    fake.port_ = (net.address() as AddressInfo).port;
    return fake;
  }

  get host(): string {
    return this.options.host;
  }

  get port(): number {
    return this.port_;
  }

  get facts(): FakeFacts {
    return this.options.facts;
  }

  /** Replaces some facts; the next answers use them. */
  update(facts: Partial<FakeFacts>): void {
    this.cache.clear();
    this.options = { ...this.options, facts: { ...this.options.facts, ...facts } };
  }

  setLatency(ms: number): void {
    this.options = { ...this.options, latencyMs: ms };
  }

  setRefusal(refuse: Refusal | undefined): void {
    this.options = { ...this.options, refuse };
  }

  /** Closes every client connection, as a server restart would (the port stays open). */
  dropClients(): void {
    for (const c of this.clients.values()) c.wire.stream.destroy();
  }

  /** Stops listening and drops every client. */
  async close(): Promise<void> {
    for (const c of this.clients.values()) {
      c.sleeping?.();
      c.wire.stream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(wire: WireConnection): void {
    this.stats.accepted++;
    wire.stream.setNoDelay(true);
    wire.on('error', () => undefined);
    const { refuse, maxConnections } = this.options;
    if (refuse === 'too-many-connections' || this.stats.open >= (maxConnections ?? Infinity)) {
      this.refuseNow(wire, 1040, 'Too many connections');
      return;
    }
    if (refuse === 'host-blocked') {
      const tool = isMariaDbFlavor(this.options.flavor) ? 'mariadb-admin' : 'mysqladmin';
      const message =
        `Host '127.0.0.1' is blocked because of many connection errors; ` +
        `unblock with '${tool} flush-hosts'`;
      this.refuseNow(wire, 1129, message);
      return;
    }
    const client: Client = { id: this.nextId++, wire, sleeping: undefined, closed: false };
    this.track(client);
    wire.serverHandshake({
      protocolVersion: 10,
      serverVersion: this.fixture.handshakeVersion ?? this.fixture.version,
      connectionId: client.id,
      statusFlags: AUTOCOMMIT,
      characterSet: UTF8MB4,
      capabilityFlags: 0xffffff,
      authCallback: (
        params: {
          user: string;
          authPluginData1: Buffer;
          authPluginData2: Buffer;
          authToken: Buffer;
        },
        cb: (err: null, refusal?: { code: number; message: string }) => void,
      ) => {
        cb(null, this.checkLogin(params));
        wire.sequenceId = 0;
      },
    });
    const onQuery = (sql: unknown) => void this.respond(client, String(sql));
    wire.on('query', onQuery);
    wire.on('stmt_prepare', onQuery);
  }

  private refuseNow(wire: WireConnection, code: number, message: string): void {
    wire.writeError({ code, message });
    wire.stream.end();
  }

  private track(client: Client): void {
    this.clients.set(client.id, client);
    this.stats.open++;
    this.stats.maxOpen = Math.max(this.stats.maxOpen, this.stats.open);
    client.wire.stream.once('close', () => {
      client.closed = true;
      if (client.sleeping === undefined) this.forget(client);
    });
  }

  private forget(client: Client): void {
    if (this.clients.delete(client.id)) this.stats.open--;
  }

  private checkLogin(p: {
    user: string;
    authPluginData1: Buffer;
    authPluginData2: Buffer;
    authToken: Buffer;
  }): { code: number; message: string } | undefined {
    const user = this.options.user ?? 'orc';
    const scramble = Buffer.concat([p.authPluginData1, p.authPluginData2]);
    const ok =
      this.options.refuse !== 'access-denied' &&
      p.user === user &&
      tokenMatches(this.options.password ?? 'orc', scramble, p.authToken);
    if (ok) return undefined;
    const using = p.authToken.length > 0 ? 'YES' : 'NO';
    return {
      code: 1045,
      message: `Access denied for user '${p.user}'@'127.0.0.1' (using password: ${using})`,
    };
  }

  private async respond(client: Client, text: string): Promise<void> {
    this.stats.roundTrips++;
    const latency = this.options.latencyMs ?? 0;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    const cached = this.cache.get(text);
    const fresh =
      this.options.facts.uptime !== undefined || Date.now() - (cached?.at ?? 0) < CACHE_MS;
    if (cached !== undefined && fresh) {
      this.stats.statements += splitStatements(text).length;
      if (!client.wire.stream.destroyed) client.wire.stream.write(cached.bytes);
      client.wire.sequenceId = 0;
      return;
    }
    const ctx: AnswerContext = {
      flavor: this.options.flavor,
      fixture: this.fixture,
      facts: this.options.facts,
      startedAt: this.startedAt,
      ...(this.options.failures ? { failures: this.options.failures } : {}),
      ...(this.options.hiddenVariables ? { hiddenVariables: this.options.hiddenVariables } : {}),
    };
    const answers: Answer[] = [];
    let cacheable = true;
    for (const sql of splitStatements(text)) {
      this.stats.statements++;
      this.stats.seen.add(normalise(sql));
      const answer = answerStatement(ctx, sql);
      cacheable &&= answer.kind !== 'sleep' && answer.kind !== 'kill';
      answers.push(answer.kind === 'sleep' ? await this.sleep(client, answer.seconds) : answer);
      if (answer.kind === 'error') break;
    }
    const written = this.write(
      client.wire,
      answers.map((a) => (a.kind === 'kill' ? this.kill(a) : a)),
    );
    if (cacheable) this.cache.set(text, { at: Date.now(), bytes: written });
  }

  private sleep(client: Client, seconds: number): Promise<Answer> {
    return new Promise((resolve) => {
      const done = (interrupted: boolean) => {
        clearTimeout(timer);
        client.sleeping = undefined;
        if (client.closed) this.forget(client);
        const columns = [{ name: `SLEEP(${seconds})`, numeric: true }];
        resolve({ kind: 'rows', columns, rows: [[interrupted ? 1 : 0]] });
      };
      const timer = setTimeout(() => done(false), seconds * 1000);
      client.sleeping = () => done(true);
    });
  }

  private kill(a: Extract<Answer, { kind: 'kill' }>): Answer {
    this.stats.killed.push(a.threadId);
    const target = this.clients.get(a.threadId);
    if (!target) return { kind: 'error', errno: 1094, message: `Unknown thread id: ${a.threadId}` };
    target.sleeping?.();
    if (!a.queryOnly) target.wire.stream.destroy();
    return { kind: 'ok' };
  }

  /**
   * Writes every answer, flagging all but the last with "more results"; stops at an error.
   * Returns the bytes written (sequence ids start at 1 for every command, so they can be
   * sent again as they are).
   */
  private write(wire: WireConnection, answers: readonly Answer[]): Buffer {
    const chunks: Buffer[] = [];
    const send = wire.write;
    wire.write = (buffer: Buffer) => {
      chunks.push(Buffer.from(buffer));
      if (!wire.stream.destroyed) send.call(wire, buffer);
    };
    wire.stream.cork();
    try {
      answers.forEach((a, i) => {
        const status = AUTOCOMMIT | (i < answers.length - 1 ? MORE_RESULTS : 0);
        if (a.kind === 'error') wire.writeError({ code: a.errno, message: a.message });
        else if (a.kind === 'rows') {
          wire.writeColumns(a.columns.map(columnDefinition));
          for (const row of a.rows) wire.writeTextRow(row.map((v) => (v === undefined ? null : v)));
          wire.writeEof(0, status);
        } else wire.writeOk({ serverStatus: status });
      });
    } finally {
      wire.write = send;
      wire.sequenceId = 0;
      process.nextTick(() => wire.stream.uncork());
    }
    return Buffer.concat(chunks);
  }
}
