/**
 * A binary min-heap of items keyed by a time: push and pop in O(log n). Ties pop in insertion
 * order, so a run that pushes the same items in the same order pops them in the same order
 * (the Raft simulator's determinism and the poll scheduler's fairness rely on it). Items are
 * never removed from the middle; callers that need to cancel mark items stale and skip them.
 */
export class TimeHeap<T> {
  private readonly slots: { readonly at: number; readonly seq: number; readonly item: T }[] = [];
  private seq = 0;

  get size(): number {
    return this.slots.length;
  }

  push(at: number, item: T): void {
    this.slots.push({ at, seq: this.seq++, item });
    this.up(this.slots.length - 1);
  }

  /** The earliest item, left in place; undefined when empty. */
  peek(): { readonly at: number; readonly item: T } | undefined {
    return this.slots[0];
  }

  /** The earliest item, removed; undefined when empty. */
  pop(): { readonly at: number; readonly item: T } | undefined {
    const top = this.slots[0];
    const last = this.slots.pop();
    if (top === undefined || last === undefined) return undefined;
    if (this.slots.length > 0) {
      this.slots[0] = last;
      this.down(0);
    }
    return top;
  }

  private before(a: number, b: number): boolean {
    const x = this.slots[a];
    const y = this.slots[b];
    if (x === undefined || y === undefined) return false;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const x = this.slots[a];
    const y = this.slots[b];
    if (x === undefined || y === undefined) return;
    this.slots[a] = y;
    this.slots[b] = x;
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
      let least = i;
      if (left < this.slots.length && this.before(left, least)) least = left;
      if (left + 1 < this.slots.length && this.before(left + 1, least)) least = left + 1;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }
}
