import type { Clock } from '../common/clock.js';
import { TimeHeap } from '../common/time-heap.js';
import { Fifo } from './due-heap.js';

/**
 * Where a ready server waits for a poller, served in this order: `urgent` (new addresses,
 * API requests, refreshes), `live`, then unreachable servers — primaries first
 * (`dead-primary`), then the rest (`dead`).
 */
export type Lane = 'urgent' | 'live' | 'dead-primary' | 'dead';

/** Lanes a periodic poll may be scheduled in (urgent is for `runNow`). */
export type PollLane = Exclude<Lane, 'urgent'>;

export interface SchedulerOptions {
  readonly clock: Clock;
  /** Probes of live (and new) servers in flight at once. */
  readonly maxConcurrency: number;
  /**
   * >0: unreachable servers get this many pollers of their own. 0: they share
   * `maxConcurrency` but never hold more than half of it, so they cannot starve live ones.
   */
  readonly deadMaxConcurrency: number;
  /** Polls one server; must settle (rejections are ignored). */
  readonly run: (id: string) => Promise<void>;
  /** Called with the number of ready servers waiting for a poller, when it changes. */
  readonly onQueueDepth?: (depth: number) => void;
  /** Servers due within this many ms of a timer firing are released together (default 10). */
  readonly batchWindowMs?: number;
}

interface Entry {
  readonly id: string;
  state: 'waiting' | 'ready' | 'running';
  lane: Lane;
  token: number;
  /** Set by `schedule` while running: where to go when the run ends. */
  next: { dueAt: number; lane: PollLane } | undefined;
  /** Set by `runNow` while running: run again at once when the run ends. */
  again: boolean;
  /** Set by `remove` while running: leave the scheduler when the run ends. */
  removed: boolean;
}

export interface SchedulerStats {
  /** Servers the scheduler knows (waiting, ready or running). */
  readonly entries: number;
  readonly waiting: number;
  readonly ready: number;
  readonly running: number;
  readonly runningDead: number;
}

const LANES: readonly Lane[] = ['urgent', 'live', 'dead-primary', 'dead'];

/**
 * The poll scheduler: a due-time heap of servers, one timer armed for the earliest, ready
 * lanes and a bounded set of pollers. Nothing scans the fleet: a server costs O(log n) per
 * poll. Each server is in the scheduler at most once; asking for it again moves it.
 *
 * Contract: `run(id)` is never called twice at once for one id. When a run ends, the server
 * goes where `schedule` (called during the run) put it, runs again at once if `runNow` was
 * called during the run, and otherwise leaves the scheduler. `stop()` stops dispatching and
 * resolves when the runs in flight have ended.
 */
export class PollScheduler {
  private readonly entries = new Map<string, Entry>();
  /** Waiting servers by due time; an item whose token is not the entry's current one is stale. */
  private readonly heap = new TimeHeap<{ readonly id: string; readonly token: number }>();
  private readonly lanes: Record<Lane, Fifo<{ id: string; token: number }>> = {
    urgent: new Fifo(),
    live: new Fifo(),
    'dead-primary': new Fifo(),
    dead: new Fifo(),
  };
  private readonly inFlight = new Set<Promise<void>>();
  private readonly window: number;
  private tokens = 0;
  private readyCount = 0;
  private reportedDepth = -1;
  private running = 0;
  private runningDead = 0;
  private timer: { at: number; cancel: () => void } | undefined;
  private started = false;

  constructor(private readonly options: SchedulerOptions) {
    this.window = Math.max(0, options.batchWindowMs ?? 10);
  }

  /** Polls `id` at `dueAt` in `lane` (after the current run, if one is in flight). */
  schedule(id: string, dueAt: number, lane: PollLane): void {
    const entry = this.entries.get(id);
    if (entry?.state === 'running') {
      entry.next = { dueAt, lane };
      entry.removed = false;
      return;
    }
    const e = entry ?? this.create(id);
    this.place(e, dueAt, lane);
    this.kick();
  }

  /** Polls `id` as soon as a poller is free, ahead of periodic polls. */
  runNow(id: string): void {
    const entry = this.entries.get(id);
    if (entry?.state === 'running') {
      entry.again = true;
      entry.removed = false;
      return;
    }
    if (entry?.state === 'ready' && entry.lane === 'urgent') return;
    const e = entry ?? this.create(id);
    this.toReady(e, 'urgent');
    this.kick();
  }

  /** Forgets `id`; a run in flight finishes but is not followed by another. */
  remove(id: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    if (entry.state === 'running') {
      Object.assign(entry, { removed: true, again: false, next: undefined });
      return;
    }
    if (entry.state === 'ready') this.setReady(-1);
    this.entries.delete(id);
    entry.token = -1;
    this.reportDepth();
  }

  has(id: string): boolean {
    const entry = this.entries.get(id);
    return entry !== undefined && !entry.removed;
  }

  /** Starts dispatching (idempotent). */
  start(): void {
    this.started = true;
    this.kick();
  }

  /** Stops dispatching and waits for the runs in flight. Entries are kept. */
  async stop(): Promise<void> {
    this.started = false;
    this.timer?.cancel();
    this.timer = undefined;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  stats(): SchedulerStats {
    let waiting = 0;
    let removed = 0;
    for (const e of this.entries.values()) {
      if (e.state === 'waiting') waiting++;
      if (e.removed) removed++;
    }
    return {
      entries: this.entries.size - removed,
      waiting,
      ready: this.readyCount,
      running: this.running,
      runningDead: this.runningDead,
    };
  }

  private create(id: string): Entry {
    const e: Entry = {
      id,
      state: 'waiting',
      lane: 'live',
      token: 0,
      next: undefined,
      again: false,
      removed: false,
    };
    this.entries.set(id, e);
    return e;
  }

  private place(e: Entry, dueAt: number, lane: PollLane): void {
    if (dueAt <= this.options.clock.now() + this.window) {
      this.toReady(e, lane);
      return;
    }
    if (e.state === 'ready') this.setReady(-1);
    e.state = 'waiting';
    e.lane = lane;
    e.token = ++this.tokens;
    this.heap.push(dueAt, { id: e.id, token: e.token });
  }

  private toReady(e: Entry, lane: Lane): void {
    if (e.state !== 'ready') this.setReady(1);
    e.state = 'ready';
    e.lane = lane;
    e.token = ++this.tokens;
    this.lanes[lane].push({ id: e.id, token: e.token });
  }

  private setReady(delta: number): void {
    this.readyCount += delta;
    this.reportDepth();
  }

  private reportDepth(): void {
    if (this.readyCount === this.reportedDepth) return;
    this.reportedDepth = this.readyCount;
    this.options.onQueueDepth?.(this.readyCount);
  }

  /** Releases due servers, starts as many runs as the limits allow, re-arms the timer. */
  private kick(): void {
    if (!this.started) return;
    this.release();
    this.dispatch();
    this.arm();
  }

  private release(): void {
    const horizon = this.options.clock.now() + this.window;
    for (let top = this.heap.peek(); top !== undefined; top = this.heap.peek()) {
      const e = this.entries.get(top.item.id);
      const current = e !== undefined && e.state === 'waiting' && e.token === top.item.token;
      if (current && top.at > horizon) return;
      this.heap.pop();
      if (current) this.toReady(e, e.lane);
    }
  }

  private dispatch(): void {
    for (;;) {
      const next = this.take();
      if (next === undefined) return;
      this.begin(next);
    }
  }

  /** The next entry a free poller may take, honouring lane order and both limits. */
  private take(): Entry | undefined {
    const o = this.options;
    const shared = o.deadMaxConcurrency <= 0;
    const liveRunning = this.running - this.runningDead;
    const liveFree = shared ? this.running < o.maxConcurrency : liveRunning < o.maxConcurrency;
    const deadCap = shared ? Math.max(1, Math.floor(o.maxConcurrency / 2)) : o.deadMaxConcurrency;
    const deadFree = this.runningDead < deadCap && (!shared || this.running < o.maxConcurrency);
    for (const lane of LANES) {
      const dead = lane === 'dead' || lane === 'dead-primary';
      if (!(dead ? deadFree : liveFree)) continue;
      const e = this.shiftCurrent(lane);
      if (e !== undefined) return e;
    }
    return undefined;
  }

  private shiftCurrent(lane: Lane): Entry | undefined {
    const fifo = this.lanes[lane];
    for (let item = fifo.shift(); item !== undefined; item = fifo.shift()) {
      const e = this.entries.get(item.id);
      if (e !== undefined && e.state === 'ready' && e.token === item.token) return e;
    }
    return undefined;
  }

  private begin(e: Entry): void {
    const dead = e.lane === 'dead' || e.lane === 'dead-primary';
    this.setReady(-1);
    e.state = 'running';
    e.token = ++this.tokens;
    this.running++;
    if (dead) this.runningDead++;
    const done = this.options
      .run(e.id)
      .catch(() => undefined)
      .then(() => {
        this.inFlight.delete(done);
        this.running--;
        if (dead) this.runningDead--;
        this.finish(e);
        this.kick();
      });
    this.inFlight.add(done);
  }

  private finish(e: Entry): void {
    if (this.entries.get(e.id) !== e) return;
    const { next, again, removed } = e;
    e.next = undefined;
    e.again = false;
    if (removed) {
      this.entries.delete(e.id);
    } else if (again) {
      this.toReady(e, 'urgent');
    } else if (next !== undefined) {
      e.state = 'waiting';
      this.place(e, next.dueAt, next.lane);
    } else {
      this.entries.delete(e.id);
    }
  }

  private arm(): void {
    let top = this.heap.peek();
    while (top !== undefined) {
      const e = this.entries.get(top.item.id);
      if (e !== undefined && e.state === 'waiting' && e.token === top.item.token) break;
      this.heap.pop();
      top = this.heap.peek();
    }
    if (top === undefined) {
      this.timer?.cancel();
      this.timer = undefined;
      return;
    }
    if (this.timer !== undefined && this.timer.at <= top.at) return;
    this.timer?.cancel();
    const at = top.at;
    const cancel = this.options.clock.setTimeout(
      () => {
        if (this.timer?.at === at) this.timer = undefined;
        this.kick();
      },
      Math.max(0, at - this.options.clock.now()),
    );
    this.timer = { at, cancel };
  }
}
