import type { Server } from 'node:net';
import type { Logger } from '../common/log.js';
import {
  serveControl,
  type ControlOp,
  type ControlRequest,
  type ControlResults,
} from './control.js';
import { SandboxCode, SandboxError } from './errors.js';
import { Sandbox } from './sandbox.js';
import type { SandboxState } from './state.js';
import { startGaleraTarget } from './supervised-galera.js';
import type { SupervisedOptions } from './supervisor-main.js';

/** The operations a supervised sandbox answers; `down` and `ping` are the supervisor's own. */
export type Handlers = {
  [K in ControlOp]: (request: Extract<ControlRequest, { op: K }>) => Promise<ControlResults[K]>;
};

/** What a supervisor runs: a replication Sandbox or a Galera cluster, behind one face. */
export interface SupervisedTarget {
  readonly kind: SandboxState['kind'];
  readonly dir: string;
  readonly handlers: Partial<Omit<Handlers, 'down' | 'ping'>>;
  state(): SandboxState;
  pids(): number[];
  down(): Promise<void>;
}

/**
 * Owns one sandbox for the CLI: serves it on the control socket until asked to go down, so
 * separate `orc sandbox …` commands act on the same servers and proxies. `done` resolves once
 * the sandbox is down and the socket closed.
 */
export class Supervisor {
  readonly done: Promise<void>;
  private finish: () => void = () => undefined;
  private server: Server | null = null;
  private stopping: Promise<number[]> | null = null;

  private constructor(
    readonly target: SupervisedTarget,
    private readonly logger: Logger,
  ) {
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  /** Brings the sandbox up, then starts serving. On failure nothing is left running. */
  static async start(
    options: SupervisedOptions & { dir: string; logger: Logger; supervisorPid: number },
  ): Promise<Supervisor> {
    const target =
      options.galera === undefined
        ? replicationTarget(await Sandbox.up(options))
        : await startGaleraTarget({ ...options, nodes: options.galera });
    const supervisor = new Supervisor(target, options.logger);
    try {
      supervisor.server = await serveControl(target.dir, (r) => supervisor.handle(r));
    } catch (err) {
      await target.down();
      throw err;
    }
    return supervisor;
  }

  private handle(request: ControlRequest): Promise<unknown> {
    this.logger.debug({ component: 'sandbox-supervisor', analysis: request.op }, 'request');
    if (request.op === 'ping') return Promise.resolve({ pid: process.pid, dir: this.target.dir });
    if (request.op === 'down') return this.shutdown().then((stopped) => ({ stopped }));
    const handler = this.target.handlers[request.op] as
      ((r: ControlRequest) => Promise<unknown>) | undefined;
    if (!handler) {
      return Promise.reject(
        new SandboxError(
          SandboxCode.BadOptions,
          `${request.op} is not available for a ${this.target.kind} sandbox`,
        ),
      );
    }
    return handler(request);
  }

  /**
   * Stops the sandbox and closes the control socket; resolves with the pids that were running.
   * Idempotent (a second call waits for the first).
   */
  shutdown(): Promise<number[]> {
    this.stopping ??= (async () => {
      const pids = this.target.pids();
      await this.target.down();
      // Let the answer to `down` leave before the socket closes; then the process may end.
      setImmediate(() => {
        this.server?.close();
        this.finish();
      });
      return pids;
    })();
    return this.stopping;
  }
}

function replicationTarget(sandbox: Sandbox): SupervisedTarget {
  return {
    kind: 'replication',
    dir: sandbox.dir,
    state: () => sandbox.state(),
    pids: () => sandbox.pids(),
    down: () => sandbox.down(),
    handlers: {
      status: () => sandbox.status(),
      kill: (r) => sandbox.kill(r.instance),
      stop: (r) => sandbox.stop(r.instance),
      start: (r) => sandbox.start(r.instance),
      restart: (r) => sandbox.restart(r.instance),
      lag: (r) => sandbox.lag(r.instance, r.change),
      cut: (r) => Promise.resolve(sandbox.cut(r.from, r.to, r.mode)),
      heal: (r) => Promise.resolve({ healed: sandbox.heal(r.from, r.to) }),
      'heal-all': () => Promise.resolve({ healed: sandbox.healAll() }),
    },
  };
}
