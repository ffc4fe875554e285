/**
 * The messages Raft nodes exchange. Every message carries the wire version `v`, its sender and
 * the sender's term; the transport (next step) frames and authenticates them and hands them to
 * `step` as `message-received`. A transport that meets a version it does not know drops the
 * message: Raft tolerates loss, so mixed versions during an upgrade degrade to silence, never
 * to misreading. New fields are added under a new version.
 */
import type { LogEntry, NodeId, Snapshot } from './types.js';

/** The wire version this core speaks. */
export const RAFT_WIRE_VERSION = 1;

interface Header {
  readonly v: typeof RAFT_WIRE_VERSION;
  readonly from: NodeId;
  readonly term: number;
}

/**
 * "Would you vote for me in `term`?" sent by a node whose election timer fired, before it
 * bumps its own term (dissertation §9.6). Receivers never change their term for it.
 */
export interface PreVote extends Header {
  readonly type: 'pre-vote';
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
}

/** `term` is the proposed term when granted, the voter's own term when refused. */
export interface PreVoteResponse extends Header {
  readonly type: 'pre-vote-response';
  readonly granted: boolean;
}

/**
 * A real vote request. `transfer` is set only by a target of a leadership transfer: voters
 * whose leader announced that very transfer grant it even though they heard that leader
 * recently (otherwise such requests are refused, see `hearsLiveLeader`).
 */
export interface RequestVote extends Header {
  readonly type: 'request-vote';
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  readonly transfer: boolean;
}

export interface RequestVoteResponse extends Header {
  readonly type: 'request-vote-response';
  readonly granted: boolean;
}

/**
 * Fields of every leader-to-follower message. `sentAt` is the leader's own clock when it built
 * the message; followers echo it untouched and the leader bases its lease on the echoes.
 * `transferTo` names the target while the leader is transferring leadership.
 */
interface LeaderHeader extends Header {
  readonly sentAt: number;
  readonly transferTo: NodeId | null;
}

/** Log replication and heartbeat (`entries` empty). */
export interface AppendEntries extends LeaderHeader {
  readonly type: 'append-entries';
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly LogEntry[];
  readonly leaderCommit: number;
}

/**
 * On success `matchIndex` is the last index known to match the leader's log. On failure
 * `conflictIndex`/`conflictTerm` tell the leader where to resume: the first index of the
 * follower's conflicting term, or the follower's last index + 1 when its log is too short
 * (`conflictTerm` null).
 */
export interface AppendEntriesResponse extends Header {
  readonly type: 'append-entries-response';
  readonly success: boolean;
  readonly matchIndex: number;
  readonly conflictIndex: number;
  readonly conflictTerm: number | null;
  readonly sentAt: number;
}

/**
 * The leader's whole snapshot in one message. orc's snapshots are a few MB at most (instance
 * keys and the replicated tables), which a single framed message carries; chunking is left to
 * the transport should that ever change.
 */
export interface InstallSnapshot extends LeaderHeader {
  readonly type: 'install-snapshot';
  readonly snapshot: Snapshot;
}

export interface InstallSnapshotResponse extends Header {
  readonly type: 'install-snapshot-response';
  readonly matchIndex: number;
  readonly sentAt: number;
}

/** "Start an election now": the last step of a leadership transfer. */
export interface TimeoutNow extends Header {
  readonly type: 'timeout-now';
}

export type Message =
  | PreVote
  | PreVoteResponse
  | RequestVote
  | RequestVoteResponse
  | AppendEntries
  | AppendEntriesResponse
  | InstallSnapshot
  | InstallSnapshotResponse
  | TimeoutNow;

export type MessageType = Message['type'];

/** The message of type `T`. */
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;
