/**
 * Log replication: what a leader sends each follower, how a follower reconciles its log with
 * the leader's (with the conflict-index hint, §5.3), and how the leader advances the commit
 * index (only by counting replicas of an entry of its own term, §5.4.2).
 */
import { appendEntries, emit, send, truncateLog, type Ctx } from './context.js';
import { RaftCode, RaftError } from './errors.js';
import { entriesBetween, firstIndexOfTermAt, lastIndex, lastIndexOfTerm, termAt } from './log.js';
import { RAFT_WIRE_VERSION, type AppendEntries, type AppendEntriesResponse } from './messages.js';
import type { InstallSnapshot } from './messages.js';
import { refreshConfigAfter, onCommitAdvanced } from './membership.js';
import { resetElectionTimer } from './roles.js';
import { maybeRequestSnapshot, sendSnapshotOrProbe } from './snapshot.js';
import { quorumSize, type Progress, type RoleState } from './state.js';
import { maybeSendTimeoutNow } from './transfer.js';
import type { LogEntry, NodeId } from './types.js';

export type LeaderRole = Extract<RoleState, { type: 'leader' }>;

/** The leader role of the draft, or null when this node does not lead. */
export function leaderRole(ctx: Ctx): LeaderRole | null {
  return ctx.s.role.type === 'leader' ? ctx.s.role : null;
}

/** Replaces the leader role's fields (copy-on-write). */
export function updateLeader(ctx: Ctx, patch: Partial<Omit<LeaderRole, 'type'>>): void {
  const role = leaderRole(ctx);
  if (role !== null) ctx.s.role = { ...role, ...patch };
}

/** Replaces one follower's progress (copy-on-write). */
export function updateProgress(ctx: Ctx, peer: NodeId, patch: Partial<Progress>): void {
  const role = leaderRole(ctx);
  const current = role?.progress.get(peer);
  if (role === null || current === undefined) return;
  const progress = new Map(role.progress).set(peer, { ...current, ...patch });
  ctx.s.role = { ...role, progress };
}

/** A follower echoed `sentAt`: the basis of the lease and of check-quorum. */
export function recordAck(ctx: Ctx, peer: NodeId, sentAt: number): void {
  const p = leaderRole(ctx)?.progress.get(peer);
  if (p !== undefined && sentAt > p.ackedSentAt) updateProgress(ctx, peer, { ackedSentAt: sentAt });
}

/** An AppendEntries from this leader now; `prev` must be at or after the log's base. */
export function appendMessage(ctx: Ctx, prev: number, entries: readonly LogEntry[]): AppendEntries {
  const s = ctx.s;
  return {
    v: RAFT_WIRE_VERSION,
    type: 'append-entries',
    from: s.options.id,
    term: s.term,
    prevLogIndex: prev,
    prevLogTerm: termAt(s.log, prev) ?? 0,
    entries,
    leaderCommit: s.commitIndex,
    sentAt: ctx.now,
    transferTo: leaderRole(ctx)?.transfer?.target ?? null,
  };
}

/**
 * Sends `peer` what it lacks from `next` on (a heartbeat when nothing), or the snapshot when
 * `next` was compacted away, and advances `next` past what was sent.
 */
export function sendAppend(ctx: Ctx, peer: NodeId): void {
  const p = leaderRole(ctx)?.progress.get(peer);
  if (p === undefined) return;
  const log = ctx.s.log;
  if (p.next <= log.baseIndex) {
    sendSnapshotOrProbe(ctx, peer, p);
    return;
  }
  const prev = p.next - 1;
  const to = Math.min(lastIndex(log), prev + ctx.s.options.maxEntriesPerMessage);
  send(ctx, peer, appendMessage(ctx, prev, entriesBetween(log, p.next, to)));
  updateProgress(ctx, peer, { next: to + 1 });
}

/** Sends every follower what it lacks (or a heartbeat). */
export function broadcastAppend(ctx: Ctx): void {
  const role = leaderRole(ctx);
  if (role === null) return;
  for (const peer of role.progress.keys()) sendAppend(ctx, peer);
}

/**
 * A message from the leader of the current term: follow it and note the contact (used to
 * refuse disruptive votes). False when this node is itself leader of that term, which Raft
 * rules out; the message is then ignored.
 */
export function acceptLeader(ctx: Ctx, msg: AppendEntries | InstallSnapshot): boolean {
  const s = ctx.s;
  if (s.role.type === 'leader') return false;
  s.role = { type: 'follower' };
  s.leaderId = msg.from;
  const c = s.contact;
  const older = c.leaderId === msg.from && c.term === s.term && msg.sentAt < c.sentAt;
  s.contact = older
    ? { ...c, at: ctx.now }
    : {
        leaderId: msg.from,
        term: s.term,
        at: ctx.now,
        sentAt: msg.sentAt,
        transferTo: msg.transferTo,
      };
  resetElectionTimer(ctx);
  return true;
}

type Reconciled = Pick<
  AppendEntriesResponse,
  'success' | 'matchIndex' | 'conflictIndex' | 'conflictTerm'
>;

/** Follower side of AppendEntries. */
export function onAppendEntries(ctx: Ctx, msg: AppendEntries): void {
  const s = ctx.s;
  let result: Reconciled = { success: false, matchIndex: 0, conflictIndex: 0, conflictTerm: null };
  if (msg.term === s.term) {
    if (!acceptLeader(ctx, msg)) return;
    result = reconcile(ctx, msg);
    const commit = Math.min(msg.leaderCommit, result.matchIndex);
    if (result.success && commit > s.commitIndex) {
      s.commitIndex = commit;
      applyCommitted(ctx);
    }
  }
  send(ctx, msg.from, {
    v: RAFT_WIRE_VERSION,
    type: 'append-entries-response',
    from: s.options.id,
    term: s.term,
    ...result,
    sentAt: msg.sentAt,
  });
}

/** Makes the log agree with the leader's from `prevLogIndex` on, or says where it differs. */
function reconcile(ctx: Ctx, msg: AppendEntries): Reconciled {
  const s = ctx.s;
  const base = s.log.baseIndex;
  const matchIndex = msg.prevLogIndex + msg.entries.length;
  // Entries folded into our snapshot are committed, hence identical to the leader's.
  const prev = Math.max(msg.prevLogIndex, base);
  const prevTerm = msg.prevLogIndex >= base ? msg.prevLogTerm : s.log.baseTerm;
  const entries = msg.entries.filter((e) => e.index > base);
  const last = lastIndex(s.log);
  if (prev > last) {
    return { success: false, matchIndex: 0, conflictIndex: last + 1, conflictTerm: null };
  }
  const ours = termAt(s.log, prev);
  if (ours !== prevTerm) {
    const conflictIndex = firstIndexOfTermAt(s.log, prev);
    return { success: false, matchIndex: 0, conflictIndex, conflictTerm: ours ?? null };
  }
  const firstNew = entries.findIndex((e) => termAt(s.log, e.index) !== e.term);
  if (firstNew >= 0) {
    const from = entries[firstNew]?.index ?? last + 1;
    if (from <= s.commitIndex) {
      throw new RaftError(
        RaftCode.Invariant,
        `leader ${msg.from} would overwrite committed entry ${from}`,
      );
    }
    truncateLog(ctx, from - 1);
    appendEntries(ctx, entries.slice(firstNew));
    refreshConfigAfter(ctx, from - 1);
  }
  return { success: true, matchIndex, conflictIndex: 0, conflictTerm: null };
}

/** Leader side: a follower answered an AppendEntries. */
export function onAppendEntriesResponse(ctx: Ctx, msg: AppendEntriesResponse): void {
  const p = leaderRole(ctx)?.progress.get(msg.from);
  if (p === undefined || msg.term !== ctx.s.term) return;
  recordAck(ctx, msg.from, msg.sentAt);
  if (msg.success) {
    onReplicated(ctx, msg.from, msg.matchIndex);
    return;
  }
  const next = Math.max(p.match + 1, Math.min(p.next, conflictHint(ctx, msg)));
  // Resend only when the hint moved us back: stale or duplicate refusals change nothing.
  if (next < p.next) {
    updateProgress(ctx, msg.from, { next });
    sendAppend(ctx, msg.from);
  }
}

/** `peer` holds our log up to `matchIndex`. */
export function onReplicated(ctx: Ctx, peer: NodeId, matchIndex: number): void {
  const p = leaderRole(ctx)?.progress.get(peer);
  if (p === undefined) return;
  const match = Math.max(p.match, matchIndex);
  const snapshotSentAt = match >= ctx.s.log.baseIndex ? null : p.snapshotSentAt;
  updateProgress(ctx, peer, { match, next: Math.max(p.next, match + 1), snapshotSentAt });
  advanceCommit(ctx);
  maybeSendTimeoutNow(ctx);
  const after = leaderRole(ctx)?.progress.get(peer);
  if (after !== undefined && after.next <= lastIndex(ctx.s.log)) sendAppend(ctx, peer);
}

function conflictHint(ctx: Ctx, msg: AppendEntriesResponse): number {
  if (msg.conflictTerm === null) return msg.conflictIndex;
  const ours = lastIndexOfTerm(ctx.s.log, msg.conflictTerm);
  return ours === undefined ? msg.conflictIndex : ours + 1;
}

/**
 * Commits the highest index a quorum holds, but only when that entry is of the current term:
 * an older term's entry may be replicated on a majority and still be overwritten (Figure 8).
 */
export function advanceCommit(ctx: Ctx): void {
  const role = leaderRole(ctx);
  if (role === null) return;
  const s = ctx.s;
  const matches = s.config.members.map((m) =>
    m === s.options.id ? lastIndex(s.log) : (role.progress.get(m)?.match ?? 0),
  );
  matches.sort((a, b) => b - a);
  const n = matches[quorumSize(s) - 1] ?? 0;
  if (n > s.commitIndex && termAt(s.log, n) === s.term) {
    s.commitIndex = n;
    applyCommitted(ctx);
  }
}

/** Hands newly committed entries to the state machine, in order, once. */
export function applyCommitted(ctx: Ctx): void {
  const s = ctx.s;
  if (s.commitIndex <= s.lastApplied) return;
  const entries = entriesBetween(s.log, s.lastApplied + 1, s.commitIndex);
  if (entries.length !== s.commitIndex - s.lastApplied) {
    const held = `${s.log.baseIndex + 1}..${lastIndex(s.log)}`;
    const message = `cannot apply ${s.lastApplied + 1}..${s.commitIndex}: log holds ${held}`;
    throw new RaftError(RaftCode.Invariant, message);
  }
  s.lastApplied = s.commitIndex;
  emit(ctx, { type: 'apply', entries });
  onCommitAdvanced(ctx);
  maybeRequestSnapshot(ctx);
}
