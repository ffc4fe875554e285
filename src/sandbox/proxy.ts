import { EventEmitter } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { SandboxCode, SandboxError } from './errors.js';
import { Flow, type LinkMode } from './flow.js';
import { ORC_ORIGIN, SANDBOX_HOST } from './names.js';

/**
 * A server's public address: a TCP proxy on 127.0.0.1 in front of its private port. Every
 * accepted connection becomes a Flow whose origin is identified first (`orc` or the instance
 * that opened it), so each link through the proxy can be cut on its own.
 *
 * While the server is down the proxy does not listen, so clients get "connection refused"
 * (errno 2003 in a replica's `Last_IO_Errno`) exactly as from a dead server without a proxy.
 */
export interface ProxyOptions {
  /** For messages: `s1 (127.0.0.1:23306)`. */
  readonly label: string;
  readonly listenPort: number;
  readonly targetPort: number;
  /** The origin of an accepted connection. Must not throw; `orc` when unknown. */
  readonly identify: (socket: Socket) => Promise<string>;
  /** The current mode of the link from `origin` to this proxy's server. */
  readonly modeFor: (origin: string) => LinkMode;
}

export class TcpProxy extends EventEmitter<{ error: [Error] }> {
  private server: Server | null = null;
  private readonly flows = new Set<Flow>();

  constructor(private readonly options: ProxyOptions) {
    super();
  }

  get listening(): boolean {
    return this.server !== null;
  }

  /** Starts accepting; idempotent. Rejects with SANDBOX_PORT_IN_USE when the port is taken. */
  async listen(): Promise<void> {
    if (this.server) return;
    const server = createServer(
      { allowHalfOpen: true, pauseOnConnect: true, noDelay: true },
      (socket) => this.accept(socket),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(
          err.code === 'EADDRINUSE'
            ? new SandboxError(
                SandboxCode.PortInUse,
                `port ${this.options.listenPort} (public address of ${this.options.label}) ` +
                  'is in use by another process',
                { cause: err },
              )
            : err,
        );
      });
      server.listen({ host: SANDBOX_HOST, port: this.options.listenPort, exclusive: true }, () =>
        resolve(),
      );
    });
    server.on('error', (err) => this.emit('error', err));
    this.server = server;
  }

  /** Stops accepting (new connections are refused); open flows carry on. Idempotent. */
  async unlisten(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    // close() frees the port at once; its callback would wait for every open flow to end.
    server.close();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Re-applies every identified flow's link mode; call after a cut or a heal. */
  refresh(): void {
    for (const flow of this.flows) {
      if (flow.origin !== null) flow.apply(this.options.modeFor(flow.origin));
    }
  }

  /** Open flows per origin. */
  flowCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const flow of this.flows) {
      const origin = flow.origin ?? '?';
      counts.set(origin, (counts.get(origin) ?? 0) + 1);
    }
    return counts;
  }

  /** Bytes dropped so far by this proxy's open flows (blackholed links). */
  droppedBytes(): number {
    let total = 0;
    for (const flow of this.flows) total += flow.dropped;
    return total;
  }

  /** Stops accepting and resets every flow. */
  async close(): Promise<void> {
    const closing = this.unlisten();
    for (const flow of [...this.flows]) flow.resetBoth();
    await closing;
  }

  private accept(socket: Socket): void {
    const flow = new Flow(socket, this.options.targetPort, (f) => this.flows.delete(f));
    this.flows.add(flow);
    void this.options
      .identify(socket)
      .catch(() => ORC_ORIGIN)
      .then((origin) => {
        flow.origin = origin;
        flow.apply(this.options.modeFor(origin));
      });
  }
}
