/**
 * The simulator's only source of randomness: a seeded generator (the core's xorshift32), so a
 * seed fixes every delay, loss, crash and election timeout of a run.
 */
import { nextRandom, seedRandom } from '../core/random.js';

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seedRandom(seed);
  }

  /** A value in [0, 1). */
  next(): number {
    const draw = nextRandom(this.state);
    this.state = draw.state;
    return draw.value;
  }

  /** A whole number in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** A number in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Picks a key with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    const last = entries[entries.length - 1];
    if (last === undefined) throw new RangeError('weighted pick from nothing');
    return last[0];
  }

  /** A seed for a generator of its own (e.g. a node's election timeouts). */
  seed(): number {
    return Math.floor(this.next() * 0x7fffffff);
  }
}
