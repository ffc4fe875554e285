import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { systemClock, type Clock } from '../common/clock.js';
import { SandboxCode, SandboxError } from './errors.js';
import { withRoot } from './sql.js';
import { tailFile } from './template.js';

/**
 * One mariadbd, run as a direct child of this Node process and awaited on its `exit` event:
 * never orphaned, and a stop is over when the process is (0.06 s after SIGTERM, measured),
 * not when some init gets round to reaping it (mariadb-sandbox.md, the zombie trap).
 *
 * A process-wide safety net SIGKILLs every still-running server synchronously on
 * `process.on('exit')`, so a test that fails, or a supervisor that crashes, leaves no server.
 */

export interface ServerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when this object asked for it (stop, kill); false for a crash. */
  readonly requested: boolean;
}

export interface ServerProcessOptions {
  /** For messages and logs: `s1 (127.0.0.1:23306)`. */
  readonly label: string;
  readonly mariadbd: string;
  readonly cnfPath: string;
  /** mariadbd's stdout and stderr are appended here. */
  readonly stdoutPath: string;
  readonly errorLogPath: string;
  readonly privatePort: number;
  readonly readyTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
  readonly clock?: Clock;
}

const live = new Set<ChildProcess>();
let safetyNetInstalled = false;

function installSafetyNet(): void {
  if (safetyNetInstalled) return;
  safetyNetInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

export class ServerProcess extends EventEmitter<{ exit: [ServerExit] }> {
  private child: ChildProcess | null = null;
  private exited: Promise<ServerExit> | null = null;
  private requested = false;
  private readonly clock: Clock;

  constructor(private readonly options: ServerProcessOptions) {
    super();
    this.clock = options.clock ?? systemClock;
  }

  /** The pid while the process runs, else null. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /**
   * Spawns mariadbd and resolves once it answers a query. Rejects with SANDBOX_START_FAILED
   * (quoting its error log) when it exits first or is not ready within the timeout; in that
   * case nothing is left running. Calling it while running is a no-op.
   */
  async start(): Promise<void> {
    if (this.child) return;
    installSafetyNet();
    const out = openSync(this.options.stdoutPath, 'a');
    let child: ChildProcess;
    try {
      child = spawn(this.options.mariadbd, [`--defaults-file=${this.options.cnfPath}`], {
        stdio: ['ignore', out, out],
      });
    } finally {
      closeSync(out);
    }
    this.child = child;
    this.requested = false;
    live.add(child);
    this.exited = new Promise((resolve) => {
      let done = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (done) return;
        done = true;
        live.delete(child);
        if (this.child === child) this.child = null;
        const exit = { code, signal, requested: this.requested };
        resolve(exit);
        this.emit('exit', exit);
      };
      child.once('exit', finish);
      // A spawn that failed (no pid) never emits 'exit'; the readiness check reports it.
      child.once('error', () => {
        if (child.pid === undefined) finish(null, null);
      });
    });

    try {
      await this.waitReady();
    } catch (err) {
      await this.kill();
      throw err;
    }
  }

  private async waitReady(): Promise<void> {
    const deadline = this.clock.monotonic() + (this.options.readyTimeoutMs ?? 30_000);
    let exited = false;
    void this.exited?.then(() => (exited = true));
    for (;;) {
      if (exited) throw await this.startFailure('exited during startup');
      try {
        await withRoot(this.options.privatePort, (c) => c.query('SELECT 1'), 1000);
        return;
      } catch {
        if (this.clock.monotonic() > deadline) {
          throw await this.startFailure('did not answer queries in time');
        }
        await this.clock.sleep(50);
      }
    }
  }

  private async startFailure(what: string): Promise<SandboxError> {
    // Before mariadbd opens its error log, it complains on stderr (stdout.log).
    let path = this.options.errorLogPath;
    let log = await tailFile(path, 6);
    if (!log) {
      path = this.options.stdoutPath;
      log = await tailFile(path, 6);
    }
    return new SandboxError(
      SandboxCode.StartFailed,
      `mariadbd ${this.options.label} ${what}` + (log ? `; its log (${path}) ends: ${log}` : ''),
      { context: { instance: this.options.label } },
    );
  }

  /** SIGTERM (a clean shutdown), escalating to SIGKILL after the stop timeout. Idempotent. */
  async stop(): Promise<ServerExit | null> {
    return this.signal('SIGTERM', this.options.stopTimeoutMs ?? 30_000);
  }

  /** SIGKILL: a crash, as `kill -9` would make it. Idempotent. */
  async kill(): Promise<ServerExit | null> {
    return this.signal('SIGKILL', 10_000);
  }

  private async signal(sig: NodeJS.Signals, timeoutMs: number): Promise<ServerExit | null> {
    const child = this.child;
    const exited = this.exited;
    if (!child || !exited) return null;
    this.requested = true;
    child.kill(sig);
    const cancel = this.clock.setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    try {
      return await exited;
    } finally {
      cancel();
    }
  }
}
