/**
 * Membership: the static set from the options, then single-server changes through `config`
 * entries (dissertation §4.1). A config entry is in force on a node from the moment the node
 * appends it, committed or not, and reverts if the entry is truncated. One change at a time:
 * a leader accepts a change only once the previous one and an entry of its own term are
 * committed (the latter closes the known single-server-change hole of a leader that has not
 * yet committed in its term).
 */
import { appendEntries, reject, respond, type Ctx } from './context.js';
import { RejectCode } from './errors.js';
import type { AddPeerInput, RemovePeerInput } from './io.js';
import { entryAt, lastIndex, termAt, type RaftLog } from './log.js';
import { advanceCommit, broadcastAppend, leaderRole, updateLeader } from './replication.js';
import { becomeFollower, freshProgress } from './roles.js';
import type { Config, RaftState } from './state.js';
import type { NodeId } from './types.js';

/** The membership in force at `index`: the last config entry at or before it, else the base. */
export function configAt(
  state: Pick<RaftState, 'log' | 'snapshot' | 'options'>,
  index: number,
): Config {
  const log: RaftLog = state.log;
  for (let i = Math.min(index, lastIndex(log)); i > log.baseIndex; i--) {
    const entry = entryAt(log, i);
    if (entry?.type === 'config') return { members: entry.members, index: i };
  }
  if (state.snapshot !== null) {
    return { members: state.snapshot.members, index: state.snapshot.index };
  }
  return { members: state.options.members, index: 0 };
}

/**
 * After the log changed beyond `keptThrough` (entries after it were replaced): the config in
 * force is the newest config entry among the new entries, else, when the old config entry was
 * cut off, the newest one before; otherwise unchanged.
 */
export function refreshConfigAfter(ctx: Ctx, keptThrough: number): void {
  const s = ctx.s;
  for (let i = lastIndex(s.log); i > keptThrough; i--) {
    const entry = entryAt(s.log, i);
    if (entry?.type === 'config') {
      setConfig(ctx, { members: entry.members, index: i });
      return;
    }
  }
  if (s.config.index > keptThrough) setConfig(ctx, configAt(s, keptThrough));
}

/** Makes `config` the one in force; a leader starts replicating to new members at once. */
export function setConfig(ctx: Ctx, config: Config): void {
  ctx.s.config = config;
  const role = leaderRole(ctx);
  if (role === null) return;
  const progress = new Map(role.progress);
  for (const peer of config.members) {
    if (peer !== ctx.s.options.id && !progress.has(peer)) {
      progress.set(peer, freshProgress(lastIndex(ctx.s.log)));
    }
  }
  updateLeader(ctx, { progress });
}

/**
 * The commit index moved. Once the config in force is committed a leader stops replicating
 * to the members it removed (until then they keep receiving entries, so they learn of their
 * removal and stop campaigning), and a leader that removed itself steps down.
 */
export function onCommitAdvanced(ctx: Ctx): void {
  const s = ctx.s;
  const role = leaderRole(ctx);
  if (role === null || s.config.index > s.commitIndex) return;
  const progress = new Map([...role.progress].filter(([peer]) => s.config.members.includes(peer)));
  if (progress.size !== role.progress.size) updateLeader(ctx, { progress });
  if (!s.config.members.includes(s.options.id)) becomeFollower(ctx, s.term, null);
}

/** Why a membership change cannot start now, or null when it can. */
function changeRefusal(ctx: Ctx): { code: RejectCode; reason: string } | null {
  const s = ctx.s;
  const role = leaderRole(ctx);
  if (role === null) return { code: RejectCode.NotLeader, reason: 'this node is not the leader' };
  if (role.transfer !== null) {
    return { code: RejectCode.TransferInProgress, reason: 'a leadership transfer is under way' };
  }
  if (s.config.index > s.commitIndex) {
    const reason = `the membership change at index ${s.config.index} is not committed yet`;
    return { code: RejectCode.ConfigChangeInProgress, reason };
  }
  if (termAt(s.log, s.commitIndex) !== s.term) {
    const reason = `the leader has not committed an entry of term ${s.term} yet`;
    return { code: RejectCode.ConfigChangeInProgress, reason };
  }
  return null;
}

function proposeConfig(ctx: Ctx, requestId: string, members: readonly NodeId[]): void {
  const s = ctx.s;
  const index = lastIndex(s.log) + 1;
  appendEntries(ctx, [{ type: 'config', index, term: s.term, members }]);
  setConfig(ctx, { members, index });
  respond(ctx, requestId, { status: 'appended', index, term: s.term });
  broadcastAppend(ctx);
  advanceCommit(ctx);
}

/** Leader only: adds `peer` as a voting member. */
export function onAddPeer(ctx: Ctx, input: AddPeerInput): void {
  const refusal = changeRefusal(ctx);
  if (refusal !== null) return reject(ctx, input.requestId, refusal.code, refusal.reason);
  const members = ctx.s.config.members;
  if (members.includes(input.peer)) {
    const reason = `${input.peer} is already a member`;
    return reject(ctx, input.requestId, RejectCode.AlreadyMember, reason);
  }
  proposeConfig(ctx, input.requestId, [...members, input.peer]);
}

/** Leader only: removes `peer` (possibly the leader itself). */
export function onRemovePeer(ctx: Ctx, input: RemovePeerInput): void {
  const refusal = changeRefusal(ctx);
  if (refusal !== null) return reject(ctx, input.requestId, refusal.code, refusal.reason);
  const members = ctx.s.config.members;
  if (!members.includes(input.peer)) {
    const reason = `${input.peer} is not a member`;
    return reject(ctx, input.requestId, RejectCode.NotMember, reason);
  }
  if (members.length === 1) {
    const reason = `${input.peer} is the only member`;
    return reject(ctx, input.requestId, RejectCode.LastMember, reason);
  }
  proposeConfig(
    ctx,
    input.requestId,
    members.filter((m) => m !== input.peer),
  );
}
