/**
 * A small in-memory cluster for the core's unit tests: one shared clock the test moves by
 * hand, messages held until the test delivers them (or drops them on cut links), persist
 * effects written to per-node disks at once, applied entries recorded. Unlike the simulator
 * nothing here is random: tests script every timeout and every delivery.
 */
import type { Effect, Input } from './io.js';
import type { Message } from './messages.js';
import { raftOptions, type RaftOptions } from './options.js';
import { blankState, type RaftState } from './state.js';
import { step } from './step.js';
import type { LogEntry, NodeId, PersistedState, Snapshot } from './types.js';

type InputWithoutNow = Input extends infer T ? (T extends unknown ? Omit<T, 'now'> : never) : never;

export interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly message: Message;
}

/** Timing used by the tests unless they say otherwise. */
export const TEST_TIMING = {
  electionTimeoutMinMs: 100,
  electionTimeoutMaxMs: 200,
  heartbeatIntervalMs: 10,
  leaseMs: 80,
  maxClockDriftRate: 0.1,
  snapshotThreshold: 0,
} as const;

export class TestCluster {
  now = 1_000;
  readonly states = new Map<NodeId, RaftState>();
  readonly disks = new Map<NodeId, PersistedState>();
  readonly applied = new Map<NodeId, LogEntry[]>();
  /** Every effect each node emitted, in order. */
  readonly history = new Map<NodeId, Effect[]>();
  inflight: Envelope[] = [];
  readonly cut = new Set<string>();
  private readonly options = new Map<NodeId, RaftOptions>();

  constructor(ids: readonly NodeId[], overrides: Partial<RaftOptions> = {}, members = ids) {
    for (const id of ids) this.addNode(id, overrides, members);
  }

  /** Creates (but does not start) a node. */
  addNode(id: NodeId, overrides: Partial<RaftOptions> = {}, members: readonly NodeId[] = []) {
    this.options.set(id, raftOptions({ ...TEST_TIMING, ...overrides, id, members }));
    this.disks.set(id, { hardState: { term: 0, votedFor: null }, snapshot: null, entries: [] });
    this.applied.set(id, []);
    this.history.set(id, []);
  }

  /** Starts every node (or the given ones) from its disk. */
  start(ids: readonly NodeId[] = [...this.options.keys()], appliedIndex = 0): void {
    for (const id of ids) this.restart(id, appliedIndex);
  }

  /** Restarts `id` from its disk, as after a crash (volatile state and unsent effects lost). */
  restart(id: NodeId, appliedIndex = 0): Effect[] {
    const options = this.options.get(id);
    if (options === undefined) throw new RangeError(`no node ${id}`);
    this.states.set(id, blankState(options));
    this.inflight = this.inflight.filter((e) => e.to !== id);
    const persisted = this.disk(id);
    return this.input(id, {
      type: 'restart',
      persisted: { ...persisted, entries: persisted.entries.slice() },
      appliedIndex,
      seed: [...id].reduce((h, c) => h * 31 + c.charCodeAt(0), 7),
    });
  }

  state(id: NodeId): RaftState {
    const s = this.states.get(id);
    if (s === undefined) throw new RangeError(`node ${id} not started`);
    return s;
  }

  disk(id: NodeId): PersistedState {
    const d = this.disks.get(id);
    if (d === undefined) throw new RangeError(`no node ${id}`);
    return d;
  }

  /** Feeds one input at the cluster's `now`; returns (and executes) the effects. */
  input(id: NodeId, input: InputWithoutNow): Effect[] {
    const result = step(this.state(id), { ...input, now: this.now });
    this.states.set(id, result.state);
    this.history.get(id)?.push(...result.effects);
    for (const effect of result.effects) this.execute(id, effect);
    return [...result.effects];
  }

  private execute(id: NodeId, effect: Effect): void {
    if (effect.type === 'send') {
      if (!this.cut.has(`${id}>${effect.to}`)) {
        this.inflight.push({ from: id, to: effect.to, message: effect.message });
      }
    } else if (effect.type === 'persist') {
      this.disks.set(id, writeDisk(this.disk(id), effect));
    } else if (effect.type === 'apply') {
      this.applied.get(id)?.push(...effect.entries);
    } else if (effect.type === 'install-snapshot') {
      this.applied.set(id, [{ type: 'noop', index: effect.snapshot.index, term: -1 }]);
    }
  }

  tick(id: NodeId): Effect[] {
    return this.input(id, { type: 'tick' });
  }

  /** Delivers the messages in flight now (not those their delivery produces); returns them. */
  deliverOnce(keep: (e: Envelope) => boolean = () => true): Envelope[] {
    const batch = this.inflight.filter(keep);
    this.inflight = this.inflight.filter((e) => !keep(e));
    for (const e of batch) {
      if (this.states.has(e.to)) this.input(e.to, { type: 'message-received', message: e.message });
    }
    return batch;
  }

  /** Delivers until nothing is in flight (bounded); returns how many were delivered. */
  settle(keep: (e: Envelope) => boolean = () => true, rounds = 100): number {
    let total = 0;
    for (let i = 0; i < rounds; i++) {
      const n = this.deliverOnce(keep).length;
      total += n;
      if (n === 0) return total;
    }
    throw new Error(`cluster did not settle in ${rounds} rounds`);
  }

  /** Moves the clock without ticking anyone. */
  advance(ms: number): void {
    this.now += ms;
  }

  /**
   * Makes `id` campaign: moves the clock past everyone's vote refusal window and past its own
   * election deadline, ticks only it, and settles. Returns the resulting state.
   */
  elect(id: NodeId): RaftState {
    const s = this.state(id);
    this.now = Math.max(this.now + s.options.electionTimeoutMaxMs, s.electionDeadline);
    this.tick(id);
    this.settle();
    return this.state(id);
  }

  /** Heartbeats from `id` once: advance one interval, tick it, settle. */
  heartbeat(id: NodeId): void {
    this.advance(this.state(id).options.heartbeatIntervalMs);
    this.tick(id);
    this.settle();
  }

  cutBoth(a: NodeId, b: NodeId): void {
    this.cut.add(`${a}>${b}`);
    this.cut.add(`${b}>${a}`);
  }

  isolate(id: NodeId): void {
    for (const other of this.states.keys()) if (other !== id) this.cutBoth(id, other);
  }

  heal(): void {
    this.cut.clear();
  }

  /** The effects of `id` of one type, in order. */
  effectsOf<T extends Effect['type']>(id: NodeId, type: T): Extract<Effect, { type: T }>[] {
    return (this.history.get(id) ?? []).filter(
      (e): e is Extract<Effect, { type: T }> => e.type === type,
    );
  }
}

/** A disk after one persist effect, by the rules of `PersistEffect`. */
export function writeDisk(
  disk: PersistedState,
  e: Extract<Effect, { type: 'persist' }>,
): PersistedState {
  let entries = disk.entries.slice();
  let snapshot: Snapshot | null = disk.snapshot;
  if (e.snapshot) {
    snapshot = e.snapshot;
    const index = e.snapshot.index;
    entries = entries.filter((x) => x.index > index);
  }
  if (e.truncateAfter !== undefined) {
    const after = e.truncateAfter;
    entries = entries.filter((x) => x.index <= after);
  }
  entries.push(...(e.append ?? []));
  return { hardState: e.hardState ?? disk.hardState, snapshot, entries };
}

/** A command entry for hand-built logs. */
export function cmd(index: number, term: number, data = `c${index}`): LogEntry {
  return { type: 'command', index, term, data };
}
