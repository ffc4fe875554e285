import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SandboxCode, SandboxError } from './errors.js';
import type { PlannedRole, Shape } from './plan.js';
import type { SandboxUsers } from './sql.js';

/**
 * `sandbox.json`: what a sandbox directory holds, so that separate commands can act on it and
 * `down` can stop every recorded process by pid even when the supervisor is gone. Written
 * atomically (temp file + rename) by the process that owns the sandbox, on every pid change.
 */
export const STATE_FILE = 'sandbox.json';
export const CONTROL_SOCKET = 'control.sock';
export const SUPERVISOR_LOG = 'supervisor.log';
export const WRITES_DIR = 'writes';
const STATE_VERSION = 1;

/** A server process of a sandbox, as sandbox.json records it. */
export interface ProcessRecord {
  readonly name: string;
  /** The address clients use (the proxy for replication sandboxes). */
  readonly publicPort: number;
  /** mariadbd's own port (equal to publicPort for Galera members). */
  readonly privatePort: number;
  /** The instance's directory (datadir, my.cnf, logs). */
  readonly dir: string;
  readonly cnfPath: string;
  /** mariadbd's pid while it runs, else null. */
  readonly pid: number | null;
}

/** A replication instance. */
export interface InstanceRecord extends ProcessRecord {
  readonly serverId: number;
  readonly plannedRole: PlannedRole;
  readonly plannedSource: string | null;
}

interface StateBase {
  readonly version: typeof STATE_VERSION;
  readonly dir: string;
  readonly basePort: number;
  readonly createdAt: string;
  readonly mariadbVersion: string;
  /** The supervisor process that owns the servers, when the CLI started one. */
  readonly supervisorPid: number | null;
}

export interface ReplicationSandboxState extends StateBase {
  readonly kind: 'replication';
  readonly shape: Shape;
  readonly semiSync: boolean;
  readonly users: SandboxUsers;
  readonly instances: readonly InstanceRecord[];
}

/** A Galera cluster run by the supervisor (src/sandbox/galera.ts does the work). */
export interface GaleraSandboxState extends StateBase {
  readonly kind: 'galera';
  readonly clusterName: string;
  readonly users: Pick<SandboxUsers, 'orc' | 'app'>;
  readonly instances: readonly ProcessRecord[];
}

export type SandboxState = ReplicationSandboxState | GaleraSandboxState;

/** Reads `dir`'s state; throws SANDBOX_NOT_FOUND when `dir` is not a sandbox directory. */
export async function readState(dir: string): Promise<SandboxState> {
  let text: string;
  try {
    text = await readFile(join(dir, STATE_FILE), 'utf8');
  } catch (err) {
    throw new SandboxError(
      SandboxCode.NotFound,
      `${dir} is not a sandbox directory (no ${STATE_FILE}): start one with ` +
        `\`orc sandbox up --dir ${dir}\``,
      { cause: err },
    );
  }
  const state: unknown = JSON.parse(text);
  if (!isState(state)) {
    throw new SandboxError(
      SandboxCode.NotFound,
      `${join(dir, STATE_FILE)} is not a sandbox state file of this orc version`,
    );
  }
  return state;
}

function isState(value: unknown): value is SandboxState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SandboxState>;
  return (
    v.version === STATE_VERSION &&
    (v.kind === 'replication' || v.kind === 'galera') &&
    Array.isArray(v.instances) &&
    typeof v.basePort === 'number'
  );
}

/** Writes `state` atomically. */
export async function writeState(state: SandboxState): Promise<void> {
  const path = join(state.dir, STATE_FILE);
  const scratch = `${path}.${process.pid}.tmp`;
  await writeFile(scratch, JSON.stringify(state, null, 2) + '\n');
  await rename(scratch, path);
}

/** True for the names a sandbox creates in its directory. */
export function isSandboxEntry(name: string): boolean {
  return (
    /^(s|node)\d+$/.test(name) ||
    [STATE_FILE, CONTROL_SOCKET, SUPERVISOR_LOG, WRITES_DIR].includes(name) ||
    name.startsWith(`${STATE_FILE}.`)
  );
}

/**
 * What `dir` holds: `missing`/`empty`, `sandbox` (a state file; possibly stopped), or `foreign`
 * (files a sandbox does not make: never touched).
 */
export async function inspectDir(
  dir: string,
): Promise<'missing' | 'empty' | 'sandbox' | 'foreign'> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return 'missing';
  }
  if (entries.includes(STATE_FILE)) return 'sandbox';
  if (entries.length === 0) return 'empty';
  return entries.every(isSandboxEntry) ? 'empty' : 'foreign';
}

/**
 * The pids sandbox.json records, each with what its command line must contain to be ours
 * (see isOurs in proc.ts): a pid reused by an unrelated process is never taken for ours.
 */
export function recordedPids(state: SandboxState): { pid: number; marks: string[] }[] {
  return [
    ...state.instances.flatMap((i) =>
      i.pid === null ? [] : [{ pid: i.pid, marks: [`--defaults-file=${i.cnfPath}`] }],
    ),
    ...(state.supervisorPid === null
      ? []
      : [{ pid: state.supervisorPid, marks: ['supervise', state.dir] }]),
  ];
}
