import type { Clock } from '../common/clock.js';
import type { InstanceKey } from '../topology/index.js';
import { assertNonNegative } from './errors.js';
import { decodeKey } from './instance-codec.js';
import { num, str, type SqlDriver, type SqlRow, type SqlValue } from './sql.js';

export interface AnalysisChange {
  readonly key: InstanceKey;
  /** The analysis code (`DeadMaster`, `NoProblem`, …) as analysis/ names it. */
  readonly analysis: string;
  readonly at: number;
}

/**
 * The latest analysis code per instance and a log of its changes (orchestrator's
 * `database_instance_last_analysis` and `_analysis_changelog`), for `/api/analysis-changelog`
 * and for telling a new problem from a persisting one. A change row is keyed by instance and
 * time, so recording the same change twice leaves one row. Relaxed data.
 */
export class AnalysisChangelogRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  /** Stores `analysis` as the instance's latest; logs it when it differs. True when logged. */
  async record(input: { key: InstanceKey; analysis: string; at?: number }): Promise<boolean> {
    const at = input.at ?? this.clock.now();
    const { host, port } = input.key;
    const d = this.driver.dialect;
    const last = d.upsert({
      table: 'last_analysis',
      columns: ['host', 'port', 'analysis', 'analyzed_at'],
      key: ['host', 'port'],
      rows: [[host, port, input.analysis, at]],
    });
    const change = d.upsert({
      table: 'analysis_changelog',
      columns: ['host', 'port', 'analyzed_at', 'analysis'],
      key: ['host', 'port', 'analyzed_at'],
      update: [],
      rows: [[host, port, at, input.analysis]],
    });
    return this.driver.transaction(async (tx) => {
      const rows = await tx.all('SELECT analysis FROM last_analysis WHERE host = ? AND port = ?', [
        host,
        port,
      ]);
      const previous = rows[0] === undefined ? undefined : str(rows[0]['analysis']);
      if (previous === input.analysis) return false;
      await tx.run(last.sql, last.params);
      await tx.run(change.sql, change.params);
      return true;
    });
  }

  /** The instance's latest recorded analysis. */
  async last(key: InstanceKey): Promise<AnalysisChange | undefined> {
    const rows = await this.driver.all(
      'SELECT host, port, analysis, analyzed_at FROM last_analysis WHERE host = ? AND port = ?',
      [key.host, key.port],
    );
    return rows.map(decode)[0];
  }

  /** Changes newest first, optionally of one instance; at most `limit` (default 100). */
  async changes(options: { key?: InstanceKey; limit?: number } = {}): Promise<AnalysisChange[]> {
    const params: SqlValue[] = [];
    let where = '';
    if (options.key !== undefined) {
      where = 'WHERE host = ? AND port = ? ';
      params.push(options.key.host, options.key.port);
    }
    const rows = await this.driver.all(
      'SELECT host, port, analysis, analyzed_at FROM analysis_changelog ' +
        `${where}ORDER BY analyzed_at DESC, host, port LIMIT ?`,
      [...params, Math.max(0, Math.floor(options.limit ?? 100))],
    );
    return rows.map(decode);
  }

  /** Deletes changes older than `maxAgeMs`; returns how many. */
  async expire(maxAgeMs: number, now = this.clock.now()): Promise<number> {
    assertNonNegative('changelog retention (ms)', maxAgeMs);
    const sql = 'DELETE FROM analysis_changelog WHERE analyzed_at < ?';
    return (await this.driver.run(sql, [now - maxAgeMs])).changes;
  }
}

function decode(row: SqlRow): AnalysisChange {
  return { key: decodeKey(row), analysis: str(row['analysis']), at: num(row['analyzed_at']) };
}
