import type { Clock } from '../common/clock.js';
import { assertNonNegative } from './errors.js';
import type { NodeIdentity } from './maintenance.js';
import { num, str, type SqlDriver, type SqlExecutor, type SqlRow } from './sql.js';

/** The node the `active_node` row names. */
export interface ActiveNode extends NodeIdentity {
  /** When this node took the row (election, takeover or grab). */
  readonly firstSeenAt: number;
  /** Its last refresh; the lease runs from here. */
  readonly lastSeenAt: number;
}

/** The outcome of one election attempt, read after the attempt's writes. */
export interface ElectionResult {
  /** True when `node` holds the row now. */
  readonly elected: boolean;
  /** Who holds it (undefined only if a reelect deleted it meanwhile). */
  readonly holder: ActiveNode | undefined;
}

const ANCHOR = 1;
const COLUMNS = ['anchor', 'hostname', 'token', 'first_seen_at', 'last_seen_at'];
const SELECT = 'SELECT hostname, token, first_seen_at, last_seen_at FROM active_node';

/**
 * The shared-backend election (orchestrator's `active_node`, ha-modes.md §2 and §3): one row,
 * anchor = 1, naming the active node. Each node calls `attempt` every health tick with its
 * identity and the lease (ActiveNodeExpireSeconds). One attempt is three statements, each
 * atomic on its own, so concurrent nodes on MySQL (or Galera) never both win:
 *
 * 1. insert the row if there is none: the first node in wins;
 * 2. take the row over if its holder has not refreshed it for `leaseMs` (stale leader);
 * 3. refresh the row if this node holds it.
 *
 * The answer is read back afterwards: `elected` is whether the row names this node (host
 * name and token) when the attempt ends. `grab` takes the row unconditionally (`grab-
 * election`); `reelect` deletes it so the next attempts elect afresh. Times come from each
 * node's Clock, never the database's, so nodes' clocks must agree to well within the lease
 * (NTP); a holder should stop acting as leader before its own lease runs out.
 *
 * All statements name their values (no NOW(), no auto-increment), so replaying them through
 * statement-based replication reaches the same row.
 */
export class ElectionRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  async attempt(
    node: NodeIdentity,
    options: { leaseMs: number; at?: number },
  ): Promise<ElectionResult> {
    assertNonNegative('election lease (ms)', options.leaseMs);
    const at = options.at ?? this.clock.now();
    const { sql, params } = this.driver.dialect.upsert({
      table: 'active_node',
      columns: COLUMNS,
      key: ['anchor'],
      update: [],
      rows: [[ANCHOR, node.hostname, node.token, at, at]],
    });
    await this.driver.run(sql, params);
    await this.driver.run(
      'UPDATE active_node SET hostname = ?, token = ?, first_seen_at = ?, last_seen_at = ? ' +
        'WHERE anchor = ? AND last_seen_at < ? AND NOT (hostname = ? AND token = ?)',
      [node.hostname, node.token, at, at, ANCHOR, at - options.leaseMs, node.hostname, node.token],
    );
    await this.driver.run(
      'UPDATE active_node SET last_seen_at = ? ' +
        'WHERE anchor = ? AND hostname = ? AND token = ? AND last_seen_at <= ?',
      [at, ANCHOR, node.hostname, node.token, at],
    );
    const holder = await this.current();
    return { elected: holder !== undefined && isNode(holder, node), holder };
  }

  /** Makes `node` the active node whoever held the row (an upsert, never REPLACE). */
  async grab(node: NodeIdentity, at = this.clock.now()): Promise<ActiveNode> {
    const { sql, params } = this.driver.dialect.upsert({
      table: 'active_node',
      columns: COLUMNS,
      key: ['anchor'],
      rows: [[ANCHOR, node.hostname, node.token, at, at]],
    });
    await this.driver.run(sql, params);
    return { ...node, firstSeenAt: at, lastSeenAt: at };
  }

  /** Deletes the row: the next attempt of any node elects it. Returns false when empty. */
  async reelect(): Promise<boolean> {
    return (await this.remove(this.driver, [])) > 0;
  }

  /** Deletes the row only if `node` holds it (a clean step-down); false otherwise. */
  async release(node: NodeIdentity): Promise<boolean> {
    return (await this.remove(this.driver, [node.hostname, node.token])) > 0;
  }

  async current(): Promise<ActiveNode | undefined> {
    const rows = await this.driver.all(`${SELECT} WHERE anchor = ?`, [ANCHOR]);
    return rows.map(decode)[0];
  }

  private async remove(exec: SqlExecutor, holder: string[]): Promise<number> {
    const where = holder.length === 0 ? '' : ' AND hostname = ? AND token = ?';
    const sql = `DELETE FROM active_node WHERE anchor = ?${where}`;
    return (await exec.run(sql, [ANCHOR, ...holder])).changes;
  }
}

function isNode(a: NodeIdentity, b: NodeIdentity): boolean {
  return a.hostname === b.hostname && a.token === b.token;
}

function decode(row: SqlRow): ActiveNode {
  return {
    hostname: str(row['hostname']),
    token: str(row['token']),
    firstSeenAt: num(row['first_seen_at']),
    lastSeenAt: num(row['last_seen_at']),
  };
}
