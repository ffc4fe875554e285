import { randomUUID } from 'node:crypto';
import type { Clock } from '../common/clock.js';
import { formatInstanceKey, type InstanceKey } from '../topology/index.js';
import { assertNonNegative, BackendCode, BackendError } from './errors.js';
import { decodeKey } from './instance-codec.js';
import { num, str, type SqlDriver, type SqlExecutor, type SqlRow } from './sql.js';

/** The orc process that holds a lock: its host name and per-process token. */
export interface NodeIdentity {
  readonly hostname: string;
  readonly token: string;
}

/** An exclusive claim on one instance, taken by an operation or a person. */
export interface MaintenanceLock {
  readonly id: string;
  readonly key: InstanceKey;
  readonly owner: string;
  readonly reason: string;
  readonly node: NodeIdentity;
  readonly beginsAt: number;
  readonly endsAt: number;
}

export interface BeginMaintenance {
  readonly key: InstanceKey;
  readonly owner: string;
  readonly reason: string;
  readonly durationMs: number;
  readonly node: NodeIdentity;
  /** The lock's id; default a new UUID. Replaying a begin with the same id succeeds. */
  readonly id?: string;
  readonly at?: number;
}

const COLUMNS = [
  'host',
  'port',
  'id',
  'owner',
  'reason',
  'node_hostname',
  'node_token',
  'begins_at',
  'ends_at',
];
const SELECT = `SELECT ${COLUMNS.join(', ')} FROM maintenance`;

/**
 * Maintenance locks (orchestrator's `begin-maintenance`): at most one holder per instance.
 * Refactoring operations take one before touching a server; instances under maintenance are
 * left out of analysis. A lock past its end counts as free and is taken over by the next
 * `begin`. The id is made by the caller's side, so a replayed begin finds its own row
 * instead of failing, and a replayed end deletes nothing more.
 */
export class MaintenanceRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  /**
   * Takes the lock, or throws MAINTENANCE_HELD naming the current holder when someone else
   * holds a lock that has not ended.
   */
  async begin(input: BeginMaintenance): Promise<MaintenanceLock> {
    assertNonNegative('maintenance duration (ms)', input.durationMs);
    const at = input.at ?? this.clock.now();
    const lock: MaintenanceLock = {
      id: input.id ?? randomUUID(),
      key: input.key,
      owner: input.owner,
      reason: input.reason,
      node: input.node,
      beginsAt: at,
      endsAt: at + input.durationMs,
    };
    const holder = await this.driver.transaction((tx) => this.claim(tx, lock), 'durable');
    if (holder?.id === lock.id) return holder;
    const shown = formatInstanceKey(input.key);
    throw new BackendError(
      BackendCode.MaintenanceHeld,
      `cannot begin maintenance on ${shown}: already under maintenance by ` +
        `"${holder?.owner ?? '?'}" until ${new Date(holder?.endsAt ?? 0).toISOString()} ` +
        `(reason "${holder?.reason ?? ''}", lock ${holder?.id ?? '?'})`,
      { context: { instance: shown, holder } },
    );
  }

  /** Ends the lock on `key`, whoever holds it; false when there was none. */
  endByKey(key: InstanceKey): Promise<boolean> {
    return this.remove('host = ? AND port = ?', [key.host, key.port]);
  }

  /** Ends the lock with this id; false when there is none (ended, expired, or taken over). */
  endById(id: string): Promise<boolean> {
    return this.remove('id = ?', [id]);
  }

  /** The lock on `key` if it has not ended at `now`. */
  async get(key: InstanceKey, now = this.clock.now()): Promise<MaintenanceLock | undefined> {
    const rows = await this.driver.all(`${SELECT} WHERE host = ? AND port = ? AND ends_at > ?`, [
      key.host,
      key.port,
      now,
    ]);
    return rows.map(decode)[0];
  }

  /** Every lock not ended at `now`, in key order. */
  async listActive(now = this.clock.now()): Promise<MaintenanceLock[]> {
    const rows = await this.driver.all(`${SELECT} WHERE ends_at > ? ORDER BY host, port`, [now]);
    return rows.map(decode);
  }

  /** Deletes locks that ended at or before `now`; returns how many. */
  async expire(now = this.clock.now()): Promise<number> {
    return (await this.driver.run('DELETE FROM maintenance WHERE ends_at <= ?', [now])).changes;
  }

  /** Insert if free, else take over an ended lock; returns whoever holds it afterwards. */
  private async claim(tx: SqlExecutor, l: MaintenanceLock): Promise<MaintenanceLock | undefined> {
    const values = [
      l.key.host,
      l.key.port,
      l.id,
      l.owner,
      l.reason,
      l.node.hostname,
      l.node.token,
      l.beginsAt,
      l.endsAt,
    ];
    const insert = this.driver.dialect.upsert({
      table: 'maintenance',
      columns: COLUMNS,
      key: ['host', 'port'],
      update: [],
      rows: [values],
    });
    await tx.run(insert.sql, insert.params);
    await tx.run(
      'UPDATE maintenance SET id = ?, owner = ?, reason = ?, node_hostname = ?, ' +
        'node_token = ?, begins_at = ?, ends_at = ? ' +
        'WHERE host = ? AND port = ? AND ends_at <= ? AND id <> ?',
      [...values.slice(2), l.key.host, l.key.port, l.beginsAt, l.id],
    );
    const rows = await tx.all(`${SELECT} WHERE host = ? AND port = ?`, [l.key.host, l.key.port]);
    return rows.map(decode)[0];
  }

  private async remove(where: string, params: (string | number)[]): Promise<boolean> {
    const sql = `DELETE FROM maintenance WHERE ${where}`;
    const r = await this.driver.transaction((tx) => tx.run(sql, params), 'durable');
    return r.changes > 0;
  }
}

function decode(row: SqlRow): MaintenanceLock {
  return {
    id: str(row['id']),
    key: decodeKey(row),
    owner: str(row['owner']),
    reason: str(row['reason']),
    node: { hostname: str(row['node_hostname']), token: str(row['node_token']) },
    beginsAt: num(row['begins_at']),
    endsAt: num(row['ends_at']),
  };
}
