import type { Clock } from '../common/clock.js';
import { assertNonNegative } from './errors.js';
import { num, str, type At, type SqlDriver, type SqlRow } from './sql.js';

/** A name and what it resolved (or unresolves) to, with the time it was recorded. */
export interface HostnameMapping {
  readonly hostname: string;
  readonly target: string;
  readonly at: number;
}

/**
 * Two name tables. The resolve cache (HostnameResolveMethod) keeps what each name resolved
 * to, so a restart need not resolve everything again; it is relaxed data, expired after
 * ExpiryHostnameResolvesMinutes. Unresolves (`register-hostname-unresolve`) map a real host
 * to the virtual name (VIP) that CHANGE MASTER TO should use instead; they are durable,
 * replicated decisions, expired unless registered again. All writes are keyed by name.
 */
export class HostnameRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  async putResolved(hostname: string, resolved: string, options: At = {}): Promise<void> {
    const at = options.at ?? this.clock.now();
    const { sql, params } = this.driver.dialect.upsert({
      table: 'hostname_resolve',
      columns: ['hostname', 'resolved', 'resolved_at'],
      key: ['hostname'],
      rows: [[hostname, resolved, at]],
    });
    await this.driver.run(sql, params);
  }

  async resolved(hostname: string): Promise<string | undefined> {
    const rows = await this.driver.all('SELECT resolved FROM hostname_resolve WHERE hostname = ?', [
      hostname,
    ]);
    const r = rows[0];
    return r === undefined ? undefined : str(r['resolved']);
  }

  /** The whole cache, to warm an in-memory one at start. */
  async allResolved(): Promise<HostnameMapping[]> {
    const rows = await this.driver.all(
      'SELECT hostname, resolved AS target, resolved_at AS at FROM hostname_resolve ' +
        'ORDER BY hostname',
    );
    return rows.map(decode);
  }

  /** Deletes cache entries older than `maxAgeMs`; returns how many. */
  async expireResolved(maxAgeMs: number, now = this.clock.now()): Promise<number> {
    assertNonNegative('resolve expiry (ms)', maxAgeMs);
    const sql = 'DELETE FROM hostname_resolve WHERE resolved_at < ?';
    return (await this.driver.run(sql, [now - maxAgeMs])).changes;
  }

  /** Empties the cache (`reset-hostname-resolve-cache`); returns how many entries went. */
  async clearResolved(): Promise<number> {
    return (await this.driver.run('DELETE FROM hostname_resolve')).changes;
  }

  async registerUnresolve(hostname: string, unresolved: string, options: At = {}): Promise<void> {
    const at = options.at ?? this.clock.now();
    const { sql, params } = this.driver.dialect.upsert({
      table: 'hostname_unresolve',
      columns: ['hostname', 'unresolved', 'registered_at'],
      key: ['hostname'],
      rows: [[hostname, unresolved, at]],
    });
    await this.driver.transaction((tx) => tx.run(sql, params), 'durable');
  }

  /** false when `hostname` had no unresolve. */
  async deregisterUnresolve(hostname: string): Promise<boolean> {
    const sql = 'DELETE FROM hostname_unresolve WHERE hostname = ?';
    const r = await this.driver.transaction((tx) => tx.run(sql, [hostname]), 'durable');
    return r.changes > 0;
  }

  async unresolved(hostname: string): Promise<string | undefined> {
    const rows = await this.driver.all(
      'SELECT unresolved FROM hostname_unresolve WHERE hostname = ?',
      [hostname],
    );
    const r = rows[0];
    return r === undefined ? undefined : str(r['unresolved']);
  }

  async allUnresolves(): Promise<HostnameMapping[]> {
    const rows = await this.driver.all(
      'SELECT hostname, unresolved AS target, registered_at AS at FROM hostname_unresolve ' +
        'ORDER BY hostname',
    );
    return rows.map(decode);
  }

  /** Deletes unresolves not registered again for `maxAgeMs`; returns how many. */
  async expireUnresolves(maxAgeMs: number, now = this.clock.now()): Promise<number> {
    assertNonNegative('unresolve expiry (ms)', maxAgeMs);
    const sql = 'DELETE FROM hostname_unresolve WHERE registered_at < ?';
    return (await this.driver.run(sql, [now - maxAgeMs])).changes;
  }
}

function decode(row: SqlRow): HostnameMapping {
  return { hostname: str(row['hostname']), target: str(row['target']), at: num(row['at']) };
}
