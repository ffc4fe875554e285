import type { RowDataPacket } from 'mysql2/promise';
import { describeError } from '../common/errors.js';
import type { LinkStatus } from './links.js';
import { SANDBOX_HOST } from './names.js';
import type { PlannedRole } from './plan.js';
import { rows, withRoot } from './sql.js';

/**
 * What `status` reports, read live from every server's private port (so it works while links
 * are cut), with a short timeout per server (so it works while servers are dead).
 */

/** The role a server plays now, from what it reports (not from the plan). */
export type LiveRole = 'primary' | 'co-primary' | 'replica' | 'detached' | 'down';

export interface ReplicationState {
  /** `Yes`, `No` or `Connecting`, as SHOW SLAVE STATUS says. */
  readonly ioRunning: string;
  readonly sqlRunning: string;
  readonly ioState: string;
  readonly lastIoErrno: number;
  readonly lastIoError: string;
  readonly lastSqlErrno: number;
  readonly lastSqlError: string;
  readonly secondsBehind: number | null;
  readonly sqlDelay: number;
  /** The source's address as configured (`127.0.0.1:23306`) and its name when it is ours. */
  readonly sourceAddress: string;
  readonly source: string | null;
}

export interface InstanceStatus {
  readonly name: string;
  readonly address: string;
  readonly publicPort: number;
  readonly privatePort: number;
  readonly serverId: number;
  readonly plannedRole: PlannedRole;
  readonly role: LiveRole;
  readonly pid: number | null;
  /** The process runs. */
  readonly alive: boolean;
  /** It answered the status queries; `error` says why not. */
  readonly reachable: boolean;
  readonly error: string | null;
  readonly readOnly: boolean | null;
  readonly gtidCurrentPos: string | null;
  readonly replication: ReplicationState | null;
}

export interface SandboxStatus {
  readonly dir: string;
  readonly shape: string;
  readonly basePort: number;
  readonly instances: readonly InstanceStatus[];
  readonly cuts: readonly LinkStatus[];
}

export interface ProbeTarget {
  readonly name: string;
  readonly publicPort: number;
  readonly privatePort: number;
  readonly serverId: number;
  readonly plannedRole: PlannedRole;
  readonly pid: number | null;
  readonly alive: boolean;
}

type Probe = Omit<InstanceStatus, 'role'>;

/** Probes every target in parallel and derives live roles. */
export async function probeAll(targets: readonly ProbeTarget[]): Promise<InstanceStatus[]> {
  const probes = await Promise.all(targets.map((t) => probe(t, targets)));
  return probes.map((p) => ({ ...p, role: liveRole(p, probes) }));
}

async function probe(target: ProbeTarget, all: readonly ProbeTarget[]): Promise<Probe> {
  const base = {
    name: target.name,
    address: `${SANDBOX_HOST}:${target.publicPort}`,
    publicPort: target.publicPort,
    privatePort: target.privatePort,
    serverId: target.serverId,
    plannedRole: target.plannedRole,
    pid: target.pid,
    alive: target.alive,
  };
  const down = { reachable: false, readOnly: null, gtidCurrentPos: null, replication: null };
  if (!target.alive) return { ...base, ...down, error: 'not running' };
  try {
    return await withRoot(
      target.privatePort,
      async (conn) => {
        const [vars] = await rows(conn, 'SELECT @@read_only AS ro, @@gtid_current_pos AS gtid');
        const slave = (await rows(conn, 'SHOW SLAVE STATUS'))[0];
        return {
          ...base,
          reachable: true,
          error: null,
          readOnly: Number(vars?.ro) === 1,
          gtidCurrentPos: String(vars?.gtid ?? ''),
          replication: slave ? replicationOf(slave, all) : null,
        };
      },
      1000,
    );
  } catch (err) {
    return { ...base, ...down, error: describeError(err) };
  }
}

function replicationOf(row: RowDataPacket, all: readonly ProbeTarget[]): ReplicationState {
  const host = String(row.Master_Host ?? '');
  const port = Number(row.Master_Port ?? 0);
  const loopback = host === SANDBOX_HOST || host === 'localhost';
  const source = loopback
    ? (all.find((t) => t.publicPort === port || t.privatePort === port)?.name ?? null)
    : null;
  const behind = row.Seconds_Behind_Master as unknown;
  return {
    ioRunning: String(row.Slave_IO_Running ?? ''),
    sqlRunning: String(row.Slave_SQL_Running ?? ''),
    ioState: String(row.Slave_IO_State ?? ''),
    lastIoErrno: Number(row.Last_IO_Errno ?? 0),
    lastIoError: String(row.Last_IO_Error ?? ''),
    lastSqlErrno: Number(row.Last_SQL_Errno ?? 0),
    lastSqlError: String(row.Last_SQL_Error ?? ''),
    secondsBehind: behind === null || behind === undefined ? null : Number(behind),
    sqlDelay: Number(row.SQL_Delay ?? 0),
    sourceAddress: `${host}:${port}`,
    source,
  };
}

/**
 * A server that replicates from a server that replicates from it is a co-primary; one with a
 * source is a replica; one without a source is the primary when writable, else detached.
 */
export function liveRole(probe: Probe, all: readonly Probe[]): LiveRole {
  if (!probe.reachable) return 'down';
  const source = probe.replication?.source ?? null;
  if (source !== null || probe.replication) {
    const back = all.find((p) => p.name === source)?.replication?.source;
    return back === probe.name ? 'co-primary' : 'replica';
  }
  return probe.readOnly === false ? 'primary' : 'detached';
}

/** The status of instance `name` in `status`; throws when there is none. */
export function statusOf(status: SandboxStatus, name: string): InstanceStatus {
  const found = status.instances.find((i) => i.name === name);
  if (!found) throw new Error(`no instance ${name} in the status of ${status.dir}`);
  return found;
}
