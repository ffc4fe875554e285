import { randomUUID } from 'node:crypto';
import type { Clock } from '../common/clock.js';
import type { InstanceKey } from '../topology/index.js';
import { assertNonNegative } from './errors.js';
import { decodeOptionalKey } from './instance-codec.js';
import { num, optStr, orNull, str, type SqlDriver, type SqlRow, type SqlValue } from './sql.js';

/** Entries per page, as orchestrator's `/api/audit/:page`. */
export const AUDIT_PAGE_SIZE = 20;

export interface AuditEntry {
  readonly id: string;
  readonly at: number;
  /** A short verb such as `begin-downtime`, `relocate`, `recover-dead-primary`. */
  readonly action: string;
  readonly key: InstanceKey | undefined;
  readonly cluster: string | undefined;
  readonly message: string;
}

export interface AuditInput {
  /** Default a new UUID. A replicated command carries its own, so replay inserts nothing. */
  readonly id?: string;
  readonly action: string;
  readonly key?: InstanceKey;
  readonly cluster?: string;
  readonly message: string;
  readonly at?: number;
}

const SELECT = 'SELECT id, at, action, host, port, cluster_name, message FROM audit';

/**
 * The audit log: what orc and its operators did, newest first. Rows are identified by an id
 * the writer makes (not an auto-increment), and inserted with insert-if-absent, so writing
 * the same entry twice, or replaying it through statement-based replication, leaves one row.
 * Durable. The caretaking loop purges entries older than AuditPurgeDays.
 */
export class AuditRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  /** Appends an entry; returns it as stored. */
  async record(input: AuditInput): Promise<AuditEntry> {
    const entry: AuditEntry = {
      id: input.id ?? randomUUID(),
      at: input.at ?? this.clock.now(),
      action: input.action,
      key: input.key,
      cluster: input.cluster,
      message: input.message,
    };
    const { sql, params } = this.driver.dialect.upsert({
      table: 'audit',
      columns: ['id', 'at', 'action', 'host', 'port', 'cluster_name', 'message'],
      key: ['id'],
      update: [],
      rows: [
        [
          entry.id,
          entry.at,
          entry.action,
          orNull(entry.key?.host),
          orNull(entry.key?.port),
          orNull(entry.cluster),
          entry.message,
        ],
      ],
    });
    await this.driver.transaction((tx) => tx.run(sql, params), 'durable');
    return entry;
  }

  /**
   * Page `page` (from 0) of AUDIT_PAGE_SIZE entries, newest first, optionally only those
   * about one instance or one cluster.
   */
  async page(
    options: { page?: number; key?: InstanceKey; cluster?: string } = {},
  ): Promise<AuditEntry[]> {
    const page = Math.max(0, Math.floor(options.page ?? 0));
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (options.key !== undefined) {
      where.push('host = ? AND port = ?');
      params.push(options.key.host, options.key.port);
    }
    if (options.cluster !== undefined) {
      where.push('cluster_name = ?');
      params.push(options.cluster);
    }
    const filter = where.length === 0 ? '' : `WHERE ${where.join(' AND ')} `;
    const rows = await this.driver.all(
      `${SELECT} ${filter}ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
      [...params, AUDIT_PAGE_SIZE, page * AUDIT_PAGE_SIZE],
    );
    return rows.map(decode);
  }

  /** Deletes entries older than `maxAgeMs`; returns how many. */
  async purge(maxAgeMs: number, now = this.clock.now()): Promise<number> {
    assertNonNegative('audit retention (ms)', maxAgeMs);
    return (await this.driver.run('DELETE FROM audit WHERE at < ?', [now - maxAgeMs])).changes;
  }
}

function decode(row: SqlRow): AuditEntry {
  return {
    id: str(row['id']),
    at: num(row['at']),
    action: str(row['action']),
    key: decodeOptionalKey(row),
    cluster: optStr(row['cluster_name']),
    message: str(row['message']),
  };
}
