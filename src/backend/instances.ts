import type { Clock } from '../common/clock.js';
import {
  compareInstanceKeys,
  instanceKeyId,
  type Instance,
  type InstanceKey,
} from '../topology/index.js';
import { assertNonNegative } from './errors.js';
import {
  decodeInstance,
  encodeInstance,
  INSTANCE_COLUMNS,
  INSTANCE_SELECT,
} from './instance-codec.js';
import { containsPattern, runDurably, type SqlDriver, type SqlExecutor } from './sql.js';

/** A probe that failed: when, and whether its first query had answered. */
export interface ProbeFailure {
  readonly key: InstanceKey;
  readonly at: number;
  readonly partialSuccess?: boolean;
}

/** What one `writeProbeResults` call carries: full rows and failure marks. */
export interface ProbeResults {
  readonly upserts: readonly Instance[];
  readonly failures: readonly ProbeFailure[];
}

/** Rows per INSERT statement; a larger batch is split, still inside one transaction. */
const UPSERT_CHUNK = 200;
const HOUR_MS = 3_600_000;

const FAILURE_UPDATE =
  'UPDATE instances SET last_attempted_at = ?, last_checked_at = ?, partial_success = ?, ' +
  'is_last_check_valid = CASE WHEN last_seen_at IS NOT NULL AND last_seen_at >= ? ' +
  'THEN 1 ELSE 0 END WHERE host = ? AND port = ?';

/**
 * The `instances` table: what discovery learnt about each server, one row per key.
 *
 * Discovery writes through an InstanceWriteBuffer (batched, coalesced); analysis reads
 * snapshots with `all()`; the API reads one, a cluster, or a search. Every write is keyed by
 * (host, port), so replaying it leaves the same row. Instance rows are relaxed data (see
 * `Durability`): a lost write is repaired by the next poll. Forgetting is a decision and is
 * durable. In raft mode each node writes its own probe results here; `forget*` arrive through
 * the consensus applier.
 */
export class InstanceRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  /** Inserts or replaces the rows of `batch` in one transaction; an empty batch is a no-op. */
  upsertInstances(batch: readonly Instance[]): Promise<void> {
    return this.writeProbeResults({ upserts: batch, failures: [] });
  }

  /**
   * Writes full rows and failure marks in one transaction. Rows are written in key order, so
   * that concurrent writers lock rows in the same order on MySQL.
   */
  async writeProbeResults(results: ProbeResults): Promise<void> {
    if (results.upserts.length === 0 && results.failures.length === 0) return;
    const rows = lastPerKey(results.upserts).sort((a, b) => compareInstanceKeys(a.key, b.key));
    await this.driver.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
        await this.upsertChunk(tx, rows.slice(i, i + UPSERT_CHUNK));
      }
      for (const f of results.failures) await markFailure(tx, f);
    });
  }

  /**
   * Records a failed probe: last_attempted and last_checked move to `at` (default now),
   * last_seen stays, so the check reads as invalid. Returns false when the key is unknown
   * (nothing is written for a server never stored).
   */
  async recordProbeFailure(
    key: InstanceKey,
    options: { at?: number; partialSuccess?: boolean } = {},
  ): Promise<boolean> {
    const at = options.at ?? this.clock.now();
    const failure: ProbeFailure = { key, at, partialSuccess: options.partialSuccess ?? false };
    return (await markFailure(this.driver, failure)) > 0;
  }

  async get(key: InstanceKey): Promise<Instance | undefined> {
    const rows = await this.select('WHERE host = ? AND port = ?', [key.host, key.port]);
    return rows[0];
  }

  /** The instances whose cluster name is `clusterName`, in key order. */
  byCluster(clusterName: string): Promise<Instance[]> {
    return this.select('WHERE cluster_name = ? ORDER BY host, port', [clusterName]);
  }

  /** Every instance, in key order: the snapshot analysis works on. */
  all(): Promise<Instance[]> {
    return this.select('ORDER BY host, port', []);
  }

  /** The instances replicating (through their topology connection) from `key`. */
  replicasOf(key: InstanceKey): Promise<Instance[]> {
    return this.select('WHERE source_host = ? AND source_port = ? ORDER BY host, port', [
      key.host,
      key.port,
    ]);
  }

  /** Instances at depth 0: each cluster's primary (both co-primaries) and servers with no source. */
  primaries(): Promise<Instance[]> {
    return this.select('WHERE depth = 0 ORDER BY host, port', []);
  }

  /**
   * orchestrator's `search`: instances whose host, `host:port`, version or alias contains
   * `text`, ignoring case. At most `limit` (default 100), in key order.
   */
  search(text: string, limit = 100): Promise<Instance[]> {
    const pattern = containsPattern(text.trim().toLowerCase());
    const hostPort = this.driver.dialect.concat('host', "':'", 'port');
    const fields = ['host', hostPort, 'version', 'alias'];
    const where = fields.map((f) => `LOWER(${f}) LIKE ? ESCAPE '!'`).join(' OR ');
    return this.select(`WHERE ${where} ORDER BY host, port LIMIT ?`, [
      ...fields.map(() => pattern),
      Math.max(0, Math.floor(limit)),
    ]);
  }

  /** Deletes the row of `key`; false when there was none. */
  async forget(key: InstanceKey): Promise<boolean> {
    const sql = 'DELETE FROM instances WHERE host = ? AND port = ?';
    return (await runDurably(this.driver, sql, [key.host, key.port])).changes > 0;
  }

  /** Deletes every instance of the cluster; returns how many. */
  async forgetCluster(clusterName: string): Promise<number> {
    const sql = 'DELETE FROM instances WHERE cluster_name = ?';
    return (await runDurably(this.driver, sql, [clusterName])).changes;
  }

  /**
   * Deletes instances not seen for `hours` (orchestrator's UnseenInstanceForgetHours),
   * counting a never-seen instance from its last check. Returns how many.
   */
  async forgetUnseen(hours: number, now = this.clock.now()): Promise<number> {
    assertNonNegative('hours', hours);
    const cutoff = now - hours * HOUR_MS;
    const sql = 'DELETE FROM instances WHERE COALESCE(last_seen_at, last_checked_at, 0) < ?';
    return (await this.driver.run(sql, [cutoff])).changes;
  }

  private async upsertChunk(tx: SqlExecutor, chunk: readonly Instance[]): Promise<void> {
    const { sql, params } = this.driver.dialect.upsert({
      table: 'instances',
      columns: INSTANCE_COLUMNS,
      key: ['host', 'port'],
      rows: chunk.map(encodeInstance),
    });
    await tx.run(sql, params);
  }

  private async select(tail: string, params: (string | number)[]): Promise<Instance[]> {
    const rows = await this.driver.all(`${INSTANCE_SELECT} ${tail}`, params);
    return rows.map(decodeInstance);
  }
}

/** One instance per key, the last given: a statement must not write one row twice. */
function lastPerKey(batch: readonly Instance[]): Instance[] {
  const byKey = new Map<string, Instance>();
  for (const i of batch) byKey.set(instanceKeyId(i.key), i);
  return [...byKey.values()];
}

async function markFailure(exec: SqlExecutor, f: ProbeFailure): Promise<number> {
  const params = [f.at, f.at, f.partialSuccess ? 1 : 0, f.at, f.key.host, f.key.port];
  return (await exec.run(FAILURE_UPDATE, params)).changes;
}
