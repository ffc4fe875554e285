/**
 * The simulated cluster: nodes with their own drifting clocks, disks that make writes durable
 * only after a latency (and lose the unwritten tail in a crash), state machines, and the
 * network. It drives each node's pure core exactly as the service will: inputs one at a time,
 * effects executed in order with every `persist` finished before the effects behind it.
 */
import type { Effect, Input } from '../core/io.js';
import type { Message } from '../core/messages.js';
import type { RaftOptions } from '../core/options.js';
import { blankState, nextWakeAt, type RaftState } from '../core/state.js';
import { step } from '../core/step.js';
import type { LogEntry, NodeId, PersistedState } from '../core/types.js';
import {
  Checker,
  durable,
  EMPTY_MACHINE,
  PropertyViolation,
  type MachineState,
} from './checker.js';
import { describeEffect, describeInput } from './describe.js';
import { decodeMachine, encodeMachine, writeDisk, type Disk } from './disk.js';
import { Network } from './network.js';
import type { Prng } from './prng.js';
import { TimeHeap } from '../../common/time-heap.js';
import { Trace } from './trace.js';

export interface SimNode {
  readonly id: NodeId;
  readonly options: RaftOptions;
  up: boolean;
  incarnation: number;
  state: RaftState | null;
  disk: Disk;
  /** Effects emitted but not yet executed; the head waits while the disk is busy. */
  queue: Effect[];
  diskBusy: boolean;
  /** Local clock = offset + rate × simulated time; a restart picks a new offset. */
  clock: { offset: number; readonly rate: number };
  machine: MachineState;
  /** A durable state machine survives crashes (orc's SQLite backend); else it is rebuilt. */
  readonly durableMachine: boolean;
  wakeToken: number;
}

export type SimEvent =
  | { readonly kind: 'deliver'; readonly to: NodeId; readonly message: Message }
  | {
      readonly kind: 'wake';
      readonly node: NodeId;
      readonly incarnation: number;
      readonly token: number;
    }
  | { readonly kind: 'disk-done'; readonly node: NodeId; readonly incarnation: number }
  | {
      readonly kind: 'snapshot-taken';
      readonly node: NodeId;
      readonly incarnation: number;
      readonly index: number;
      readonly data: Uint8Array;
    }
  | { readonly kind: 'restart'; readonly node: NodeId }
  | { readonly kind: 'crash'; readonly node: NodeId; readonly incarnation: number }
  | { readonly kind: 'chaos' }
  | { readonly kind: 'operator' }
  | { readonly kind: 'client' }
  | { readonly kind: 'heal' };

/** A proposal the simulated client made, and what the leader answered. */
interface Proposal {
  readonly node: NodeId;
  readonly madeAtUs: number;
  index?: number;
  term?: number;
  ackedAtUs?: number;
}

export interface WorldSetup {
  readonly prng: Prng;
  readonly nodes: readonly {
    options: RaftOptions;
    rate: number;
    durableMachine: boolean;
  }[];
  readonly maxDiskLatencyMs: number;
}

export class World {
  nowUs = 0;
  steps = 0;
  readonly queue = new TimeHeap<SimEvent>();
  readonly nodes = new Map<NodeId, SimNode>();
  readonly network: Network;
  readonly checker = new Checker();
  readonly trace = new Trace(400);
  readonly proposals = new Map<string, Proposal>();
  /**
   * Chance that a node crashes while one of its writes is in flight (the write is then lost or
   * kept at random, and every effect queued behind it is lost): aims crashes at the moments
   * where ordering persistence before sending matters. Zero once the network is healed.
   */
  crashDuringWrite = 0;
  private readonly prng: Prng;
  private readonly maxDiskLatencyMs: number;

  constructor(setup: WorldSetup) {
    this.prng = setup.prng;
    this.maxDiskLatencyMs = setup.maxDiskLatencyMs;
    this.network = new Network(setup.prng);
    for (const n of setup.nodes) {
      this.nodes.set(n.options.id, {
        id: n.options.id,
        options: n.options,
        up: false,
        incarnation: 0,
        state: null,
        disk: { hardState: { term: 0, votedFor: null }, snapshot: null, entries: [] },
        queue: [],
        diskBusy: false,
        clock: { offset: 0, rate: n.rate },
        machine: EMPTY_MACHINE,
        durableMachine: n.durableMachine,
        wakeToken: 0,
      });
    }
  }

  node(id: NodeId): SimNode {
    const node = this.nodes.get(id);
    if (node === undefined) throw new RangeError(`no simulated node ${id}`);
    return node;
  }

  /** The node's own clock reading now (ms). */
  localNow(node: SimNode): number {
    return node.clock.offset + (node.clock.rate * this.nowUs) / 1000;
  }

  schedule(delayMs: number, event: SimEvent): void {
    this.queue.push(this.nowUs + Math.max(1, Math.round(delayMs * 1000)), event);
  }

  /** Up nodes with their state, for checks and for the client. */
  live(): { id: NodeId; state: RaftState; now: number }[] {
    const out: { id: NodeId; state: RaftState; now: number }[] = [];
    for (const node of this.nodes.values()) {
      if (node.up && node.state !== null) {
        out.push({ id: node.id, state: node.state, now: this.localNow(node) });
      }
    }
    return out;
  }

  /** Handles the node-level events; false for the scenario's own. */
  handle(event: SimEvent): boolean {
    switch (event.kind) {
      case 'deliver': {
        const node = this.node(event.to);
        if (node.up) this.feed(node, { type: 'message-received', message: event.message });
        return true;
      }
      case 'wake': {
        const node = this.node(event.node);
        const current = node.incarnation === event.incarnation && node.wakeToken === event.token;
        if (node.up && current) this.feed(node, { type: 'tick' });
        return true;
      }
      case 'disk-done':
        this.finishWrite(this.node(event.node), event.incarnation);
        return true;
      case 'snapshot-taken': {
        const node = this.node(event.node);
        if (node.up && node.incarnation === event.incarnation) {
          this.feed(node, { type: 'snapshot-taken', index: event.index, data: event.data });
        }
        return true;
      }
      case 'restart':
        this.restart(this.node(event.node));
        return true;
      case 'crash': {
        const node = this.node(event.node);
        if (node.incarnation !== event.incarnation) return true;
        this.crash(node);
        this.schedule(this.prng.between(1, 300), { kind: 'restart', node: node.id });
        return true;
      }
      default:
        return false;
    }
  }

  /** Feeds one input (stamped with the node's clock) and executes what it can of the result. */
  feed(node: SimNode, input: DistributiveOmit<Input, 'now'>): void {
    const before = node.state;
    if (before === null) return;
    const full = { ...input, now: this.localNow(node) } as Input;
    this.trace.add(this.nowUs, node.id, describeInput(full));
    const result = step(before, full);
    this.steps++;
    node.state = result.state;
    this.checker.afterStep(node.id, input.type === 'restart' ? null : before, result.state);
    node.queue.push(...result.effects);
    this.pump(node);
    this.scheduleWake(node);
  }

  private scheduleWake(node: SimNode): void {
    if (node.state === null) return;
    const wake = nextWakeAt(node.state);
    if (!Number.isFinite(wake)) return;
    const at = Math.ceil(((wake - node.clock.offset) * 1000) / node.clock.rate) + 1;
    // Timers fire a little late, as real ones do.
    const late = Math.round(this.prng.between(0, 1500));
    node.wakeToken++;
    this.queue.push(Math.max(at, this.nowUs + 1) + late, {
      kind: 'wake',
      node: node.id,
      incarnation: node.incarnation,
      token: node.wakeToken,
    });
  }

  /** Executes queued effects until a disk write has to wait. */
  private pump(node: SimNode): void {
    while (node.queue.length > 0 && !node.diskBusy) {
      const effect = node.queue[0];
      if (effect === undefined) return;
      if (effect.type === 'persist') {
        const latency = this.prng.chance(0.3) ? 0 : this.prng.between(0, this.maxDiskLatencyMs);
        if (latency > 0) {
          node.diskBusy = true;
          this.schedule(latency, {
            kind: 'disk-done',
            node: node.id,
            incarnation: node.incarnation,
          });
          return;
        }
      }
      node.queue.shift();
      this.execute(node, effect);
    }
  }

  private finishWrite(node: SimNode, incarnation: number): void {
    if (node.incarnation !== incarnation || !node.diskBusy) return;
    node.diskBusy = false;
    const effect = node.queue.shift();
    if (effect !== undefined) this.execute(node, effect);
    this.pump(node);
  }

  private execute(node: SimNode, effect: Effect): void {
    this.trace.add(this.nowUs, node.id, describeEffect(effect));
    switch (effect.type) {
      case 'persist':
        return writeDisk(node.id, node.disk, effect);
      case 'send':
        return this.transmit(node, effect.to, effect.message);
      case 'apply':
        for (const entry of effect.entries) {
          node.machine = this.checker.onApply(node.id, node.machine, entry);
          this.noteApplied(node, entry);
        }
        return;
      case 'install-snapshot':
        node.machine = decodeMachine(effect.snapshot.data);
        this.checker.onInstall(node.id, effect.snapshot, node.machine);
        return;
      case 'take-snapshot':
        return this.takeSnapshot(node, this.prng.between(0, 20));
      case 'respond': {
        const outcome = effect.outcome;
        const proposal = this.proposals.get(effect.requestId);
        if (outcome.status === 'appended' && !durable(node.disk, outcome.index, outcome.term)) {
          const detail = `${node.id} answered ${effect.requestId} before storing ${outcome.index}`;
          throw new PropertyViolation('persist-before-send', detail);
        }
        if (proposal !== undefined && outcome.status === 'appended') {
          proposal.index = outcome.index;
          proposal.term = outcome.term;
        }
        return;
      }
      case 'leadership-changed':
      case 'membership-changed':
        return;
    }
  }

  /** The state machine snapshots itself now; the answer reaches the core after `delayMs`. */
  takeSnapshot(node: SimNode, delayMs: number): void {
    if (node.machine.index === 0) return;
    this.schedule(delayMs, {
      kind: 'snapshot-taken',
      node: node.id,
      incarnation: node.incarnation,
      index: node.machine.index,
      data: encodeMachine(node.machine),
    });
  }

  /** A command applied on the node that proposed it, at the place it was given: acknowledged. */
  private noteApplied(node: SimNode, entry: LogEntry): void {
    if (entry.type !== 'command') return;
    const p = this.proposals.get(entry.data);
    if (p === undefined || p.node !== node.id || p.index !== entry.index || p.term !== entry.term) {
      return;
    }
    p.ackedAtUs = this.nowUs;
    this.checker.onAcknowledged(entry.index, entry.term, `c:${entry.data}`);
  }

  private transmit(node: SimNode, to: NodeId, message: Message): void {
    this.checker.onSend(node.id, to, message, node.disk);
    if (message.type === 'request-vote-response') this.checker.onVoteSent(node.id, to, message);
    for (const delay of this.network.deliveries(node.id, to)) {
      this.schedule(delay, { kind: 'deliver', to, message });
    }
  }

  /**
   * Crash: the process dies. Queued effects are lost; a write in progress either reached the
   * disk just before (half the time) or not at all. The disk keeps everything written.
   */
  crash(node: SimNode): void {
    if (!node.up) return;
    const inFlight = node.diskBusy ? node.queue[0] : undefined;
    if (inFlight?.type === 'persist' && this.prng.chance(0.5))
      writeDisk(node.id, node.disk, inFlight);
    node.up = false;
    node.state = null;
    node.queue = [];
    node.diskBusy = false;
    node.incarnation++;
    this.trace.add(this.nowUs, node.id, 'CRASH');
  }

  /** Starts (or restarts) the node from its disk, with a fresh clock offset. */
  restart(node: SimNode): void {
    if (node.up) return;
    node.up = true;
    node.incarnation++;
    node.clock.offset = this.prng.between(0, 100_000);
    if (!node.durableMachine) node.machine = EMPTY_MACHINE;
    node.state = blankState(node.options);
    const persisted: PersistedState = {
      hardState: node.disk.hardState,
      snapshot: node.disk.snapshot,
      entries: node.disk.entries.slice(),
    };
    this.feed(node, {
      type: 'restart',
      persisted,
      appliedIndex: node.machine.index,
      seed: this.prng.seed(),
    });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
