import type { Clock } from '../common/clock.js';
import { instanceKey, type InstanceKey } from '../topology/index.js';
import { assertNonNegative } from './errors.js';
import { num, str, type At, type SqlDriver, type SqlRow } from './sql.js';

/** Another address of a known server, and the key the server is stored under. */
export interface InstanceAlias {
  readonly alias: InstanceKey;
  readonly canonical: InstanceKey;
  /** When discovery last confirmed that the alias reaches that server. */
  readonly seenAt: number;
}

const SELECT =
  'SELECT alias_host, alias_port, canonical_host, canonical_port, seen_at FROM instance_aliases';

/**
 * Names under which a known server is also reached (a link proxy, a DNS alias, a VIP, a
 * second port). Discovery writes a row when a probe of the alias answered with the identity
 * (server_id, server_uuid, report address) of a server already stored under another key, so
 * one server is never stored twice. At most one canonical key per alias; recording again
 * moves the alias and refreshes `seen_at`. Relaxed data: discovery relearns a lost row with
 * one probe. Keyed by the alias address, so replaying a write leaves the same row.
 */
export class InstanceAliasRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  /** Records (or moves, or refreshes) `alias` as another name of `canonical`. */
  async record(alias: InstanceKey, canonical: InstanceKey, options: At = {}): Promise<void> {
    const at = options.at ?? this.clock.now();
    const { sql, params } = this.driver.dialect.upsert({
      table: 'instance_aliases',
      columns: ['alias_host', 'alias_port', 'canonical_host', 'canonical_port', 'seen_at'],
      key: ['alias_host', 'alias_port'],
      rows: [[alias.host, alias.port, canonical.host, canonical.port, at]],
    });
    await this.driver.run(sql, params);
  }

  /** The canonical key `alias` names, or undefined when it is no known alias. */
  async canonicalOf(alias: InstanceKey): Promise<InstanceKey | undefined> {
    const rows = await this.driver.all(`${SELECT} WHERE alias_host = ? AND alias_port = ?`, [
      alias.host,
      alias.port,
    ]);
    return rows.map(decode)[0]?.canonical;
  }

  /** The aliases of `canonical`, in alias order. */
  async aliasesOf(canonical: InstanceKey): Promise<InstanceAlias[]> {
    const rows = await this.driver.all(
      `${SELECT} WHERE canonical_host = ? AND canonical_port = ? ORDER BY alias_host, alias_port`,
      [canonical.host, canonical.port],
    );
    return rows.map(decode);
  }

  /** Every alias, in alias order: what discovery loads at start. */
  async all(): Promise<InstanceAlias[]> {
    return (await this.driver.all(`${SELECT} ORDER BY alias_host, alias_port`)).map(decode);
  }

  /** Deletes one alias; false when there was none. */
  async forget(alias: InstanceKey): Promise<boolean> {
    const sql = 'DELETE FROM instance_aliases WHERE alias_host = ? AND alias_port = ?';
    return (await this.driver.run(sql, [alias.host, alias.port])).changes > 0;
  }

  /** Deletes every alias of `canonical` (the server was forgotten); returns how many. */
  async forgetCanonical(canonical: InstanceKey): Promise<number> {
    const sql = 'DELETE FROM instance_aliases WHERE canonical_host = ? AND canonical_port = ?';
    return (await this.driver.run(sql, [canonical.host, canonical.port])).changes;
  }

  /** Deletes aliases not confirmed for `maxAgeMs` at `now`; returns how many. */
  async forgetStale(maxAgeMs: number, now = this.clock.now()): Promise<number> {
    assertNonNegative('alias expiry (ms)', maxAgeMs);
    const sql = 'DELETE FROM instance_aliases WHERE seen_at < ?';
    return (await this.driver.run(sql, [now - maxAgeMs])).changes;
  }
}

function decode(row: SqlRow): InstanceAlias {
  return {
    alias: instanceKey(str(row['alias_host']), num(row['alias_port'])),
    canonical: instanceKey(str(row['canonical_host']), num(row['canonical_port'])),
    seenAt: num(row['seen_at']),
  };
}
