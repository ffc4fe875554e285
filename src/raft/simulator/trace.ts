/**
 * The tail of what happened in a run, printed when a property fails: the last events with
 * their simulated time, so a failing seed can be read before it is replayed.
 */
export class Trace {
  private lines: string[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  add(timeUs: number, node: string, text: string): void {
    const line = `${(timeUs / 1000).toFixed(3).padStart(10)}ms ${node.padEnd(4)} ${text}`;
    if (this.lines.length < this.capacity) this.lines.push(line);
    else this.lines[this.next % this.capacity] = line;
    this.next++;
  }

  /** The last `n` lines, oldest first. */
  tail(n: number): string[] {
    const ordered =
      this.lines.length < this.capacity
        ? this.lines
        : [
            ...this.lines.slice(this.next % this.capacity),
            ...this.lines.slice(0, this.next % this.capacity),
          ];
    return ordered.slice(-n);
  }
}
