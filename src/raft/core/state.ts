/**
 * The Raft node's state, a plain immutable value owned by whoever drives `step`. Only `term`,
 * `votedFor`, the log and the snapshot are persisted (through `persist` effects); the rest is
 * volatile and rebuilt by `restart`.
 */
import { lastIndex, makeLog, type RaftLog } from './log.js';
import type { RaftOptions } from './options.js';
import type { NodeId, Snapshot } from './types.js';

/** What a leader knows about one follower. */
export interface Progress {
  /** Next index to send. Optimistic: advanced when sent, rewound when the follower refuses. */
  readonly next: number;
  /** Highest index known replicated on the follower. */
  readonly match: number;
  /** Latest `sentAt` the follower echoed in this term (-Infinity: none yet). */
  readonly ackedSentAt: number;
  /** When the pending snapshot was sent (null: none in flight). */
  readonly snapshotSentAt: number | null;
}

/** A leadership transfer under way. */
export interface Transfer {
  readonly target: NodeId;
  readonly startedAt: number;
  /** Abort when the target has not taken over by then. */
  readonly deadline: number;
  /** When TimeoutNow was last sent (null: not yet); resent once per heartbeat interval. */
  readonly timeoutNowAt: number | null;
}

export type RoleState =
  | { readonly type: 'follower' }
  /** Asking for pre-votes; `votes` granted so far, self included. */
  | { readonly type: 'pre-candidate'; readonly votes: readonly NodeId[] }
  | { readonly type: 'candidate'; readonly votes: readonly NodeId[] }
  | {
      readonly type: 'leader';
      /** When this node won the election. */
      readonly since: number;
      readonly progress: ReadonlyMap<NodeId, Progress>;
      /** Acknowledgements of messages sent at or before this time do not count for the lease. */
      readonly leaseFloor: number;
      readonly nextHeartbeatAt: number;
      readonly transfer: Transfer | null;
    };

export type RoleName = RoleState['type'];

/**
 * The last time this node heard from a leader, for refusing disruptive votes. `at` is this
 * node's clock on receipt; `sentAt`/`transferTo` come from the newest (by the leader's clock)
 * message of that leader in that term.
 */
export interface LeaderContact {
  readonly leaderId: NodeId | null;
  readonly term: number;
  readonly at: number;
  readonly sentAt: number;
  readonly transferTo: NodeId | null;
}

/** The membership in force and the index of the entry that set it (0: static, or snapshot). */
export interface Config {
  readonly members: readonly NodeId[];
  readonly index: number;
}

export interface RaftState {
  readonly options: RaftOptions;
  // Persistent.
  readonly term: number;
  readonly votedFor: NodeId | null;
  readonly log: RaftLog;
  readonly snapshot: Snapshot | null;
  // Volatile.
  readonly commitIndex: number;
  readonly lastApplied: number;
  readonly config: Config;
  readonly role: RoleState;
  readonly leaderId: NodeId | null;
  readonly contact: LeaderContact;
  readonly electionDeadline: number;
  readonly rng: number;
  /** `lastApplied` when `take-snapshot` was last requested (null: not since the last snapshot). */
  readonly snapshotRequestedAt: number | null;
}

/** A node that has not started: feed it `restart` (or use `startNode`). */
export function blankState(options: RaftOptions): RaftState {
  return {
    options,
    term: 0,
    votedFor: null,
    log: makeLog(0, 0, []),
    snapshot: null,
    commitIndex: 0,
    lastApplied: 0,
    config: { members: options.members, index: 0 },
    role: { type: 'follower' },
    leaderId: null,
    contact: { leaderId: null, term: 0, at: -Infinity, sentAt: -Infinity, transferTo: null },
    electionDeadline: Infinity,
    rng: 1,
    snapshotRequestedAt: null,
  };
}

/** True when `id` votes in the membership in force. */
export function isVoter(state: RaftState, id: NodeId): boolean {
  return state.config.members.includes(id);
}

/** Votes needed to win, or acknowledgements to commit, in the membership in force. */
export function quorumSize(state: RaftState): number {
  return Math.floor(state.config.members.length / 2) + 1;
}

export function isLeader(state: RaftState): boolean {
  return state.role.type === 'leader';
}

/**
 * When the driver should next feed a `tick` (absolute, on the clock it passes as `now`).
 * Always later than the `now` of the step that produced `state`.
 */
export function nextWakeAt(state: RaftState): number {
  if (state.role.type !== 'leader') return state.electionDeadline;
  return Math.min(state.role.nextHeartbeatAt, state.role.transfer?.deadline ?? Infinity);
}

/** A summary for `/api/raft-status`-style reports and traces. */
export function describeNode(state: RaftState): {
  id: NodeId;
  role: RoleName;
  term: number;
  leaderId: NodeId | null;
  commitIndex: number;
  lastIndex: number;
  members: readonly NodeId[];
} {
  return {
    id: state.options.id,
    role: state.role.type,
    term: state.term,
    leaderId: state.leaderId,
    commitIndex: state.commitIndex,
    lastIndex: lastIndex(state.log),
    members: state.config.members,
  };
}
