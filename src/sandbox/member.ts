import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { Clock } from '../common/clock.js';
import type { LinkMode } from './flow.js';
import { publicAddress } from './names.js';
import { TcpProxy } from './proxy.js';
import { ServerProcess, type ServerExit } from './server-process.js';
import type { InstanceRecord } from './state.js';

/**
 * One instance of a sandbox: its mariadbd child and the proxy at its public address, kept in
 * step. The proxy listens only while the server runs, and stops listening just before a
 * requested stop or kill (a dying server stops accepting before its connections drop) or as
 * soon as an unrequested exit is seen.
 */
export class Member extends EventEmitter<{ exit: [ServerExit] }> {
  private readonly server: ServerProcess;
  private readonly proxy: TcpProxy;
  /** `s1 (127.0.0.1:23306)`. */
  readonly label: string;

  constructor(
    readonly record: InstanceRecord,
    options: {
      mariadbd: string;
      clock: Clock;
      readyTimeoutMs?: number | undefined;
      identify: (socket: Socket) => Promise<string>;
      modeFor: (origin: string) => LinkMode;
      onProxyError: (err: Error) => void;
    },
  ) {
    super();
    this.label = `${record.name} (${publicAddress(record)})`;
    this.server = new ServerProcess({
      label: this.label,
      mariadbd: options.mariadbd,
      cnfPath: record.cnfPath,
      stdoutPath: join(record.dir, 'stdout.log'),
      errorLogPath: join(record.dir, 'error.log'),
      privatePort: record.privatePort,
      clock: options.clock,
      ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
    });
    this.proxy = new TcpProxy({
      label: this.label,
      listenPort: record.publicPort,
      targetPort: record.privatePort,
      identify: options.identify,
      modeFor: options.modeFor,
    });
    this.proxy.on('error', options.onProxyError);
    this.server.on('exit', (exit) => {
      void this.proxy.unlisten().then(() => this.emit('exit', exit));
    });
  }

  get name(): string {
    return this.record.name;
  }

  get pid(): number | null {
    return this.server.pid;
  }

  get running(): boolean {
    return this.server.running;
  }

  /** Starts the server, waits until it answers, then opens its public address. */
  async start(): Promise<void> {
    await this.server.start();
    try {
      await this.proxy.listen();
    } catch (err) {
      await this.server.kill();
      throw err;
    }
  }

  /** Stops (SIGTERM) or kills (SIGKILL) the server; resolves once it has exited. */
  async halt(how: 'stop' | 'kill'): Promise<ServerExit | null> {
    if (!this.server.running) return null;
    await this.proxy.unlisten();
    return how === 'kill' ? this.server.kill() : this.server.stop();
  }

  /** Re-applies link modes to the open flows (after a cut or heal). */
  refreshLinks(): void {
    this.proxy.refresh();
  }

  /** Open flows from `origin` to this server. */
  flowsFrom(origin: string): number {
    return this.proxy.flowCounts().get(origin) ?? 0;
  }

  /** Stops the server and closes the proxy, resetting its flows. */
  async shutdown(): Promise<void> {
    await this.halt('stop');
    await this.proxy.close();
  }
}
