import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { OrcError } from '../common/errors.js';
import { callControl } from './control.js';
import { SandboxCode, SandboxError } from './errors.js';
import { isOurs, signalIfOurs, waitForExit } from './proc.js';
import { readState, recordedPids, writeState, type SandboxState } from './state.js';

/**
 * `orc sandbox down` from outside the supervisor: asks it to stop everything, then waits until
 * every process sandbox.json records is gone (by pid; a zombie counts as gone). When no
 * supervisor answers (it crashed or was killed), it stops the recorded servers itself,
 * signalling a pid only when its command line is that server's (a reused pid is left alone).
 */
export interface TeardownResult {
  readonly dir: string;
  /** Pids that were running and are now gone. */
  readonly stopped: readonly number[];
  /** True when no supervisor answered (in time) and the recorded pids were signalled directly. */
  readonly withoutSupervisor: boolean;
  readonly purged: boolean;
}

export async function stopSandbox(
  dirArg: string,
  options: { purge?: boolean; timeoutMs?: number } = {},
): Promise<TeardownResult> {
  const dir = resolve(dirArg);
  const state = await readState(dir);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const recorded = recordedPids(state).filter((r) => isOurs(r.pid, r.marks));

  let withoutSupervisor = false;
  try {
    await callControl(dir, { op: 'down' }, { timeoutMs });
  } catch (err) {
    // Nobody answers, or a supervisor hangs: stop what sandbox.json records, by pid.
    const fallback: string[] = [SandboxCode.NotRunning, SandboxCode.Timeout];
    if (!(err instanceof OrcError && fallback.includes(err.code))) throw err;
    withoutSupervisor = recorded.length > 0;
    await killRecorded(dir, 'SIGTERM');
  }

  const pids = recorded.map((r) => r.pid);
  if (!(await waitForExit(pids, timeoutMs))) {
    await killRecorded(dir, 'SIGKILL');
    if (!(await waitForExit(pids, 10_000))) {
      throw new SandboxError(
        SandboxCode.Timeout,
        `processes of the sandbox in ${dir} are still running after ${timeoutMs} ms: ` +
          pids.join(', '),
      );
    }
  }
  if (options.purge) await rm(dir, { recursive: true, force: true });
  else await writeState(stopped(await readState(dir)));
  return { dir, stopped: pids, withoutSupervisor, purged: options.purge ?? false };
}

/** Signals every recorded process of `dir` that is still ours; returns the pids signalled. */
export async function killRecorded(dir: string, signal: NodeJS.Signals): Promise<number[]> {
  const state = await readState(dir).catch(() => null);
  if (!state) return [];
  return recordedPids(state)
    .filter((r) => signalIfOurs(r.pid, r.marks, signal))
    .map((r) => r.pid);
}

function stopped(state: SandboxState): SandboxState {
  const supervisorPid = null;
  return state.kind === 'galera'
    ? { ...state, supervisorPid, instances: state.instances.map((i) => ({ ...i, pid: null })) }
    : { ...state, supervisorPid, instances: state.instances.map((i) => ({ ...i, pid: null })) };
}
