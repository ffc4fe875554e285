import type { Clock } from '../common/clock.js';
import { assertNonNegative } from './errors.js';
import { num, str, type SqlDriver, type SqlRow } from './sql.js';

/** What an orc process says about itself each health tick. */
export interface NodeRegistration {
  readonly hostname: string;
  /** Random per process; tells two processes on one host apart. */
  readonly token: string;
  readonly appVersion: string;
  /** `sqlite` or `mysql`. */
  readonly backend: string;
  /** `serve`, or the CLI command that registered. */
  readonly command: string;
  readonly extraInfo?: string;
}

export interface NodeHealth extends NodeRegistration {
  readonly firstSeenAt: number;
  readonly lastSeenAt: number;
}

const COLUMNS = [
  'hostname',
  'token',
  'first_seen_at',
  'last_seen_at',
  'app_version',
  'backend',
  'command',
  'extra_info',
];

/**
 * orchestrator's `node_health`: every orc process registers itself every health tick
 * (HealthPollSeconds); `/api/health` lists those seen recently. A registration keeps the
 * first time the process was seen. Relaxed data, rewritten every second; keyed by
 * (hostname, token), so replays change nothing.
 */
export class NodeHealthRepository {
  constructor(
    private readonly driver: SqlDriver,
    private readonly clock: Clock,
  ) {}

  async register(node: NodeRegistration, at = this.clock.now()): Promise<void> {
    const { sql, params } = this.driver.dialect.upsert({
      table: 'node_health',
      columns: COLUMNS,
      key: ['hostname', 'token'],
      update: COLUMNS.filter((c) => !['hostname', 'token', 'first_seen_at'].includes(c)),
      rows: [
        [
          node.hostname,
          node.token,
          at,
          at,
          node.appVersion,
          node.backend,
          node.command,
          node.extraInfo ?? '',
        ],
      ],
    });
    await this.driver.run(sql, params);
  }

  /** Nodes seen within `withinMs` of `now`, by host name and token. */
  async list(withinMs: number, now = this.clock.now()): Promise<NodeHealth[]> {
    assertNonNegative('health window (ms)', withinMs);
    const rows = await this.driver.all(
      `SELECT ${COLUMNS.join(', ')} FROM node_health WHERE last_seen_at >= ? ` +
        'ORDER BY hostname, token',
      [now - withinMs],
    );
    return rows.map(decode);
  }

  /** Deletes registrations older than `maxAgeMs`; returns how many. */
  async expire(maxAgeMs: number, now = this.clock.now()): Promise<number> {
    assertNonNegative('health expiry (ms)', maxAgeMs);
    const sql = 'DELETE FROM node_health WHERE last_seen_at < ?';
    return (await this.driver.run(sql, [now - maxAgeMs])).changes;
  }
}

function decode(row: SqlRow): NodeHealth {
  return {
    hostname: str(row['hostname']),
    token: str(row['token']),
    appVersion: str(row['app_version']),
    backend: str(row['backend']),
    command: str(row['command']),
    extraInfo: str(row['extra_info']),
    firstSeenAt: num(row['first_seen_at']),
    lastSeenAt: num(row['last_seen_at']),
  };
}
