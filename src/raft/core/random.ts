/**
 * The core's randomness as data: a 32-bit generator state kept inside the Raft state, seeded
 * by the driver (the service from `crypto`, the simulator from its own seed). The same seed and
 * inputs always give the same election timeouts, which is what makes runs replayable.
 * The generator is xorshift32 (Marsaglia 2003) behind an avalanche of the seed.
 */

/** Turns any number into a usable non-zero generator state. */
export function seedRandom(seed: number): number {
  let x = Math.trunc(seed) ^ 0x9e3779b9;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x ^= x >>> 16;
  return x === 0 ? 0x6d2b79f5 : x | 0;
}

/** The next state and a value in [0, 1) drawn from it. */
export function nextRandom(state: number): { state: number; value: number } {
  let x = state | 0;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  return { state: x | 0, value: (x >>> 0) / 4294967296 };
}
