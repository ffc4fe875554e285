import type { Clock } from '../common/clock.js';
import { parsePromotionRule, type InstanceKey, type PromotionRule } from '../topology/index.js';
import { assertNonNegative } from './errors.js';
import { decodeKey } from './instance-codec.js';
import { num, str, type SqlDriver, type SqlRow } from './sql.js';

/** A promotion rule an operator (or DetectPromotionRuleQuery) registered for an instance. */
export interface Candidate {
  readonly key: InstanceKey;
  readonly promotionRule: PromotionRule;
  /** When it was last registered; registrations expire (CandidateInstanceExpireMinutes). */
  readonly suggestedAt: number;
}

const SELECT = 'SELECT host, port, promotion_rule, suggested_at FROM candidates';

/**
 * Registered promotion rules (orchestrator's `register-candidate`). Registering again
 * refreshes the rule and its time; operators re-register from cron, and `expire` drops the
 * ones not refreshed. Durable, keyed by instance: replaying a registration changes nothing.
 */
export class CandidateRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  async register(input: {
    key: InstanceKey;
    promotionRule: PromotionRule;
    at?: number;
  }): Promise<Candidate> {
    const c: Candidate = {
      key: input.key,
      promotionRule: input.promotionRule,
      suggestedAt: input.at ?? this.clock.now(),
    };
    const { sql, params } = this.driver.dialect.upsert({
      table: 'candidates',
      columns: ['host', 'port', 'promotion_rule', 'suggested_at'],
      key: ['host', 'port'],
      rows: [[c.key.host, c.key.port, c.promotionRule, c.suggestedAt]],
    });
    await this.driver.transaction((tx) => tx.run(sql, params), 'durable');
    return c;
  }

  async get(key: InstanceKey): Promise<Candidate | undefined> {
    const rows = await this.driver.all(`${SELECT} WHERE host = ? AND port = ?`, [
      key.host,
      key.port,
    ]);
    return rows.map(decode)[0];
  }

  /** Every registration, in key order. */
  async list(): Promise<Candidate[]> {
    return (await this.driver.all(`${SELECT} ORDER BY host, port`)).map(decode);
  }

  /** Deletes registrations older than `maxAgeMs` at `now`; returns how many. */
  async expire(maxAgeMs: number, now = this.clock.now()): Promise<number> {
    assertNonNegative('candidate expiry (ms)', maxAgeMs);
    const sql = 'DELETE FROM candidates WHERE suggested_at < ?';
    return (await this.driver.run(sql, [now - maxAgeMs])).changes;
  }
}

function decode(row: SqlRow): Candidate {
  return {
    key: decodeKey(row),
    promotionRule: parsePromotionRule(str(row['promotion_rule'])),
    suggestedAt: num(row['suggested_at']),
  };
}
