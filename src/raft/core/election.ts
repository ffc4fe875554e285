/**
 * Votes and pre-votes. A node grants neither while it hears a live leader (within the minimum
 * election timeout of the last contact, or always when it leads itself): that keeps removed
 * or flapping nodes from deposing a healthy leader (dissertation §4.2.3) and is half of the
 * lease argument (lease.ts). The one exception is the target of a transfer its leader
 * announced.
 */
import { send, setHardState, type Ctx } from './context.js';
import { lastIndex, lastTerm } from './log.js';
import {
  RAFT_WIRE_VERSION,
  type PreVote,
  type PreVoteResponse,
  type RequestVote,
  type RequestVoteResponse,
} from './messages.js';
import { becomeCandidate, becomeLeader, hasQuorum, resetElectionTimer } from './roles.js';
import { isVoter, type RaftState } from './state.js';
import { transferApproves } from './transfer.js';

/**
 * True while this node should consider its leader alive: it leads, or it accepted a leader's
 * message less than `electionTimeoutMinMs` ago (a restart counts as such a message).
 */
export function hearsLiveLeader(state: RaftState, now: number): boolean {
  if (state.role.type === 'leader') return true;
  return now - state.contact.at < state.options.electionTimeoutMinMs;
}

/** Vote requests this node ignores outright, without adopting their term. */
export function refusesVote(ctx: Ctx, msg: RequestVote): boolean {
  if (!hearsLiveLeader(ctx.s, ctx.now)) return false;
  return !(msg.transfer && transferApproves(ctx.s, msg.from));
}

/** The candidate's log is at least as up to date as ours (§5.4.1). */
function upToDate(state: RaftState, lastLogIndex: number, lastLogTerm: number): boolean {
  const ourTerm = lastTerm(state.log);
  return lastLogTerm > ourTerm || (lastLogTerm === ourTerm && lastLogIndex >= lastIndex(state.log));
}

/** Answers a pre-vote; never changes our term, vote or timer. */
export function onPreVote(ctx: Ctx, msg: PreVote): void {
  const s = ctx.s;
  const granted =
    msg.term > s.term &&
    !hearsLiveLeader(s, ctx.now) &&
    upToDate(s, msg.lastLogIndex, msg.lastLogTerm);
  const reply: PreVoteResponse = {
    v: RAFT_WIRE_VERSION,
    type: 'pre-vote-response',
    from: s.options.id,
    term: granted ? msg.term : s.term,
    granted,
  };
  send(ctx, msg.from, reply);
}

/** Pre-candidate: count a granted pre-vote; a quorum starts the real election. */
export function onPreVoteResponse(ctx: Ctx, msg: PreVoteResponse): void {
  const s = ctx.s;
  if (s.role.type !== 'pre-candidate' || !msg.granted || msg.term !== s.term + 1) return;
  if (!isVoter(s, msg.from) || s.role.votes.includes(msg.from)) return;
  const votes = [...s.role.votes, msg.from];
  s.role = { type: 'pre-candidate', votes };
  if (hasQuorum(ctx, votes)) becomeCandidate(ctx, false);
}

/**
 * Answers a vote request (already past `refusesVote`, and with our term raised to the
 * candidate's when it was higher). A granted vote is persisted before the answer leaves.
 */
export function onRequestVote(ctx: Ctx, msg: RequestVote): void {
  const s = ctx.s;
  const granted =
    msg.term === s.term &&
    (s.votedFor === null || s.votedFor === msg.from) &&
    upToDate(s, msg.lastLogIndex, msg.lastLogTerm);
  if (granted) {
    setHardState(ctx, s.term, msg.from);
    resetElectionTimer(ctx);
  }
  sendVote(ctx, msg, granted);
}

/** The answer to `msg`, in our current term. */
export function sendVote(ctx: Ctx, msg: RequestVote, granted: boolean): void {
  const reply: RequestVoteResponse = {
    v: RAFT_WIRE_VERSION,
    type: 'request-vote-response',
    from: ctx.s.options.id,
    term: ctx.s.term,
    granted,
  };
  send(ctx, msg.from, reply);
}

/** Candidate: count a granted vote; a quorum makes us leader. */
export function onRequestVoteResponse(ctx: Ctx, msg: RequestVoteResponse): void {
  const s = ctx.s;
  if (s.role.type !== 'candidate' || !msg.granted || msg.term !== s.term) return;
  if (!isVoter(s, msg.from) || s.role.votes.includes(msg.from)) return;
  const votes = [...s.role.votes, msg.from];
  s.role = { type: 'candidate', votes };
  if (hasQuorum(ctx, votes)) becomeLeader(ctx);
}
