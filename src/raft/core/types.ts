/**
 * The data Raft keeps: node identities, log entries, snapshots and what must survive a
 * restart. Plain immutable values; the core never mutates a value it has handed out.
 */

/** A member's stable identity. orc uses the advertised Raft address (`ip:port`). */
export type NodeId = string;

/**
 * One log entry. `command` carries the replicated state machine's bytes (orc's `ha/` layer
 * encodes its versioned command JSON into `data`); `noop` is the entry every new leader appends
 * so that it can commit earlier terms' entries (§5.4.2); `config` is a membership change, in
 * effect on every node from the moment it is appended (dissertation §4.1).
 */
export type LogEntry =
  | {
      readonly type: 'command';
      readonly index: number;
      readonly term: number;
      readonly data: string;
    }
  | { readonly type: 'noop'; readonly index: number; readonly term: number }
  | {
      readonly type: 'config';
      readonly index: number;
      readonly term: number;
      readonly members: readonly NodeId[];
    };

/**
 * The state machine's state as of `index` (the last entry it includes, whose term is `term`),
 * with the membership in force at that index. `data` is opaque to Raft: the state machine
 * produced it and will restore from it.
 */
export interface Snapshot {
  readonly index: number;
  readonly term: number;
  readonly members: readonly NodeId[];
  readonly data: Uint8Array;
}

/** The vote-related state that must be durable before any message that depends on it leaves. */
export interface HardState {
  readonly term: number;
  readonly votedFor: NodeId | null;
}

/**
 * Everything a node persists: what the log store hands back to `restart`. `entries` are the
 * entries after the snapshot (indexes `snapshot.index + 1 …`, contiguous); entries at or below
 * the snapshot's index, if the store still has some, are ignored.
 */
export interface PersistedState {
  readonly hardState: HardState;
  readonly snapshot: Snapshot | null;
  readonly entries: readonly LogEntry[];
}

/** What a node that has never run starts from. */
export const EMPTY_PERSISTED_STATE: PersistedState = Object.freeze({
  hardState: Object.freeze({ term: 0, votedFor: null }),
  snapshot: null,
  entries: Object.freeze([]),
});
