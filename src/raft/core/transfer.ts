/**
 * Leadership transfer (dissertation §3.10), used by `raft-yield`. The leader stops taking
 * proposals, announces the target in its heartbeats, brings the target's log up to date, and
 * once the target holds the whole log and a majority has seen the announcement it sends
 * TimeoutNow; the target then campaigns at once, and voters that saw the announcement grant
 * its vote although they heard the leader moments ago. A transfer that has not completed
 * after one (minimum) election timeout is aborted and the leader carries on.
 */
import { reject, respond, send, type Ctx } from './context.js';
import { RejectCode } from './errors.js';
import type { TransferInput } from './io.js';
import { lastIndex } from './log.js';
import { quorumAckedSince } from './lease.js';
import { RAFT_WIRE_VERSION, type TimeoutNow } from './messages.js';
import { broadcastAppend, leaderRole, updateLeader } from './replication.js';
import { becomeCandidate } from './roles.js';
import { isVoter, type RaftState } from './state.js';
import type { NodeId } from './types.js';

/** Leader only: starts a transfer to `target`, or to the most up-to-date other member. */
export function onTransferLeadership(ctx: Ctx, input: TransferInput): void {
  const s = ctx.s;
  const role = leaderRole(ctx);
  if (role === null) {
    return reject(ctx, input.requestId, RejectCode.NotLeader, 'this node is not the leader');
  }
  if (role.transfer !== null) {
    const reason = `a transfer to ${role.transfer.target} is under way`;
    return reject(ctx, input.requestId, RejectCode.TransferInProgress, reason);
  }
  const target = input.target ?? bestTarget(ctx);
  if (target === null || target === s.options.id) {
    const reason = 'there is no other member to hand leadership to';
    return reject(ctx, input.requestId, RejectCode.InvalidTarget, reason);
  }
  if (!isVoter(s, target)) {
    return reject(ctx, input.requestId, RejectCode.NotMember, `${target} is not a member`);
  }
  const deadline = ctx.now + s.options.electionTimeoutMinMs;
  updateLeader(ctx, { transfer: { target, startedAt: ctx.now, deadline, timeoutNowAt: null } });
  respond(ctx, input.requestId, { status: 'transfer-started', target, term: s.term });
  broadcastAppend(ctx);
}

/** The other member with the highest match index (ties: lowest id), or null. */
function bestTarget(ctx: Ctx): NodeId | null {
  const role = leaderRole(ctx);
  let best: { id: NodeId; match: number } | null = null;
  for (const id of [...ctx.s.config.members].sort()) {
    const match = role?.progress.get(id)?.match;
    if (id === ctx.s.options.id || match === undefined) continue;
    if (best === null || match > best.match) best = { id, match };
  }
  return best?.id ?? null;
}

/**
 * Sends TimeoutNow once the target holds the whole log and a majority acknowledged a message
 * announcing the transfer; again at most once per heartbeat interval while that holds.
 */
export function maybeSendTimeoutNow(ctx: Ctx): void {
  const s = ctx.s;
  const transfer = leaderRole(ctx)?.transfer ?? null;
  if (transfer === null) return;
  const last = transfer.timeoutNowAt;
  if (last !== null && ctx.now < last + s.options.heartbeatIntervalMs) return;
  const target = leaderRole(ctx)?.progress.get(transfer.target);
  if (target?.match !== lastIndex(s.log) || !quorumAckedSince(s, transfer.startedAt)) return;
  const message: TimeoutNow = {
    v: RAFT_WIRE_VERSION,
    type: 'timeout-now',
    from: s.options.id,
    term: s.term,
  };
  send(ctx, transfer.target, message);
  updateLeader(ctx, { transfer: { ...transfer, timeoutNowAt: ctx.now } });
}

/**
 * Aborts a transfer past its deadline. Acknowledgements of messages sent up to now no longer
 * count for the lease: only followers that saw the transfer withdrawn may vouch for it.
 */
export function abortTransferIfDue(ctx: Ctx): void {
  const transfer = leaderRole(ctx)?.transfer ?? null;
  if (transfer !== null && ctx.now >= transfer.deadline) {
    updateLeader(ctx, { transfer: null, leaseFloor: ctx.now });
  }
}

/** Target: our leader asks us to campaign now. */
export function onTimeoutNow(ctx: Ctx, msg: TimeoutNow): void {
  const s = ctx.s;
  if (msg.term !== s.term || s.role.type !== 'follower' || s.leaderId !== msg.from) return;
  if (!isVoter(s, s.options.id)) return;
  becomeCandidate(ctx, true);
}

/**
 * Voter: does our leader's announced transfer make `candidate`'s vote request legitimate
 * despite our recent contact with that leader?
 */
export function transferApproves(state: RaftState, candidate: NodeId): boolean {
  if (state.role.type === 'leader') return state.role.transfer?.target === candidate;
  const c = state.contact;
  return c.term === state.term && c.leaderId === state.leaderId && c.transferTo === candidate;
}
