import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { describeError } from '../common/errors.js';

/** What one member says about itself, read from its wsrep status variables. */
export interface GaleraMemberStatus {
  readonly name: string;
  /** A root connection and `SHOW STATUS` succeeded; the other fields are null otherwise. */
  readonly reachable: boolean;
  /** `wsrep_cluster_size`: members in this member's current view. */
  readonly clusterSize: number | null;
  /** `wsrep_cluster_status`: `Primary`, `non-Primary` or `Disconnected`. */
  readonly clusterStatus: string | null;
  /** `wsrep_local_state_comment`: `Synced`, `Donor/Desynced`, `Joining`, `Initialized`, … */
  readonly localStateComment: string | null;
  /** `wsrep_ready`: the member accepts queries. */
  readonly ready: boolean | null;
  /** Why the member was unreachable. */
  readonly error?: string;
}

const CONNECT_TIMEOUT_MS = 2_000;
const QUERY_TIMEOUT_MS = 3_000;

/** Opens a root connection (passwordless root@127.0.0.1, as in the template). */
export async function connectRoot(host: string, port: number): Promise<Connection> {
  return createConnection({
    host,
    port,
    user: 'root',
    connectTimeout: CONNECT_TIMEOUT_MS,
    multipleStatements: false,
  });
}

/** Reads one member's wsrep status; never throws (unreachable is a status). */
export async function readMemberStatus(
  name: string,
  host: string,
  port: number,
): Promise<GaleraMemberStatus> {
  let conn: Connection | undefined;
  try {
    conn = await connectRoot(host, port);
    const [rows] = await conn.query<RowDataPacket[]>({
      sql: "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_cluster_status', 'wsrep_local_state_comment', 'wsrep_ready')",
      timeout: QUERY_TIMEOUT_MS,
    });
    const v = new Map(rows.map((r) => [String(r.Variable_name), String(r.Value)]));
    const size = v.get('wsrep_cluster_size');
    return {
      name,
      reachable: true,
      clusterSize: size === undefined ? null : Number(size),
      clusterStatus: v.get('wsrep_cluster_status') ?? null,
      localStateComment: v.get('wsrep_local_state_comment') ?? null,
      ready: v.has('wsrep_ready') ? v.get('wsrep_ready') === 'ON' : null,
    };
  } catch (err) {
    return {
      name,
      reachable: false,
      clusterSize: null,
      clusterStatus: null,
      localStateComment: null,
      ready: null,
      error: describeError(err),
    };
  } finally {
    if (conn !== undefined) await closeQuietly(conn);
  }
}

/** True when the member is a full, writable member of a Primary view of `size` members. */
export function isSyncedMember(s: GaleraMemberStatus, size?: number): boolean {
  return (
    s.reachable &&
    s.ready === true &&
    s.clusterStatus === 'Primary' &&
    s.localStateComment === 'Synced' &&
    (size === undefined || s.clusterSize === size)
  );
}

/** Runs statements in order on one member as root; throws the driver's error. */
export async function runAsRoot(host: string, port: number, statements: string[]): Promise<void> {
  const conn = await connectRoot(host, port);
  try {
    for (const sql of statements) await conn.query({ sql, timeout: QUERY_TIMEOUT_MS });
  } finally {
    await closeQuietly(conn);
  }
}

/** The statements that create orc's backend account (replicated by Galera to every member). */
export function backendUserStatements(user: string, password: string): string[] {
  const account = `'${user}'@'%'`;
  return [
    `CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY '${password.replace(/'/g, "''")}'`,
    `GRANT ALL PRIVILEGES ON *.* TO ${account} WITH GRANT OPTION`,
  ];
}

/** Ends a connection politely (a bare destroy makes the server log "Aborted connection"). */
async function closeQuietly(conn: Connection): Promise<void> {
  try {
    await conn.end();
  } catch {
    conn.destroy();
  }
}
