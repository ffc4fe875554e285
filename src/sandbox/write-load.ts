import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from 'mysql2/promise';
import { systemClock, type Clock } from '../common/clock.js';
import { describeError } from '../common/errors.js';
import { SandboxCode, SandboxError } from './errors.js';
import { SANDBOX_HOST } from './names.js';
import { connect, rows, WRITES_DATABASE, type Credentials } from './sql.js';

/**
 * A write load that proves what was acknowledged: each INSERT carries a client-chosen id, and
 * an id counts as acknowledged only when the server answered OK. Acknowledged ids are kept in
 * memory and appended to an ack file as they come, so `verifyWrites` can later prove that none
 * was lost (e.g. across a failover).
 *
 * When a write fails the load looks for the writable server among its targets (the primary
 * may have changed) and carries on. Outcomes are counted apart: `rejected` (the server said
 * no: nothing was written), `inDoubt` (the connection broke or timed out: the row may or may
 * not be there), `unavailable` (no writable server found: nothing was sent).
 */
export interface WriteTarget {
  readonly name: string;
  readonly port: number;
  readonly host?: string;
}

export interface WriteLoadOptions {
  /** The servers' public addresses; the load writes to whichever one is writable. */
  readonly targets: readonly WriteTarget[];
  /** An account without READ_ONLY ADMIN (the sandbox's `app`), so read_only=ON stops it. */
  readonly credentials: Credentials;
  /** Names the run's rows; default a fresh `YYYYMMDD-HHMMSS-xxxx`. */
  readonly run?: string;
  /** The table in orc_sandbox; default `writes`. Created when missing. */
  readonly table?: string;
  /** Writes per second (default 20); one at a time, so latency may lower it. */
  readonly ratePerSecond?: number;
  /** Appends every acknowledged id to `<ackDir>/<run>.acked` (with a `# run=… table=…` header). */
  readonly ackDir?: string;
  readonly queryTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly clock?: Clock;
}

export interface WriteCounts {
  readonly run: string;
  readonly table: string;
  readonly acked: number;
  readonly rejected: number;
  readonly inDoubt: number;
  readonly unavailable: number;
  /** The server written to now, or null. */
  readonly target: string | null;
  /** How often the load moved to another server. */
  readonly switches: number;
}

export interface WriteLoadEvents {
  target: [{ from: string | null; to: string }];
  failure: [{ id: number | null; target: string | null; outcome: Outcome; error: string }];
}

type Outcome = 'rejected' | 'inDoubt' | 'unavailable';

/** Checks a table name (it is spliced into SQL). */
export function checkTableName(table: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(table)) {
    throw new SandboxError(SandboxCode.BadOptions, `bad table name "${table}": use [A-Za-z0-9_]`);
  }
  return table;
}

/** A run names a file in D/writes and a column value: letters, digits, `-` and `_` only. */
export function checkRunName(run: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(run)) {
    throw new SandboxError(
      SandboxCode.BadOptions,
      `bad run name "${run}": use 1 to 64 letters, digits, "-" or "_"`,
    );
  }
  return run;
}

export class WriteLoad extends EventEmitter<WriteLoadEvents> {
  readonly run: string;
  readonly table: string;
  private readonly acked: number[] = [];
  private readonly tally = { rejected: 0, inDoubt: 0, unavailable: 0, switches: 0 };
  private conn: { target: WriteTarget; connection: Connection } | null = null;
  private current: string | null = null;
  private nextId = 1;
  private ackFd: number | null = null;
  private readonly abort = new AbortController();
  private readonly clock: Clock;
  private loop: Promise<void> = Promise.resolve();

  private constructor(private readonly options: WriteLoadOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.run = checkRunName(options.run ?? newRunName(this.clock.now()));
    this.table = checkTableName(options.table ?? 'writes');
    if (options.ackDir) {
      mkdirSync(options.ackDir, { recursive: true });
      this.ackFd = openAckFile(options.ackDir, this.run);
      writeSync(this.ackFd, `# run=${this.run} table=${this.table}\n`);
    }
  }

  /** Starts writing at once; call `stop` to end. */
  static start(options: WriteLoadOptions): WriteLoad {
    const load = new WriteLoad(options);
    load.loop = load.runLoop();
    return load;
  }

  counts(): WriteCounts {
    return {
      run: this.run,
      table: this.table,
      acked: this.acked.length,
      ...this.tally,
      target: this.current,
    };
  }

  /** Every acknowledged id, in order. */
  ackedIds(): readonly number[] {
    return this.acked;
  }

  /** Stops after the write in flight (whose outcome is counted) and returns the final counts. */
  async stop(): Promise<WriteCounts> {
    this.abort.abort();
    await this.loop;
    this.conn?.connection.destroy();
    this.conn = null;
    if (this.ackFd !== null) closeSync(this.ackFd);
    this.ackFd = null;
    return this.counts();
  }

  private async runLoop(): Promise<void> {
    const interval = 1000 / (this.options.ratePerSecond ?? 20);
    let next = this.clock.monotonic();
    while (!this.abort.signal.aborted) {
      await this.writeOne();
      next += interval;
      const wait = next - this.clock.monotonic();
      if (wait < -1000) next = this.clock.monotonic(); // fell behind: no catch-up burst
      if (wait > 0) await this.clock.sleep(wait, this.abort.signal).catch(() => undefined);
    }
  }

  private async writeOne(): Promise<void> {
    const conn = this.conn ?? (await this.findWritable());
    if (!conn) {
      this.fail(null, 'unavailable', 'no writable server among the targets');
      return;
    }
    const id = this.nextId++;
    try {
      await conn.connection.query({
        sql: `INSERT INTO ${WRITES_DATABASE}.${this.table} (run, id, server_id) VALUES (?, ?, @@server_id)`,
        values: [this.run, id],
        timeout: this.options.queryTimeoutMs ?? 2000,
      });
      this.acked.push(id);
      if (this.ackFd !== null) writeSync(this.ackFd, `${id}\n`);
    } catch (err) {
      this.drop();
      this.fail(id, isServerRefusal(err) ? 'rejected' : 'inDoubt', describeError(err));
    }
  }

  private fail(id: number | null, outcome: Outcome, error: string): void {
    this.tally[outcome]++;
    this.emit('failure', { id, target: this.current, outcome, error });
  }

  private drop(): void {
    this.conn?.connection.destroy();
    this.conn = null;
  }

  /** The first target (the current one first) that accepts a connection and is writable. */
  private async findWritable(): Promise<{ target: WriteTarget; connection: Connection } | null> {
    const targets = [...this.options.targets].sort(
      (a, b) => Number(b.name === this.current) - Number(a.name === this.current),
    );
    for (const target of targets) {
      if (this.abort.signal.aborted) return null;
      const connection = await connect(target.port, {
        host: target.host ?? SANDBOX_HOST,
        credentials: this.options.credentials,
        connectTimeoutMs: this.options.connectTimeoutMs ?? 1000,
      }).catch(() => null);
      if (!connection) continue;
      try {
        const [row] = await rows(connection, 'SELECT @@read_only AS ro');
        if (Number(row?.ro) !== 0) throw new Error('read-only');
        await connection.query(`CREATE DATABASE IF NOT EXISTS ${WRITES_DATABASE}`);
        await connection.query(createTable(this.table));
      } catch {
        connection.destroy();
        continue;
      }
      if (this.current !== target.name) {
        if (this.current !== null) this.tally.switches++;
        this.emit('target', { from: this.current, to: target.name });
        this.current = target.name;
      }
      this.conn = { target, connection };
      return this.conn;
    }
    return null;
  }
}

function createTable(table: string): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${WRITES_DATABASE}.${table} (run VARCHAR(64) NOT NULL, ` +
    'id BIGINT NOT NULL, server_id INT UNSIGNED NOT NULL, ' +
    'written_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), PRIMARY KEY (run, id))'
  );
}

/** Creates the run's ack file; a run that exists is refused (its ids would collide). */
function openAckFile(ackDir: string, run: string): number {
  try {
    return openSync(join(ackDir, `${run}.acked`), 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw new SandboxError(
      SandboxCode.BadOptions,
      `run "${run}" already exists in ${ackDir}: choose another --run, or omit it for a fresh name`,
    );
  }
}

/** A server's own "no" (an SQL error on a live connection): the row was not written. */
function isServerRefusal(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { sqlState?: unknown; fatal?: unknown };
  return typeof e.sqlState === 'string' && e.fatal !== true;
}

function newRunName(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
