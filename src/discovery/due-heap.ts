/** A first-in first-out queue with O(1) shift, for the scheduler's ready lanes. */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/**
 * The wait before the next poll of a server, as Percona's orchestrator backs off dead
 * instances: `poll × factor^(failures − 1)`, capped at `maxMs` (never below `poll`).
 * `failures` counts consecutive failed probes (0 when the last one answered). `exempt`
 * servers (primaries and intermediate primaries, which analysis needs fresh) are never
 * backed off.
 */
export function pollDelayMs(options: {
  readonly pollMs: number;
  readonly failures: number;
  readonly factor: number;
  readonly maxMs: number;
  readonly exempt: boolean;
}): number {
  const { pollMs, failures, factor } = options;
  if (failures <= 1 || options.exempt || factor <= 1) return pollMs;
  const delay = pollMs * factor ** (failures - 1);
  return Math.min(delay, Math.max(options.maxMs, pollMs));
}
