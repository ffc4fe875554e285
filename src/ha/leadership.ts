/**
 * Leadership: which orc node may run recoveries and accept changes. Every HA strategy (single
 * node, shared-backend lease, raft) implements `Leadership`; the HTTP layer, the recovery loop
 * and the discovery scheduler only ever see this interface.
 */
import type { Clock } from '../common/clock.js';
import { describeError } from '../common/errors.js';

/** The HA layout a strategy implements (ha-modes.md). */
export type LeadershipMode = 'single' | 'shared-backend' | 'raft';

/** Raft roles as reported by `/api/raft-state`; only leader and follower count as healthy. */
export type RaftRole = 'leader' | 'follower' | 'candidate' | 'shutdown';

/** One orc node as the HA layer knows it. Times are epoch milliseconds; absent when unknown. */
export interface NodeDescriptor {
  hostname: string;
  /** Random per-process token; tells two processes on one host apart. */
  token: string;
  version: string;
  firstSeenActiveMs?: number;
  lastSeenActiveMs?: number;
  /** Our own store's kind, e.g. `sqlite` or `mysql`. */
  backend?: string;
}

/** What a raft strategy adds to its health report. */
export interface RaftHealthDetails {
  role: RaftRole;
  /** Raft address (`ip:port`) of the leader as this node believes it; '' when unknown. */
  leaderAddress: string;
  /** HTTP URI the leader published; '' when unknown. */
  leaderUri: string;
  /** This node's advertised raft address. */
  advertise: string;
  /** Raft addresses of members that reported health to the leader recently. */
  healthyMembers: string[];
}

/** A health report. `reason` says what is wrong whenever `healthy` is false. */
export interface LeadershipHealth {
  healthy: boolean;
  reason?: string;
  details: {
    self: NodeDescriptor;
    /** The node holding leadership as far as this node knows; null when nobody does. */
    leader: NodeDescriptor | null;
    /** Nodes that registered recently, this one included. */
    availableNodes: NodeDescriptor[];
    /** Present in raft mode only. */
    raft?: RaftHealthDetails;
  };
}

/** Typed status events; library-like strategies emit them and the service decides what to log. */
export type LeadershipEvent =
  | { type: 'leadership-changed'; isLeader: boolean; leaderUri: string | null; atMs: number }
  | { type: 'health-changed'; healthy: boolean; reason?: string; atMs: number };

/** Receives events synchronously, in order; must not throw (a throw is swallowed). */
export type LeadershipListener = (event: LeadershipEvent) => void;

/**
 * Contract for every HA strategy.
 *
 * - `isLeader()`, `leaderUri()` and `health()` are called on every HTTP health probe and before
 *   every mutation: they answer from state the strategy keeps current in its own loop and never
 *   do I/O. They are cheap and safe to call at any rate, from any caller.
 * - `isLeader()` must turn false *before* this node could be deposed without knowing it (a raft
 *   leader checks quorum and holds a lease; a shared-backend holder stops claiming before its
 *   lease row expires), so `/api/leader-check` never answers 200 on two nodes at once.
 * - On leadership loss the strategy emits `leadership-changed` with `isLeader: false` before any
 *   caller could observe the new state; in-flight operations are expected to check `isLeader()`
 *   again before each step that changes a managed server.
 * - `subscribe` returns an idempotent unsubscribe function. Listeners get events for changes
 *   after they subscribed; the current state is read with the getters.
 */
export interface Leadership {
  readonly mode: LeadershipMode;
  isLeader(): boolean;
  /** The leader's HTTP base URI (`http://host:port[/prefix]`), or null when unknown. */
  leaderUri(): string | null;
  health(): LeadershipHealth;
  subscribe(listener: LeadershipListener): () => void;
}

/**
 * A listener set shared by the strategies: delivers each event to every listener in
 * subscription order and isolates them from each other's exceptions.
 */
export class LeadershipEvents {
  private readonly listeners = new Set<LeadershipListener>();

  subscribe(listener: LeadershipListener): () => void {
    // Wrapped so that subscribing the same function twice yields two independent subscriptions.
    const entry: LeadershipListener = (event) => listener(event);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  emit(event: LeadershipEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the strategy's state has already changed.
      }
    }
  }
}

/** Construction options of `SingleNodeLeadership`. */
export interface SingleNodeLeadershipOptions {
  clock: Clock;
  self: NodeDescriptor;
  /** This node's own HTTP base URI, reported as the leader's; null when not known. */
  uri?: string | null;
}

/**
 * The "no HA" layout: one node, always the leader. Healthy until its own backend is reported
 * failing through `reportBackendHealth`, which the backend health loop calls after each attempt
 * to write its heartbeat. Losing the backend makes the node unhealthy but never a follower:
 * there is nobody to hand over to.
 */
export class SingleNodeLeadership implements Leadership {
  readonly mode = 'single' as const;
  private readonly clock: Clock;
  private readonly self: NodeDescriptor;
  private readonly uri: string | null;
  private readonly events = new LeadershipEvents();
  private backendError: string | null = null;

  constructor(options: SingleNodeLeadershipOptions) {
    this.clock = options.clock;
    this.self = { ...options.self, firstSeenActiveMs: options.clock.now() };
    this.uri = options.uri ?? null;
  }

  isLeader(): boolean {
    return true;
  }

  leaderUri(): string | null {
    return this.uri;
  }

  health(): LeadershipHealth {
    const self: NodeDescriptor = { ...this.self, lastSeenActiveMs: this.clock.now() };
    const details = { self, leader: self, availableNodes: [self] };
    if (this.backendError === null) return { healthy: true, details };
    return { healthy: false, reason: this.backendError, details };
  }

  subscribe(listener: LeadershipListener): () => void {
    return this.events.subscribe(listener);
  }

  /**
   * Records the outcome of the latest backend heartbeat. Emits `health-changed` only when the
   * verdict flips (repeated failures with new messages update the reason silently).
   */
  reportBackendHealth(ok: boolean, err?: unknown): void {
    const wasHealthy = this.backendError === null;
    this.backendError = ok ? null : `backend unreachable: ${describe(err)}`;
    if (wasHealthy === ok) return;

    const atMs = this.clock.now();
    const event: LeadershipEvent =
      this.backendError === null
        ? { type: 'health-changed', healthy: true, atMs }
        : { type: 'health-changed', healthy: false, reason: this.backendError, atMs };
    this.events.emit(event);
  }
}

function describe(err: unknown): string {
  return err === undefined ? 'no detail given' : describeError(err);
}
