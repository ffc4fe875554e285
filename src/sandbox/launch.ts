import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OrcError } from '../common/errors.js';
import { callControl, controlSocketPath } from './control.js';
import { SandboxCode, SandboxError } from './errors.js';
import { assertDirUsable } from './layout.js';
import { waitForExit } from './proc.js';
import { SUPERVISOR_LOG, type SandboxState } from './state.js';
import type { LaunchReport, SupervisedOptions, UpMessage } from './supervisor-main.js';
import { killRecorded } from './teardown.js';
import { tailFile } from './template.js';

/**
 * Starts a supervisor process for `orc sandbox up`: detached (its own session, so it outlives
 * the command and a terminal's Ctrl-C), stdio to D/supervisor.log, options over IPC. Resolves
 * with the sandbox's state once the supervisor reports it replicating; otherwise throws the
 * supervisor's own error (code and message) after making sure nothing it started still runs.
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
  await assertNobodyAnswers(dir);
  await assertDirUsable(dir);
  await mkdir(dir, { recursive: true });

  const logPath = join(dir, SUPERVISOR_LOG);
  const log = openSync(logPath, 'w');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [options.entry, 'sandbox', 'supervise', '--dir', dir], {
      detached: true,
      stdio: ['ignore', log, log, 'ipc'],
    });
  } finally {
    closeSync(log);
  }
  const message: UpMessage = { type: 'up', options: options.up };
  child.send(message);

  const outcome = await awaitReport(child, options.timeoutMs ?? 180_000);
  if (outcome.kind === 'report' && outcome.report.type === 'ready') {
    child.disconnect();
    child.unref();
    return outcome.report.state;
  }
  await reap(child, dir);
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

type Outcome = { kind: 'report'; report: LaunchReport } | { kind: 'exit' } | { kind: 'timeout' };

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
}
