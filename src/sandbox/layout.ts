import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SandboxCode, SandboxError } from './errors.js';
import { renderMyCnf } from './my-cnf.js';
import type { TopologyPlan } from './plan.js';
import { planPorts } from './ports.js';
import { isOurs } from './proc.js';
import {
  inspectDir,
  readState,
  recordedPids,
  STATE_FILE,
  WRITES_DIR,
  type InstanceRecord,
} from './state.js';
import { copyTemplate } from './template.js';

/**
 * The sandbox directory on disk: checking it may be used, clearing a stopped sandbox's files,
 * and laying out one directory per instance (`D/s1/{data,my.cnf,error.log,…}`).
 */

/**
 * Throws SANDBOX_EXISTS when `dir` holds a running sandbox or files no sandbox makes; returns
 * quietly for a missing, empty or stopped-sandbox directory. Called by `up` before it touches
 * anything, also by the CLI before it spawns a supervisor.
 */
export async function assertDirUsable(dir: string, ownPid?: number): Promise<void> {
  const kind = await inspectDir(dir);
  if (kind === 'foreign') {
    throw new SandboxError(
      SandboxCode.Exists,
      `${dir} exists and holds files that are not a sandbox's: choose an empty or new directory`,
    );
  }
  if (kind !== 'sandbox') return;
  const state = await readState(dir).catch(() => null);
  if (!state) {
    throw new SandboxError(
      SandboxCode.Exists,
      `${dir} holds an unreadable ${STATE_FILE}: remove the directory or choose another`,
    );
  }
  const running = recordedPids(state)
    .filter((r) => r.pid !== ownPid && isOurs(r.pid, r.marks))
    .map((r) => r.pid);
  if (running.length > 0) {
    throw new SandboxError(
      SandboxCode.Exists,
      `a sandbox is already running in ${dir} (pids ${running.join(', ')}): stop it with ` +
        `\`orc sandbox down --dir ${dir}\``,
    );
  }
}

/** Removes a stopped sandbox's instance directories, state and write logs; creates `dir`. */
export async function clearDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const entries = await readdir(dir);
  const stale = entries.filter(
    (e) => /^(s|node)\d+$/.test(e) || e === STATE_FILE || e === WRITES_DIR,
  );
  await Promise.all(stale.map((e) => rm(join(dir, e), { recursive: true, force: true })));
}

/** The records of a plan's instances, before any of them runs. */
export function layoutInstances(
  dir: string,
  plan: TopologyPlan,
  basePort: number,
): InstanceRecord[] {
  const ports = planPorts(basePort, plan.instances.length);
  return plan.instances.map((inst, i) => {
    const p = ports[i] as (typeof ports)[number];
    const instDir = join(dir, inst.name);
    return {
      name: inst.name,
      publicPort: p.publicPort,
      privatePort: p.privatePort,
      // The public port: GTIDs then read 0-23306-5, which says where a write happened.
      serverId: p.publicPort,
      plannedRole: inst.role,
      plannedSource: inst.source,
      dir: instDir,
      cnfPath: join(instDir, 'my.cnf'),
      pid: null,
    };
  });
}

/** Copies the template and writes my.cnf for one instance. */
export async function createInstanceFiles(
  record: InstanceRecord,
  options: { template: string; semiSync: boolean; slaveNetTimeout: number },
): Promise<void> {
  await mkdir(record.dir, { recursive: true });
  await copyTemplate(options.template, join(record.dir, 'data'));
  const cnf = renderMyCnf({
    dir: record.dir,
    socketPath: socketPathFor(record),
    privatePort: record.privatePort,
    publicPort: record.publicPort,
    serverId: record.serverId,
    semiSync: options.semiSync,
    slaveNetTimeout: options.slaveNetTimeout,
  });
  await writeFile(record.cnfPath, cnf);
}

/** A unix socket path must fit in 107 bytes; long directories fall back to the temp dir. */
function socketPathFor(record: InstanceRecord): string {
  const inDir = join(record.dir, 'mysqld.sock');
  return inDir.length <= 100 ? inDir : join(tmpdir(), `orc-sandbox-${record.privatePort}.sock`);
}
