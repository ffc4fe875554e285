/** One waiting item: `id` falls due at `dueAt`; `token` tells a current item from a stale one. */
export interface DueItem {
  readonly id: string;
  readonly dueAt: number;
  readonly token: number;
}

/**
 * A binary min-heap of due times: push and pop in O(log n), so the poll scheduler finds the
 * next server to probe without scanning the fleet. Items are never removed from the middle:
 * the scheduler makes an item stale by moving on to a new token, and skips stale items when
 * they reach the top. Ties pop in insertion order.
 */
export class DueHeap {
  private readonly items: (DueItem & { readonly seq: number })[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(item: DueItem): void {
    this.items.push({ ...item, seq: this.seq++ });
    this.up(this.items.length - 1);
  }

  peek(): DueItem | undefined {
    return this.items[0];
  }

  pop(): DueItem | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (top === undefined || last === undefined) return undefined;
    if (this.items.length > 0) {
      this.items[0] = last;
      this.down(0);
    }
    return top;
  }

  private before(a: number, b: number): boolean {
    const x = this.items[a];
    const y = this.items[b];
    if (x === undefined || y === undefined) return false;
    return x.dueAt < y.dueAt || (x.dueAt === y.dueAt && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const x = this.items[a];
    const y = this.items[b];
    if (x === undefined || y === undefined) return;
    this.items[a] = y;
    this.items[b] = x;
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < this.items.length && this.before(left, least)) least = left;
      if (right < this.items.length && this.before(right, least)) least = right;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }
}

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
