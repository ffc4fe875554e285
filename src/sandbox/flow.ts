import { connect, type Socket } from 'node:net';
import { SANDBOX_HOST } from './names.js';

/**
 * What a link does to its TCP flows:
 *
 * - `pass`: bytes, half-closes and resets are forwarded as they come.
 * - `blackhole`: a silent partition. Sockets stay open, bytes in both directions are read and
 *   dropped, FINs and resets are not passed on. New connections are accepted and held (no
 *   greeting ever arrives). On heal, a flow that lost nothing resumes; a flow that lost bytes or
 *   a close is reset on both sides, because its byte stream is corrupt: clients reconnect.
 * - `reset`: a refused link. Existing flows get an RST on both sides, new connections an RST
 *   as soon as they are accepted.
 */
export type LinkMode = 'pass' | 'blackhole' | 'reset';

export const CUT_MODES = ['blackhole', 'reset'] as const;
export type CutMode = (typeof CUT_MODES)[number];

type FlowState = 'held' | 'piping' | 'dropping' | 'closed';

/**
 * One accepted connection and, once its link lets it through, its upstream connection to the
 * server's private port. Created paused (the proxy listens with `pauseOnConnect`) and held
 * until `apply` is first called with the link's mode.
 */
export class Flow {
  /** The connection's origin (`orc` or an instance name), once identified. */
  origin: string | null = null;
  private state: FlowState = 'held';
  private upstream: Socket | null = null;
  private upstreamOpen = false;
  private clientOpen = true;
  /** Bytes dropped while blackholed. */
  dropped = 0;
  /** A half-close or close was swallowed while blackholed. */
  private lostClose = false;

  constructor(
    private readonly client: Socket,
    private readonly targetPort: number,
    private readonly onClosed: (flow: Flow) => void,
  ) {
    client.on('data', (chunk: Buffer) => this.carry(chunk, client, this.upstream));
    client.on('end', () => this.halfClose(this.upstream));
    client.on('error', () => undefined); // 'close' follows with hadError
    client.on('close', (hadError) => {
      this.clientOpen = false;
      this.sideClosed(hadError, this.upstream);
    });
  }

  get mode(): FlowState {
    return this.state;
  }

  /** Moves the flow to `mode`; see LinkMode for what each does to the sockets. */
  apply(mode: LinkMode): void {
    if (this.state === 'closed') return;
    if (mode === 'reset') {
      this.resetBoth();
    } else if (mode === 'blackhole') {
      this.state = 'dropping';
      this.client.resume();
      this.upstream?.resume();
    } else if (this.state !== 'piping') {
      this.resumeFlow();
    }
  }

  /** Resets both sides and forgets the flow (used when the proxy closes). */
  resetBoth(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.client.resetAndDestroy();
    this.upstream?.resetAndDestroy();
    this.onClosed(this);
  }

  private resumeFlow(): void {
    const damaged = this.dropped > 0 || this.lostClose || !this.clientOpen;
    if (damaged || (this.upstream !== null && !this.upstreamOpen)) {
      this.resetBoth();
      return;
    }
    this.state = 'piping';
    if (!this.upstream) this.openUpstream();
    this.client.resume();
    this.upstream?.resume();
  }

  private openUpstream(): void {
    const upstream = connect({
      host: SANDBOX_HOST,
      port: this.targetPort,
      allowHalfOpen: true,
      noDelay: true,
    });
    this.upstream = upstream;
    this.upstreamOpen = true;
    upstream.on('data', (chunk: Buffer) => this.carry(chunk, upstream, this.client));
    upstream.on('end', () => this.halfClose(this.client));
    upstream.on('error', () => undefined); // 'close' follows with hadError
    upstream.on('close', (hadError) => {
      this.upstreamOpen = false;
      this.sideClosed(hadError, this.client);
    });
  }

  private carry(chunk: Buffer, from: Socket, to: Socket | null): void {
    if (this.state !== 'piping' || !to) {
      this.dropped += chunk.length;
      return;
    }
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => {
        if (this.state === 'piping') from.resume();
      });
    }
  }

  private halfClose(to: Socket | null): void {
    if (this.state === 'piping' && to) to.end();
    else this.lostClose = true;
  }

  private sideClosed(hadError: boolean, other: Socket | null): void {
    if (this.state === 'closed') return;
    if (this.state !== 'piping') {
      this.lostClose = true;
      if (!this.clientOpen && !this.upstreamOpen) this.finish();
      return;
    }
    if (other && !other.destroyed) {
      if (hadError) other.resetAndDestroy();
      else other.end();
    }
    if (!this.clientOpen && !this.upstreamOpen) this.finish();
  }

  private finish(): void {
    this.state = 'closed';
    this.onClosed(this);
  }
}
