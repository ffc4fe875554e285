import type { Clock } from '../common/clock.js';
import { assertNonNegative } from './errors.js';
import { num, str, type At, type SqlDriver, type SqlExecutor } from './sql.js';

/** Where a cluster's effective alias comes from, strongest first. */
export type AliasSource = 'override' | 'detected' | 'name';

export interface ClusterAlias {
  readonly clusterName: string;
  readonly alias: string;
  readonly source: AliasSource;
}

export interface ClusterDomain {
  readonly clusterName: string;
  readonly domain: string;
  readonly registeredAt: number;
}

const ALIAS_UNION =
  "SELECT cluster_name, alias, 'override' AS source FROM cluster_alias_override " +
  "UNION ALL SELECT cluster_name, alias, 'detected' AS source FROM cluster_alias";

/**
 * What a cluster is called besides its primary's `host:port`: a detected alias
 * (DetectClusterAliasQuery or the name map, refreshed while the primary is polled), a manual
 * override (`set-cluster-alias`, which wins), and a domain (DetectClusterDomainQuery).
 *
 * Overrides are durable decisions, replicated by raft; detected aliases and domains are
 * relaxed caretaking data. Every write is keyed by cluster name. After a failover the
 * recovery calls `renameCluster` so that aliases follow the cluster to its new primary.
 */
export class ClusterNameRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  /**
   * Records a detected alias. An alias names one cluster: another cluster holding the same
   * detected alias (the old name of a failed-over cluster) loses it.
   */
  async setDetectedAlias(clusterName: string, alias: string, options: At = {}): Promise<void> {
    const at = options.at ?? this.clock.now();
    const { sql, params } = this.driver.dialect.upsert({
      table: 'cluster_alias',
      columns: ['cluster_name', 'alias', 'registered_at'],
      key: ['cluster_name'],
      rows: [[clusterName, alias, at]],
    });
    await this.driver.transaction(async (tx) => {
      await tx.run('DELETE FROM cluster_alias WHERE alias = ? AND cluster_name <> ?', [
        alias,
        clusterName,
      ]);
      await tx.run(sql, params);
    });
  }

  /** Sets the manual alias of a cluster (orchestrator's cluster_alias_override). */
  async setAliasOverride(clusterName: string, alias: string, options: At = {}): Promise<void> {
    const at = options.at ?? this.clock.now();
    const { sql, params } = this.driver.dialect.upsert({
      table: 'cluster_alias_override',
      columns: ['cluster_name', 'alias', 'set_at'],
      key: ['cluster_name'],
      rows: [[clusterName, alias, at]],
    });
    await this.driver.transaction((tx) => tx.run(sql, params), 'durable');
  }

  /** Removes the manual alias; false when there was none. */
  async removeAliasOverride(clusterName: string): Promise<boolean> {
    const sql = 'DELETE FROM cluster_alias_override WHERE cluster_name = ?';
    const r = await this.driver.transaction((tx) => tx.run(sql, [clusterName]), 'durable');
    return r.changes > 0;
  }

  /** The effective alias: the override, else the detected alias, else the name itself. */
  async aliasOf(clusterName: string): Promise<ClusterAlias> {
    const rows = await this.driver.all(
      `SELECT cluster_name, alias, source FROM (${ALIAS_UNION}) a WHERE cluster_name = ?`,
      [clusterName],
    );
    const pick = rows.find((r) => r['source'] === 'override') ?? rows[0];
    if (pick === undefined) return { clusterName, alias: clusterName, source: 'name' };
    return { clusterName, alias: str(pick['alias']), source: str(pick['source']) as AliasSource };
  }

  /** Every cluster with an alias, override first where both exist, by cluster name. */
  async aliases(): Promise<ClusterAlias[]> {
    const rows = await this.driver.all(`${ALIAS_UNION} ORDER BY cluster_name, source DESC`);
    const byCluster = new Map<string, ClusterAlias>();
    for (const r of rows) {
      const clusterName = str(r['cluster_name']);
      if (byCluster.has(clusterName)) continue;
      const source = str(r['source']) as AliasSource;
      byCluster.set(clusterName, { clusterName, alias: str(r['alias']), source });
    }
    return [...byCluster.values()];
  }

  /**
   * The cluster `alias` names: an override naming it wins over a detected alias, so that a
   * person can take an alias from a cluster whose servers still report it.
   */
  async clusterOfAlias(alias: string): Promise<string | undefined> {
    const rows = await this.driver.all(
      `SELECT cluster_name, source FROM (${ALIAS_UNION}) a WHERE alias = ? ` +
        'ORDER BY source DESC, cluster_name',
      [alias],
    );
    const first = rows[0];
    return first === undefined ? undefined : str(first['cluster_name']);
  }

  /** Deletes detected aliases not refreshed for `maxAgeMs`; returns how many. */
  async forgetStaleAliases(maxAgeMs: number, now = this.clock.now()): Promise<number> {
    assertNonNegative('alias expiry (ms)', maxAgeMs);
    const sql = 'DELETE FROM cluster_alias WHERE registered_at < ?';
    return (await this.driver.run(sql, [now - maxAgeMs])).changes;
  }

  async setDomain(clusterName: string, domain: string, options: At = {}): Promise<void> {
    const at = options.at ?? this.clock.now();
    const { sql, params } = this.driver.dialect.upsert({
      table: 'cluster_domain',
      columns: ['cluster_name', 'domain', 'registered_at'],
      key: ['cluster_name'],
      rows: [[clusterName, domain, at]],
    });
    await this.driver.run(sql, params);
  }

  async domainOf(clusterName: string): Promise<ClusterDomain | undefined> {
    const rows = await this.driver.all(
      'SELECT cluster_name, domain, registered_at FROM cluster_domain WHERE cluster_name = ?',
      [clusterName],
    );
    const r = rows[0];
    if (r === undefined) return undefined;
    return { clusterName, domain: str(r['domain']), registeredAt: num(r['registered_at']) };
  }

  /** Deletes domains not refreshed for `maxAgeMs`; returns how many. */
  async forgetStaleDomains(maxAgeMs: number, now = this.clock.now()): Promise<number> {
    assertNonNegative('domain expiry (ms)', maxAgeMs);
    const sql = 'DELETE FROM cluster_domain WHERE registered_at < ?';
    return (await this.driver.run(sql, [now - maxAgeMs])).changes;
  }

  /**
   * Moves the alias, override and domain of cluster `from` to `to` (after a failover renamed
   * the cluster), replacing what `to` had. Nothing happens for rows `from` lacks.
   */
  async renameCluster(from: string, to: string): Promise<void> {
    if (from === to) return;
    await this.driver.transaction(async (tx) => {
      for (const table of ['cluster_alias', 'cluster_alias_override', 'cluster_domain']) {
        await renameIn(tx, table, from, to);
      }
    }, 'durable');
  }
}

async function renameIn(tx: SqlExecutor, table: string, from: string, to: string) {
  const found = await tx.all(`SELECT 1 FROM ${table} WHERE cluster_name = ?`, [from]);
  if (found.length === 0) return;
  await tx.run(`DELETE FROM ${table} WHERE cluster_name = ?`, [to]);
  await tx.run(`UPDATE ${table} SET cluster_name = ? WHERE cluster_name = ?`, [to, from]);
}
