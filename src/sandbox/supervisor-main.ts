import { createLogger } from '../common/log.js';
import { describeError, OrcError } from '../common/errors.js';
import type { Shape } from './plan.js';
import { SandboxCode, SandboxError } from './errors.js';
import { childPids } from './proc.js';
import type { SandboxState } from './state.js';
import { Supervisor } from './supervisor.js';

/**
 * The supervisor process's main (`orc sandbox supervise --dir D`, started detached by
 * launchSupervisor). It receives its options over the IPC channel, brings the sandbox up,
 * reports `ready` or `failed` back, then serves the control socket until `down` or a signal.
 * Its stdout/stderr go to D/supervisor.log (JSON log lines).
 */

/** The options `up` passes to a supervisor; plain JSON. */
export interface SupervisedOptions {
  readonly basePort: number;
  readonly replicas: number;
  readonly shape: Shape;
  readonly semiSync: boolean;
  readonly semiSyncTimeoutMs?: number;
  readonly orcPassword?: string;
  readonly slaveNetTimeout?: number;
  /** A mariadbd other than the one found on PATH or in /usr/sbin. */
  readonly mariadbd?: string;
  /** A Galera cluster of this many nodes instead of a replication topology. */
  readonly galera?: number;
}

/** Parent → supervisor, once. */
export interface UpMessage {
  readonly type: 'up';
  readonly options: SupervisedOptions;
}

/** Supervisor → parent, once. */
export type LaunchReport =
  | { readonly type: 'ready'; readonly state: SandboxState }
  | { readonly type: 'failed'; readonly error: { code: string; message: string } };

/** Runs the supervisor; resolves with the process exit code once the sandbox is down. */
export async function runSupervisorProcess(dir: string): Promise<number> {
  const logger = createLogger({ level: process.env.ORC_LOG_LEVEL ?? 'info' });
  let supervisor: Supervisor | null = null;
  let stopRequested = false;
  let aborting: NodeJS.Timeout | undefined;
  const onSignal = (): void => {
    stopRequested = true;
    if (supervisor) {
      void supervisor.shutdown();
      return;
    }
    // `up` was interrupted (its Ctrl-C): while the start is still going, kill every server it
    // spawns, so the start fails fast and its own cleanup stops the rest.
    aborting ??= setInterval(() => killChildren(), 100);
    killChildren();
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, onSignal);

  try {
    const options = await receiveOptions();
    if (stopRequested)
      throw new SandboxError(SandboxCode.Interrupted, 'interrupted before the start');
    supervisor = await Supervisor.start({
      ...options,
      dir,
      logger,
      supervisorPid: process.pid,
    });
  } catch (err) {
    clearInterval(aborting);
    const code = err instanceof OrcError ? err.code : 'SANDBOX_START_FAILED';
    logger.error({ component: 'sandbox-supervisor', err }, 'sandbox did not come up');
    await report({ type: 'failed', error: { code, message: describeError(err) } });
    return 1;
  }
  clearInterval(aborting);
  await report({ type: 'ready', state: supervisor.target.state() });
  logger.info({ component: 'sandbox-supervisor', cluster: dir }, 'supervising');
  if (stopRequested) void supervisor.shutdown();
  await supervisor.done;
  logger.info({ component: 'sandbox-supervisor', cluster: dir }, 'sandbox down');
  return 0;
}

function killChildren(): void {
  for (const pid of childPids(process.pid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

function receiveOptions(): Promise<SupervisedOptions> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error('the supervisor must be started by `orc sandbox up` (no IPC channel)'));
      return;
    }
    const timer = setTimeout(() => reject(new Error('no options from `orc sandbox up`')), 30_000);
    process.once('message', (message: UpMessage) => {
      clearTimeout(timer);
      resolve(message.options);
    });
  });
}

function report(message: LaunchReport): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => {
      // The parent disconnects after reading; do not keep the channel open from this side.
      process.channel?.unref();
      resolve();
    });
  });
}
