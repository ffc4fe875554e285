/**
 * What goes into `step` and what comes out. Inputs are the only way the world reaches the
 * core (time included: every input carries the driver's monotonic `now`); effects are the
 * only way the core reaches the world.
 *
 * THE ORDERING CONTRACT. A step's effects form one ordered list, and the effects of successive
 * steps form one FIFO stream. The driver executes the stream in order and must finish a
 * `persist` durably (fsync) before it executes any effect after it: a vote, an append
 * acknowledgement or a proposal's answer only ever leaves after the state it vouches for is
 * on disk. The core places every `persist` ahead of the effects that depend on it, so honouring
 * the stream order is all the driver has to do. It may feed the next input before the stream
 * has drained (the core already counts on the effects it emitted), but a crash loses only a
 * suffix of the stream, never a hole in it.
 */
import type { RejectCode } from './errors.js';
import type { Message } from './messages.js';
import type { HardState, LogEntry, NodeId, PersistedState, Snapshot } from './types.js';

/** Time has passed; the core checks its timers (see `nextWakeAt`). */
export interface TickInput {
  readonly type: 'tick';
  readonly now: number;
}

/** A message a peer sent, as the transport decoded it. */
export interface MessageInput {
  readonly type: 'message-received';
  readonly now: number;
  readonly message: Message;
}

/** A client asks to append `data` to the log. Answered by a `respond` with `requestId`. */
export interface ProposeInput {
  readonly type: 'client-propose';
  readonly now: number;
  readonly requestId: string;
  readonly data: string;
}

/**
 * The state machine made a snapshot as of `index` (at most the last index it was given in
 * `apply`), after a `take-snapshot` request or on its own initiative.
 */
export interface SnapshotTakenInput {
  readonly type: 'snapshot-taken';
  readonly now: number;
  readonly index: number;
  readonly data: Uint8Array;
}

/** Hand leadership to `target`, or to the most up-to-date member when absent. */
export interface TransferInput {
  readonly type: 'transfer-leadership';
  readonly now: number;
  readonly requestId: string;
  readonly target?: NodeId;
}

/** Add one member (a config entry that takes effect when appended). */
export interface AddPeerInput {
  readonly type: 'add-peer';
  readonly now: number;
  readonly requestId: string;
  readonly peer: NodeId;
}

/** Remove one member; a removed leader steps down once the removal commits. */
export interface RemovePeerInput {
  readonly type: 'remove-peer';
  readonly now: number;
  readonly requestId: string;
  readonly peer: NodeId;
}

/**
 * The node (re)starts from what its store holds. `appliedIndex` is how far the state machine
 * already got if it is durable itself (0 for an in-memory one: the core then re-installs the
 * snapshot and replays). `seed` seeds the election-timeout randomness.
 */
export interface RestartInput {
  readonly type: 'restart';
  readonly now: number;
  readonly persisted: PersistedState;
  readonly appliedIndex: number;
  readonly seed: number;
}

export type Input =
  | TickInput
  | MessageInput
  | ProposeInput
  | SnapshotTakenInput
  | TransferInput
  | AddPeerInput
  | RemovePeerInput
  | RestartInput;

export type InputType = Input['type'];

/**
 * The answer to a client request. `appended` means the entry is in this leader's log at
 * (index, term): it is committed when an `apply` effect carries an entry with that index AND
 * term; an applied entry at that index with another term means it was lost to a leader change.
 */
export type RequestOutcome =
  | { readonly status: 'appended'; readonly index: number; readonly term: number }
  | { readonly status: 'transfer-started'; readonly target: NodeId; readonly term: number }
  | {
      readonly status: 'rejected';
      readonly code: RejectCode;
      readonly leaderId: NodeId | null;
      readonly reason: string;
    };

/**
 * Make state durable, in one atomic write, in this order: store `hardState`; store `snapshot`
 * and delete the entries at or below its index; delete the entries after `truncateAfter`;
 * append `append`. Absent fields are left alone.
 */
export interface PersistEffect {
  readonly type: 'persist';
  readonly hardState?: HardState;
  readonly snapshot?: Snapshot;
  readonly truncateAfter?: number;
  readonly append?: readonly LogEntry[];
}

export type Effect =
  | PersistEffect
  /** Send `message` to `to`; best effort (Raft retries by itself). */
  | { readonly type: 'send'; readonly to: NodeId; readonly message: Message }
  /**
   * Apply committed entries to the state machine, in order, exactly once each (noop and config
   * entries too: they advance the applied index even though they change no table).
   */
  | { readonly type: 'apply'; readonly entries: readonly LogEntry[] }
  /** Replace the state machine's whole state with the snapshot's. */
  | { readonly type: 'install-snapshot'; readonly snapshot: Snapshot }
  /** Please snapshot the state machine and answer with `snapshot-taken`. */
  | { readonly type: 'take-snapshot'; readonly appliedIndex: number }
  /** Who leads changed as far as this node knows (`leaderId` null: nobody known). */
  | {
      readonly type: 'leadership-changed';
      readonly term: number;
      readonly leaderId: NodeId | null;
      readonly isLeader: boolean;
    }
  /** The membership in force changed (a config entry appended, truncated, or a snapshot). */
  | {
      readonly type: 'membership-changed';
      readonly members: readonly NodeId[];
      readonly index: number;
    }
  /** The answer to the request `requestId`. */
  | { readonly type: 'respond'; readonly requestId: string; readonly outcome: RequestOutcome };

export type EffectType = Effect['type'];
