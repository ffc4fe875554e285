/**
 * Log compaction and InstallSnapshot. The state machine snapshots itself when asked (or when
 * it likes) and hands the bytes back with `snapshot-taken`; the node then keeps only the
 * entries after the snapshot. A follower whose next entry was compacted away on the leader
 * receives the whole snapshot in one message (see `InstallSnapshot` for the size assumption).
 */
import { emit, send, storeSnapshot, type Ctx } from './context.js';
import { RaftCode, RaftError } from './errors.js';
import type { SnapshotTakenInput } from './io.js';
import { termAt } from './log.js';
import {
  RAFT_WIRE_VERSION,
  type InstallSnapshot,
  type InstallSnapshotResponse,
} from './messages.js';
import { configAt, setConfig } from './membership.js';
import {
  acceptLeader,
  appendMessage,
  leaderRole,
  onReplicated,
  recordAck,
  updateProgress,
} from './replication.js';
import type { Progress } from './state.js';
import type { NodeId } from './types.js';

/**
 * Leader: `peer` needs entries we compacted. Sends the snapshot unless one is already in
 * flight (resent after an election timeout without answer); meanwhile a bare heartbeat keeps
 * the follower from campaigning and keeps its acknowledgements flowing.
 */
export function sendSnapshotOrProbe(ctx: Ctx, peer: NodeId, p: Progress): void {
  const s = ctx.s;
  const snapshot = s.snapshot;
  if (snapshot === null) {
    throw new RaftError(RaftCode.Invariant, `log base ${s.log.baseIndex} without a snapshot`);
  }
  const inFlight =
    p.snapshotSentAt !== null && ctx.now - p.snapshotSentAt < s.options.electionTimeoutMinMs;
  if (inFlight) {
    send(ctx, peer, appendMessage(ctx, s.log.baseIndex, []));
    return;
  }
  send(ctx, peer, {
    v: RAFT_WIRE_VERSION,
    type: 'install-snapshot',
    from: s.options.id,
    term: s.term,
    snapshot,
    sentAt: ctx.now,
    transferTo: leaderRole(ctx)?.transfer?.target ?? null,
  });
  updateProgress(ctx, peer, { snapshotSentAt: ctx.now });
}

/**
 * Follower: replace the state machine with the leader's snapshot, unless what we already
 * committed covers it. The snapshot is stored durably before the state machine is replaced,
 * and both before the answer leaves.
 */
export function onInstallSnapshot(ctx: Ctx, msg: InstallSnapshot): void {
  const s = ctx.s;
  if (msg.term === s.term) {
    if (!acceptLeader(ctx, msg)) return;
    const snapshot = msg.snapshot;
    if (snapshot.index > s.commitIndex) {
      storeSnapshot(ctx, snapshot);
      setConfig(ctx, configAt(s, Infinity));
      s.commitIndex = snapshot.index;
      s.lastApplied = snapshot.index;
      s.snapshotRequestedAt = null;
      emit(ctx, { type: 'install-snapshot', snapshot });
    }
  }
  send(ctx, msg.from, {
    v: RAFT_WIRE_VERSION,
    type: 'install-snapshot-response',
    from: s.options.id,
    term: s.term,
    matchIndex: msg.term === s.term ? msg.snapshot.index : 0,
    sentAt: msg.sentAt,
  });
}

/** Leader: a follower installed (or already had) the snapshot. */
export function onInstallSnapshotResponse(ctx: Ctx, msg: InstallSnapshotResponse): void {
  if (leaderRole(ctx)?.progress.get(msg.from) === undefined || msg.term !== ctx.s.term) return;
  recordAck(ctx, msg.from, msg.sentAt);
  updateProgress(ctx, msg.from, { snapshotSentAt: null });
  onReplicated(ctx, msg.from, msg.matchIndex);
}

/**
 * The state machine snapshotted itself as of `index`: keep the snapshot, drop the entries it
 * covers. An index at or below the current snapshot is ignored (a late answer); one beyond
 * what was applied is a driver bug.
 */
export function onSnapshotTaken(ctx: Ctx, input: SnapshotTakenInput): void {
  const s = ctx.s;
  if (input.index <= s.log.baseIndex) return;
  const term = termAt(s.log, input.index);
  if (input.index > s.lastApplied || term === undefined) {
    throw new RaftError(
      RaftCode.InvalidInput,
      `snapshot at index ${input.index} is beyond the applied index ${s.lastApplied}`,
      { context: { raftIndex: input.index } },
    );
  }
  const members = configAt(s, input.index).members;
  storeSnapshot(ctx, { index: input.index, term, members, data: input.data });
  s.snapshotRequestedAt = null;
}

/** Asks for a snapshot once `snapshotThreshold` entries were applied since the last one. */
export function maybeRequestSnapshot(ctx: Ctx): void {
  const s = ctx.s;
  const threshold = s.options.snapshotThreshold;
  if (threshold === 0 || s.lastApplied - s.log.baseIndex < threshold) return;
  if (s.snapshotRequestedAt !== null && s.lastApplied < s.snapshotRequestedAt + threshold) return;
  s.snapshotRequestedAt = s.lastApplied;
  emit(ctx, { type: 'take-snapshot', appliedIndex: s.lastApplied });
}
