import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OrcError } from '../common/errors.js';
import { callControl, controlSocketPath } from './control.js';
import { SandboxCode, SandboxError } from './errors.js';
import { assertDirUsable } from './layout.js';
import { isProcessAlive, waitForExit } from './proc.js';
import {
  inspectDir,
  isSandboxEntry,
  readState,
  recordedPids,
  SUPERVISOR_LOG,
  type SandboxState,
} from './state.js';
import type { LaunchReport, SupervisedOptions, UpMessage } from './supervisor-main.js';
import { killRecorded } from './teardown.js';
import { tailFile } from './template.js';

/**
 * Starts a supervisor process for `orc sandbox up`: detached (its own session, so it outlives
 * the command and a terminal's Ctrl-C), stdio to D/supervisor.log, options over IPC. Resolves
 * with the sandbox's state once the supervisor reports it replicating; otherwise throws the
 * supervisor's own error (code and message) after making sure nothing it started still runs
 * and removing the files it created (supervisor.log stays, to read). SIGINT/SIGTERM while it
 * waits (Ctrl-C) abort the start the same way, then throw SANDBOX_INTERRUPTED.
 */
export async function launchSupervisor(options: {
  dir: string;
  /** The orc entry script the supervisor runs (`bin/orc.js`). */
  entry: string;
  up: SupervisedOptions;
  timeoutMs?: number;
}): Promise<SandboxState> {
  const dir = resolve(options.dir);
  controlSocketPath(dir);
  await assertIsDirectory(dir);
  await assertNobodyAnswers(dir);
  await assertDirUsable(dir);
  const existed = (await inspectDir(dir)) !== 'missing';
  await mkdir(dir, { recursive: true }).catch((err: unknown) => {
    throw cannotCreate(dir, err);
  });

  // Listen for Ctrl-C before the supervisor exists: a signal in between would otherwise kill
  // this process by default and leave the detached supervisor starting a sandbox nobody owns.
  const interrupt = onInterrupt();
  const logPath = join(dir, SUPERVISOR_LOG);
  const log = openSync(logPath, 'w');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [options.entry, 'sandbox', 'supervise', '--dir', dir], {
      detached: true,
      stdio: ['ignore', log, log, 'ipc'],
    });
  } catch (err) {
    interrupt.dispose();
    throw err;
  } finally {
    closeSync(log);
  }
  const message: UpMessage = { type: 'up', options: options.up };
  child.send(message);

  let outcome: Outcome;
  try {
    outcome = await Promise.race([
      awaitReport(child, options.timeoutMs ?? 180_000),
      interrupt.signalled,
    ]);
    if (outcome.kind === 'report' && outcome.report.type === 'ready') {
      child.disconnect();
      child.unref();
      return outcome.report.state;
    }
    if (outcome.kind === 'interrupted' && child.pid !== undefined) {
      // The supervisor is in its own session, so the terminal's Ctrl-C did not reach it.
      signalPid(child.pid, 'SIGTERM');
    }
    await reap(child, dir);
    await removeCreated(dir, existed);
  } finally {
    interrupt.dispose();
  }
  if (outcome.kind === 'interrupted') {
    throw new SandboxError(SandboxCode.Interrupted, 'interrupted: nothing left running');
  }
  if (outcome.kind === 'report' && outcome.report.type === 'failed') {
    throw new OrcError(outcome.report.error.code, outcome.report.error.message);
  }
  const tail = await tailFile(logPath, 5);
  throw new SandboxError(
    outcome.kind === 'timeout' ? SandboxCode.Timeout : SandboxCode.StartFailed,
    outcome.kind === 'timeout'
      ? `the sandbox supervisor did not report within ${options.timeoutMs ?? 180_000} ms`
      : `the sandbox supervisor exited before reporting` +
          (tail ? `; ${logPath} ends: ${tail}` : ''),
  );
}

async function assertNobodyAnswers(dir: string): Promise<void> {
  try {
    const pong = await callControl(dir, { op: 'ping' }, { timeoutMs: 5000 });
    throw new SandboxError(
      SandboxCode.Exists,
      `a sandbox is already running in ${dir} (supervisor pid ${pong.pid}): stop it with ` +
        `\`orc sandbox down --dir ${dir}\``,
    );
  } catch (err) {
    const nobody: string[] = [SandboxCode.NotRunning, SandboxCode.NotFound];
    if (err instanceof OrcError && nobody.includes(err.code)) return;
    throw err;
  }
}

type Outcome =
  | { kind: 'report'; report: LaunchReport }
  | { kind: 'exit' }
  | { kind: 'timeout' }
  | { kind: 'interrupted' };

/** Resolves on the first SIGINT or SIGTERM; while installed, those signals do not end `up`. */
function onInterrupt(): { signalled: Promise<Outcome>; dispose: () => void } {
  let handler: () => void = () => undefined;
  const signalled = new Promise<Outcome>((resolve) => {
    handler = () => resolve({ kind: 'interrupted' });
  });
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signalled,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

async function assertIsDirectory(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (info && !info.isDirectory()) {
    throw new SandboxError(
      SandboxCode.BadOptions,
      `${dir} is a file, not a directory: choose a new or empty directory for --dir`,
    );
  }
}

function cannotCreate(dir: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOTDIR: 'a parent of it is a file',
    EROFS: 'the file system is read-only',
  };
  const reason = code === undefined ? undefined : why[code];
  if (!reason) return err;
  return new SandboxError(
    SandboxCode.BadOptions,
    `the sandbox directory ${dir} cannot be created (${reason}): choose another --dir`,
    { cause: err },
  );
}

/**
 * After a failed or interrupted `up`: removes the instance directories, state and write logs
 * it made (the directory too when `up` created it and nothing else is left in it but the log).
 */
async function removeCreated(dir: string, existed: boolean): Promise<void> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const made = entries.filter((e) => e !== SUPERVISOR_LOG && isSandboxEntry(e));
  await Promise.all(made.map((e) => rm(join(dir, e), { recursive: true, force: true })));
  if (!existed && made.length === entries.length) await rm(dir, { recursive: true, force: true });
}

function awaitReport(child: ChildProcess, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
    child.once('message', (report: LaunchReport) => {
      clearTimeout(timer);
      resolve({ kind: 'report', report });
    });
    child.once('exit', () => {
      clearTimeout(timer);
      resolve({ kind: 'exit' });
    });
  });
}

/**
 * Makes sure a supervisor that failed is gone, with everything it started: it exits by itself
 * after cleaning up; SIGTERM after 30 s; SIGKILL (and SIGKILL of the servers sandbox.json
 * records) as the last resort.
 */
async function reap(child: ChildProcess, dir: string): Promise<void> {
  if (child.connected) child.disconnect();
  const pid = child.pid;
  if (pid === undefined) return;
  if (await waitForExit([pid], 30_000)) return;
  child.kill('SIGTERM');
  if (await waitForExit([pid], 30_000)) return;
  child.kill('SIGKILL');
  await waitForExit([pid], 5_000);
  await killRecorded(dir, 'SIGKILL');
  const state = await readState(dir).catch(() => null);
  const left = state ? recordedPids(state).map((r) => r.pid) : [];
  await waitForExit(left.filter(isProcessAlive), 10_000);
}
