import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { describeError } from '../common/errors.js';
import { SandboxCode, SandboxError } from './errors.js';
import { SANDBOX_HOST } from './names.js';

/**
 * The SQL the sandbox runs on its own servers, always as `root@127.0.0.1` (no password: a
 * loopback sandbox, never production) on the private port, so administration works while a
 * link is cut. Statements are MariaDB 10.11's (mariadb-sandbox.md §3).
 */

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/** The accounts `up` creates on the primary; they replicate everywhere. */
export interface SandboxUsers {
  /** Used by every replica's IO thread. */
  readonly repl: Credentials;
  /** orc's own account, with the grants orc needs and nothing more. */
  readonly orc: Credentials;
  /** The write load's account: no global privilege, so `read_only=ON` stops it. */
  readonly app: Credentials;
}

/** The default accounts; `orc`'s password can be changed with `--orc-password`. */
export function defaultUsers(orcPassword = 'orc'): SandboxUsers {
  return {
    repl: { user: 'repl', password: 'replpw' },
    orc: { user: 'orc', password: orcPassword },
    app: { user: 'app', password: 'app' },
  };
}

/** The database of the write load's tables. */
export const WRITES_DATABASE = 'orc_sandbox';

/** What orc needs on MariaDB 10.11 (verified there: every name is a 10.11 privilege). */
export const ORC_GRANTS = [
  'SUPER',
  'PROCESS',
  'RELOAD',
  'REPLICATION SLAVE',
  'BINLOG MONITOR',
  'SLAVE MONITOR',
  'REPLICATION SLAVE ADMIN',
  'REPLICATION MASTER ADMIN',
  'BINLOG ADMIN',
  'READ_ONLY ADMIN',
  'CONNECTION ADMIN',
] as const;

/** Opens a connection; the caller ends it. Rejects with mysql2's error (code, errno). */
export async function connect(
  port: number,
  options: { credentials?: Credentials; connectTimeoutMs?: number; host?: string } = {},
): Promise<Connection> {
  return createConnection({
    host: options.host ?? SANDBOX_HOST,
    port,
    user: options.credentials?.user ?? 'root',
    password: options.credentials?.password ?? '',
    connectTimeout: options.connectTimeoutMs ?? 2000,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
}

/** Runs `fn` on a fresh root connection to `port` and ends it, also when `fn` throws. */
export async function withRoot<T>(
  port: number,
  fn: (conn: Connection) => Promise<T>,
  connectTimeoutMs = 2000,
): Promise<T> {
  const conn = await connect(port, { connectTimeoutMs });
  try {
    return await fn(conn);
  } finally {
    conn.destroy();
  }
}

/** Runs `statements` in order; wraps a failure in SANDBOX_SQL_FAILED naming the statement. */
export async function runStatements(
  conn: Connection,
  statements: readonly string[],
  instance: string,
): Promise<void> {
  for (const sql of statements) {
    try {
      await conn.query(sql);
    } catch (err) {
      throw new SandboxError(
        SandboxCode.SqlFailed,
        `statement failed on ${instance}: ${describeError(err)} (${redact(sql)})`,
        { cause: err, context: { instance } },
      );
    }
  }
}

function redact(sql: string): string {
  return sql.replace(/(IDENTIFIED BY|MASTER_PASSWORD=)\s*'[^']*'/gi, "$1 '…'");
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Opens the primary and creates the accounts and the write load's database. */
export function primarySetupStatements(users: SandboxUsers): string[] {
  const account = (c: Credentials, host: string): string => `${quote(c.user)}@${quote(host)}`;
  const create = (c: Credentials, host: string): string =>
    `CREATE USER ${account(c, host)} IDENTIFIED BY ${quote(c.password)}`;
  const hosts = [SANDBOX_HOST, 'localhost'];
  return [
    'SET GLOBAL read_only=OFF',
    create(users.repl, SANDBOX_HOST),
    `GRANT REPLICATION SLAVE, REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN, BINLOG MONITOR ` +
      `ON *.* TO ${account(users.repl, SANDBOX_HOST)}`,
    ...hosts.flatMap((h) => [
      create(users.orc, h),
      `GRANT ${ORC_GRANTS.join(', ')} ON *.* TO ${account(users.orc, h)}`,
      `GRANT SELECT ON mysql.* TO ${account(users.orc, h)}`,
      create(users.app, h),
      `GRANT ALL ON ${WRITES_DATABASE}.* TO ${account(users.app, h)}`,
    ]),
    `CREATE DATABASE ${WRITES_DATABASE}`,
  ];
}

/**
 * Points a replica at `sourcePort` with GTID (`slave_pos`), heartbeat and connect retry of 1 s.
 * `closesLoop` is for a co-primary's way back: the replica already holds everything it wrote,
 * so its slave position starts from its own binlog (else strict mode rejects its own events).
 */
export function replicaStatements(options: {
  sourcePort: number;
  repl: Credentials;
  closesLoop: boolean;
}): string[] {
  return [
    ...(options.closesLoop ? ['SET GLOBAL gtid_slave_pos=@@gtid_binlog_pos'] : []),
    `CHANGE MASTER TO MASTER_HOST=${quote(SANDBOX_HOST)}, MASTER_PORT=${options.sourcePort}, ` +
      `MASTER_USER=${quote(options.repl.user)}, MASTER_PASSWORD=${quote(options.repl.password)}, ` +
      'MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1, MASTER_HEARTBEAT_PERIOD=1',
    'START SLAVE',
  ];
}

/** Turns on the primary side of semi-sync (null timeout: the server's default, 10 s). */
export function semiSyncPrimaryStatements(timeoutMs: number | null): string[] {
  return [
    ...(timeoutMs === null
      ? []
      : [`SET GLOBAL rpl_semi_sync_master_timeout=${Math.round(timeoutMs)}`]),
    'SET GLOBAL rpl_semi_sync_master_enabled=ON',
  ];
}

/** `lag`: a delay in seconds (0 removes it) or stopping/starting the SQL thread alone. */
export type LagChange = { delaySeconds: number } | { applier: 'stop' | 'start' };

export function lagStatements(change: LagChange): string[] {
  if ('applier' in change) {
    return [change.applier === 'stop' ? 'STOP SLAVE SQL_THREAD' : 'START SLAVE SQL_THREAD'];
  }
  return [
    'STOP SLAVE',
    `CHANGE MASTER TO MASTER_DELAY=${Math.round(change.delaySeconds)}`,
    'START SLAVE',
  ];
}

/** Runs a query and returns its rows. */
export async function rows(
  conn: Connection,
  sql: string,
  params: (string | number | bigint | null)[] = [],
): Promise<RowDataPacket[]> {
  const [result] = await conn.query<RowDataPacket[]>(sql, params);
  return result;
}
