import type { Clock } from '../common/clock.js';
import type { InstanceKey } from '../topology/index.js';
import { assertNonNegative } from './errors.js';
import { decodeKey } from './instance-codec.js';
import { num, str, type SqlDriver, type SqlRow } from './sql.js';

/** A period in which analysis still reports an instance but no automated recovery touches it. */
export interface Downtime {
  readonly key: InstanceKey;
  readonly owner: string;
  readonly reason: string;
  readonly beginsAt: number;
  readonly endsAt: number;
}

export interface BeginDowntime {
  readonly key: InstanceKey;
  readonly owner: string;
  readonly reason: string;
  readonly durationMs: number;
  /** When it begins; default now. A replicated command passes its own time. */
  readonly at?: number;
}

const COLUMNS = 'host, port, owner, reason, begins_at, ends_at';

/**
 * Downtime per instance (orchestrator's `begin-downtime`/`end-downtime`). At most one per
 * instance: beginning again replaces it. Writes are durable and keyed by the instance, so
 * replaying one leaves the same row. Reads see only downtime not yet ended at `now`; the
 * caretaking loop calls `expire` to delete the ended ones.
 */
export class DowntimeRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  async begin(input: BeginDowntime): Promise<Downtime> {
    assertNonNegative('downtime duration (ms)', input.durationMs);
    const at = input.at ?? this.clock.now();
    const d: Downtime = {
      key: input.key,
      owner: input.owner,
      reason: input.reason,
      beginsAt: at,
      endsAt: at + input.durationMs,
    };
    const { sql, params } = this.driver.dialect.upsert({
      table: 'downtime',
      columns: COLUMNS.split(', '),
      key: ['host', 'port'],
      rows: [[d.key.host, d.key.port, d.owner, d.reason, d.beginsAt, d.endsAt]],
    });
    await this.driver.transaction((tx) => tx.run(sql, params), 'durable');
    return d;
  }

  /** Ends the instance's downtime; false when it had none. */
  async end(key: InstanceKey): Promise<boolean> {
    const sql = 'DELETE FROM downtime WHERE host = ? AND port = ?';
    const r = await this.driver.transaction((tx) => tx.run(sql, [key.host, key.port]), 'durable');
    return r.changes > 0;
  }

  /** The instance's downtime if it has not ended at `now`. */
  async get(key: InstanceKey, now = this.clock.now()): Promise<Downtime | undefined> {
    const rows = await this.driver.all(
      `SELECT ${COLUMNS} FROM downtime WHERE host = ? AND port = ? AND ends_at > ?`,
      [key.host, key.port, now],
    );
    return rows.map(decode)[0];
  }

  /** Every downtime not ended at `now`, in key order. */
  async listActive(now = this.clock.now()): Promise<Downtime[]> {
    const rows = await this.driver.all(
      `SELECT ${COLUMNS} FROM downtime WHERE ends_at > ? ORDER BY host, port`,
      [now],
    );
    return rows.map(decode);
  }

  /** Deletes downtime that ended at or before `now`; returns how many. */
  async expire(now = this.clock.now()): Promise<number> {
    return (await this.driver.run('DELETE FROM downtime WHERE ends_at <= ?', [now])).changes;
  }
}

function decode(row: SqlRow): Downtime {
  return {
    key: decodeKey(row),
    owner: str(row['owner']),
    reason: str(row['reason']),
    beginsAt: num(row['begins_at']),
    endsAt: num(row['ends_at']),
  };
}
