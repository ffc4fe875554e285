/**
 * The simulated network: per-message delay (so reordering), loss, duplication, and links cut
 * one way or both. A link is judged when a message is sent; messages already in flight when a
 * partition starts still arrive, as on a real network.
 */
import type { NodeId } from '../core/types.js';
import type { Prng } from './prng.js';

export interface NetworkConditions {
  /** Probability that a message is lost. */
  readonly loss: number;
  /** Probability that a message is delivered twice. */
  readonly duplicate: number;
  /** Usual one-way delay range, ms. */
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** Probability of a much longer delay (up to `slowDelayMs`): stragglers arrive out of order. */
  readonly slow: number;
  readonly slowDelayMs: number;
}

export const CALM_NETWORK: NetworkConditions = {
  loss: 0,
  duplicate: 0,
  minDelayMs: 0.2,
  maxDelayMs: 3,
  slow: 0,
  slowDelayMs: 0,
};

export class Network {
  conditions: NetworkConditions = CALM_NETWORK;
  private readonly cut = new Set<string>();
  /** Extra one-way delay per link, ms (asymmetric latency). */
  private readonly lag = new Map<string, number>();

  constructor(private readonly prng: Prng) {}

  /** Cuts `from → to` (one way). */
  block(from: NodeId, to: NodeId): void {
    this.cut.add(`${from}>${to}`);
  }

  /** Separates the two groups in both directions. */
  partition(a: readonly NodeId[], b: readonly NodeId[]): void {
    for (const x of a) {
      for (const y of b) {
        this.block(x, y);
        this.block(y, x);
      }
    }
  }

  /** Adds `ms` of delay to every message `from → to`. */
  slowDown(from: NodeId, to: NodeId, ms: number): void {
    this.lag.set(`${from}>${to}`, ms);
  }

  healLinks(): void {
    this.cut.clear();
    this.lag.clear();
  }

  /** The links cut (`a>b`) and slowed (`a>b+40ms`), for the trace. */
  blockedLinks(): string[] {
    const slowed = [...this.lag].map(([link, ms]) => `${link}+${ms.toFixed(0)}ms`);
    return [...this.cut, ...slowed].sort();
  }

  /** Delays (ms) of the copies of one message: none when lost or cut. */
  deliveries(from: NodeId, to: NodeId): number[] {
    const c = this.conditions;
    if (this.cut.has(`${from}>${to}`) || this.prng.chance(c.loss)) return [];
    const copies = this.prng.chance(c.duplicate) ? 2 : 1;
    const lag = this.lag.get(`${from}>${to}`) ?? 0;
    const delays: number[] = [];
    for (let i = 0; i < copies; i++) {
      const delay = this.prng.chance(c.slow)
        ? this.prng.between(c.maxDelayMs, c.slowDelayMs)
        : this.prng.between(c.minDelayMs, c.maxDelayMs);
      delays.push(delay + lag);
    }
    return delays;
  }
}
