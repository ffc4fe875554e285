/**
 * Role transitions: follower, pre-candidate, candidate, leader. Each transition leaves the
 * draft consistent (role, leader, timers) and emits what the new role must send at once.
 */
import { send, appendEntries, setHardState, type Ctx } from './context.js';
import { lastIndex, lastTerm } from './log.js';
import { RAFT_WIRE_VERSION } from './messages.js';
import { nextRandom } from './random.js';
import { broadcastAppend, advanceCommit } from './replication.js';
import { isVoter, quorumSize, type Progress } from './state.js';
import type { NodeId } from './types.js';

/** Draws a fresh election deadline in [now + min, now + max). */
export function resetElectionTimer(ctx: Ctx): void {
  const { electionTimeoutMinMs: min, electionTimeoutMaxMs: max } = ctx.s.options;
  const draw = nextRandom(ctx.s.rng);
  ctx.s.rng = draw.state;
  ctx.s.electionDeadline = ctx.now + min + Math.floor(draw.value * (max - min));
}

/**
 * Becomes a follower of `term` (raising the term clears the vote), following `leaderId` when
 * known. Used on any higher term, on check-quorum failure and when a removed leader steps down.
 */
export function becomeFollower(ctx: Ctx, term: number, leaderId: NodeId | null): void {
  if (term > ctx.s.term) setHardState(ctx, term, null);
  ctx.s.role = { type: 'follower' };
  ctx.s.leaderId = leaderId;
  resetElectionTimer(ctx);
}

/** True when the members among `votes` form a quorum of the membership in force. */
export function hasQuorum(ctx: Ctx, votes: readonly NodeId[]): boolean {
  const state = ctx.s;
  return votes.filter((v) => isVoter(state, v)).length >= quorumSize(state);
}

/**
 * The election timer fired: ask for pre-votes for term + 1 without changing the term, so a
 * node cut off from the majority cannot inflate terms and depose a healthy leader on return.
 * A node that is not a member never campaigns.
 */
export function startPreVote(ctx: Ctx): void {
  const self = ctx.s.options.id;
  resetElectionTimer(ctx);
  if (!isVoter(ctx.s, self)) return;
  ctx.s.role = { type: 'pre-candidate', votes: [self] };
  ctx.s.leaderId = null;
  if (hasQuorum(ctx, [self])) {
    becomeCandidate(ctx, false);
    return;
  }
  for (const peer of ctx.s.config.members) {
    if (peer === self) continue;
    send(ctx, peer, {
      v: RAFT_WIRE_VERSION,
      type: 'pre-vote',
      from: self,
      term: ctx.s.term + 1,
      lastLogIndex: lastIndex(ctx.s.log),
      lastLogTerm: lastTerm(ctx.s.log),
    });
  }
}

/**
 * Starts a real election: term + 1, vote for itself (persisted before the requests leave).
 * `transfer` marks an election started by TimeoutNow.
 */
export function becomeCandidate(ctx: Ctx, transfer: boolean): void {
  const self = ctx.s.options.id;
  setHardState(ctx, ctx.s.term + 1, self);
  ctx.s.role = { type: 'candidate', votes: [self] };
  ctx.s.leaderId = null;
  resetElectionTimer(ctx);
  if (hasQuorum(ctx, [self])) {
    becomeLeader(ctx);
    return;
  }
  for (const peer of ctx.s.config.members) {
    if (peer === self) continue;
    send(ctx, peer, {
      v: RAFT_WIRE_VERSION,
      type: 'request-vote',
      from: self,
      term: ctx.s.term,
      lastLogIndex: lastIndex(ctx.s.log),
      lastLogTerm: lastTerm(ctx.s.log),
      transfer,
    });
  }
}

/** A fresh follower record for a leader whose log ends at `last`. */
export function freshProgress(last: number): Progress {
  return { next: last + 1, match: 0, ackedSentAt: -Infinity, snapshotSentAt: null };
}

/**
 * Won the election: append a noop of the new term (entries of earlier terms commit only under
 * an entry of the leader's own term, §5.4.2) and replicate it to everyone at once.
 */
export function becomeLeader(ctx: Ctx): void {
  const s = ctx.s;
  const self = s.options.id;
  const last = lastIndex(s.log);
  const progress = new Map<NodeId, Progress>();
  for (const peer of s.config.members) if (peer !== self) progress.set(peer, freshProgress(last));
  s.role = {
    type: 'leader',
    since: ctx.now,
    progress,
    leaseFloor: -Infinity,
    nextHeartbeatAt: ctx.now + s.options.heartbeatIntervalMs,
    transfer: null,
  };
  s.leaderId = self;
  appendEntries(ctx, [{ type: 'noop', index: last + 1, term: s.term }]);
  broadcastAppend(ctx);
  advanceCommit(ctx);
}
