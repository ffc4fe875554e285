import type { Clock } from '../common/clock.js';
import { num, str, type At, type SqlDriver, type SqlValue } from './sql.js';

export interface KvEntry {
  readonly key: string;
  readonly value: string;
  readonly updatedAt: number;
}

/**
 * orc's internal key-value store (orchestrator's `kv_store`): primary discovery entries such
 * as `mysql/master/<alias>`, written before any external store is told. Durable; keyed writes,
 * so replays change nothing.
 */
export class KvRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  async put(key: string, value: string, options: At = {}): Promise<void> {
    const at = options.at ?? this.clock.now();
    const { sql, params } = this.driver.dialect.upsert({
      table: 'kv_store',
      columns: ['kv_key', 'kv_value', 'updated_at'],
      key: ['kv_key'],
      rows: [[key, value, at]],
    });
    await this.driver.transaction((tx) => tx.run(sql, params), 'durable');
  }

  async get(key: string): Promise<KvEntry | undefined> {
    return (await this.select('WHERE kv_key = ?', [key]))[0];
  }

  /** false when the key was absent. */
  async delete(key: string): Promise<boolean> {
    const sql = 'DELETE FROM kv_store WHERE kv_key = ?';
    const r = await this.driver.transaction((tx) => tx.run(sql, [key]), 'durable');
    return r.changes > 0;
  }

  /** Entries whose key starts with `prefix` (all when ''), by key. */
  list(prefix = ''): Promise<KvEntry[]> {
    // SUBSTR rather than LIKE: SQLite's LIKE ignores case and MySQL's (binary collation) not.
    const length = [...prefix].length;
    return this.select('WHERE SUBSTR(kv_key, 1, ?) = ? ORDER BY kv_key', [length, prefix]);
  }

  private async select(tail: string, params: SqlValue[]): Promise<KvEntry[]> {
    const rows = await this.driver.all(
      `SELECT kv_key, kv_value, updated_at FROM kv_store ${tail}`,
      params,
    );
    return rows.map((r) => ({
      key: str(r['kv_key']),
      value: str(r['kv_value']),
      updatedAt: num(r['updated_at']),
    }));
  }
}
