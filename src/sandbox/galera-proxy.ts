import { createServer, connect, type Server, type Socket } from 'node:net';
import { GaleraCode, galeraError } from './galera-errors.js';

/**
 * How a link behaves. `pass` forwards bytes; `blackhole` keeps every socket open and drops
 * the bytes (a silent partition: peers notice only by their own timeouts); `reset` sends a
 * TCP reset on every open connection and resets new ones as soon as they are accepted.
 */
export type LinkMode = 'pass' | 'blackhole' | 'reset';

export interface LinkProxyOptions {
  listenHost: string;
  listenPort: number;
  targetHost: string;
  targetPort: number;
  /** Source address of the outgoing connection; the kernel picks one when absent. */
  localAddress?: string;
  /** When set, connections from any other source address are reset at once. */
  allowFrom?: string;
}

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
  /** Bytes were dropped on this pair: its streams are no longer whole. */
  damaged: boolean;
}

/**
 * A small TCP proxy on loopback for the Galera sandbox's group-communication links. Owned by
 * one GaleraCluster; `setMode` may be called any number of times; `close` is idempotent.
 *
 * TODO(sandbox): merge with the general sandbox proxy once it exists; this one is kept
 * self-contained so the Galera sandbox does not wait for it.
 */
export class LinkProxy {
  private readonly pairs = new Set<Pair>();
  private currentMode: LinkMode = 'pass';
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly options: LinkProxyOptions,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens on listenHost:listenPort; rejects with SANDBOX_PORT_IN_USE when taken. */
  static async open(options: LinkProxyOptions): Promise<LinkProxy> {
    const server = createServer({ noDelay: true });
    const proxy = new LinkProxy(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        const where = `${options.listenHost}:${options.listenPort}`;
        const code = err.code === 'EADDRINUSE' ? GaleraCode.PortInUse : GaleraCode.PortUnusable;
        reject(galeraError(code, `cannot listen on ${where} for a gcomm proxy`, { cause: err }));
      });
      server.listen(options.listenPort, options.listenHost, () => resolve());
    });
    server.on('error', () => {});
    return proxy;
  }

  get mode(): LinkMode {
    return this.currentMode;
  }

  /** The port listened on (useful when opened with listenPort 0). */
  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** Open connections through this proxy (for tests and status output). */
  get connections(): number {
    return this.pairs.size;
  }

  /**
   * Switches the link. Leaving `blackhole` resets the connections that lost bytes, because a
   * stream with a hole in it cannot be resumed; the peers reconnect through the healed link.
   */
  setMode(mode: LinkMode): void {
    this.currentMode = mode;
    for (const pair of [...this.pairs]) {
      if (mode === 'reset' || (mode === 'pass' && pair.damaged)) this.resetPair(pair);
      else if (mode === 'blackhole') pair.damaged = true;
    }
  }

  /** Stops listening and destroys every connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pair of [...this.pairs]) this.resetPair(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const { allowFrom } = this.options;
    if (this.closed || this.currentMode === 'reset') {
      client.resetAndDestroy();
      return;
    }
    if (allowFrom !== undefined && client.remoteAddress !== allowFrom) {
      client.resetAndDestroy();
      return;
    }
    client.setNoDelay(true);
    const pair: Pair = { client, upstream: undefined, damaged: false };
    this.pairs.add(pair);
    client.on('error', () => {});
    client.on('close', (hadError) => this.sideClosed(pair, client, hadError));

    if (this.currentMode === 'blackhole') {
      pair.damaged = true;
      client.on('data', () => {});
      return;
    }
    const upstream = connect({
      host: this.options.targetHost,
      port: this.options.targetPort,
      noDelay: true,
      ...(this.options.localAddress === undefined
        ? {}
        : { localAddress: this.options.localAddress }),
    });
    pair.upstream = upstream;
    upstream.on('error', () => {});
    upstream.on('close', (hadError) => this.sideClosed(pair, upstream, hadError));
    this.forward(pair, client, upstream);
    this.forward(pair, upstream, client);
  }

  /** Copies `from` to `to` while the link passes, with backpressure; drops bytes otherwise. */
  private forward(pair: Pair, from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (this.currentMode !== 'pass' || pair.damaged) {
        pair.damaged = true;
        return;
      }
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
    });
    from.on('end', () => {
      if (this.currentMode === 'pass' && !pair.damaged) to.end();
    });
  }

  /**
   * One side closed. While the link passes, the other side is closed the same way (reset
   * after an error, FIN otherwise). In a blackhole the other side is left open and unaware.
   */
  private sideClosed(pair: Pair, side: Socket, hadError: boolean): void {
    if (!this.pairs.has(pair)) return;
    const other = side === pair.client ? pair.upstream : pair.client;
    if (other === undefined || other.destroyed) {
      this.pairs.delete(pair);
      return;
    }
    if (this.currentMode === 'pass' && !pair.damaged) {
      this.pairs.delete(pair);
      if (hadError) other.resetAndDestroy();
      else other.end();
    } else {
      pair.damaged = true;
    }
  }

  private resetPair(pair: Pair): void {
    this.pairs.delete(pair);
    for (const socket of [pair.client, pair.upstream]) {
      if (socket !== undefined && !socket.destroyed) socket.resetAndDestroy();
    }
  }
}
