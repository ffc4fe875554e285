import type { Clock } from '../common/clock.js';
import { num, type SqlDriver } from './sql.js';

/**
 * The global switch for automated recoveries (orchestrator's `disable-global-recoveries`):
 * a row with anchor = 1 exists while recoveries are disabled. Durable; disabling twice keeps
 * the first time, enabling twice deletes nothing more.
 */
export class RecoverySwitchRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  async disable(at = this.clock.now()): Promise<void> {
    const { sql, params } = this.driver.dialect.upsert({
      table: 'global_recovery_disable',
      columns: ['anchor', 'disabled_at'],
      key: ['anchor'],
      update: [],
      rows: [[1, at]],
    });
    await this.driver.transaction((tx) => tx.run(sql, params), 'durable');
  }

  async enable(): Promise<void> {
    const sql = 'DELETE FROM global_recovery_disable WHERE anchor = 1';
    await this.driver.transaction((tx) => tx.run(sql), 'durable');
  }

  /** When recoveries were disabled, or undefined while they are enabled. */
  async disabledSince(): Promise<number | undefined> {
    const rows = await this.driver.all(
      'SELECT disabled_at FROM global_recovery_disable WHERE anchor = 1',
    );
    const r = rows[0];
    return r === undefined ? undefined : num(r['disabled_at']);
  }

  async isDisabled(): Promise<boolean> {
    return (await this.disabledSince()) !== undefined;
  }
}
