/**
 * The Raft node as a pure function: `step(state, input) → { state, effects }`. No clock, no
 * randomness, no I/O: time arrives in every input's `now`, randomness is a seeded generator
 * inside the state, and the world is reached only through the returned effects, which the
 * driver executes in order (the ordering contract is in io.ts). The same state and input
 * always give the same result, and the input state is never modified.
 *
 * Callers: the service's Raft driver (transport, SQLite log store, state machine) and the
 * simulator. Both feed inputs one at a time.
 */
import {
  beginStep,
  flushPersist,
  emit,
  reject,
  respond,
  appendEntries,
  type Ctx,
} from './context.js';
import { RejectCode } from './errors.js';
import type { Input, InputType, MessageInput, ProposeInput, RestartInput } from './io.js';
import type { Effect } from './io.js';
import { lastIndex } from './log.js';
import { quorumAckedSince } from './lease.js';
import { onAddPeer, onRemovePeer } from './membership.js';
import type { Message, MessageOf, MessageType } from './messages.js';
import {
  onPreVote,
  onPreVoteResponse,
  onRequestVote,
  onRequestVoteResponse,
  refusesVote,
  sendVote,
} from './election.js';
import type { RaftOptions } from './options.js';
import {
  advanceCommit,
  broadcastAppend,
  leaderRole,
  onAppendEntries,
  onAppendEntriesResponse,
  updateLeader,
} from './replication.js';
import { onRestart } from './restart.js';
import { becomeFollower, startPreVote } from './roles.js';
import { onInstallSnapshot, onInstallSnapshotResponse, onSnapshotTaken } from './snapshot.js';
import { blankState, type RaftState } from './state.js';
import {
  abortTransferIfDue,
  maybeSendTimeoutNow,
  onTimeoutNow,
  onTransferLeadership,
} from './transfer.js';

export interface StepResult {
  readonly state: RaftState;
  readonly effects: readonly Effect[];
}

type InputHandlers = {
  readonly [K in InputType]: (ctx: Ctx, input: Extract<Input, { type: K }>) => void;
};
type MessageHandlers = { readonly [K in MessageType]: (ctx: Ctx, message: MessageOf<K>) => void };

const inputHandlers = {
  tick: onTick,
  'message-received': onMessageReceived,
  'client-propose': onPropose,
  'snapshot-taken': onSnapshotTaken,
  'transfer-leadership': onTransferLeadership,
  'add-peer': onAddPeer,
  'remove-peer': onRemovePeer,
  restart: onRestart,
} satisfies InputHandlers;

const messageHandlers = {
  'pre-vote': onPreVote,
  'pre-vote-response': onPreVoteResponse,
  'request-vote': onRequestVote,
  'request-vote-response': onRequestVoteResponse,
  'append-entries': onAppendEntries,
  'append-entries-response': onAppendEntriesResponse,
  'install-snapshot': onInstallSnapshot,
  'install-snapshot-response': onInstallSnapshotResponse,
  'timeout-now': onTimeoutNow,
} satisfies MessageHandlers;

/** Advances the node by one input. */
export function step(state: RaftState, input: Input): StepResult {
  const ctx = beginStep(state, input.now);
  (inputHandlers[input.type] as (ctx: Ctx, input: Input) => void)(ctx, input);
  reportChanges(ctx, state);
  flushPersist(ctx);
  return { state: ctx.s, effects: ctx.effects };
}

/** A node started from its persisted state: `restart` applied to a blank state. */
export function startNode(options: RaftOptions, boot: Omit<RestartInput, 'type'>): StepResult {
  return step(blankState(options), { type: 'restart', ...boot });
}

/** Emits `leadership-changed` / `membership-changed` when the step changed them. */
function reportChanges(ctx: Ctx, before: RaftState): void {
  const s = ctx.s;
  const wasLeader = before.role.type === 'leader';
  const isLeader = s.role.type === 'leader';
  if (before.leaderId !== s.leaderId || wasLeader !== isLeader) {
    emit(ctx, { type: 'leadership-changed', term: s.term, leaderId: s.leaderId, isLeader });
  }
  const a = before.config;
  const b = s.config;
  if (a.index !== b.index || a.members.join('\u0000') !== b.members.join('\u0000')) {
    emit(ctx, { type: 'membership-changed', members: b.members, index: b.index });
  }
}

function onTick(ctx: Ctx): void {
  if (ctx.s.role.type === 'leader') tickLeader(ctx);
  else if (ctx.now >= ctx.s.electionDeadline) startPreVote(ctx);
}

/** Transfer deadline, check-quorum, then heartbeats. */
function tickLeader(ctx: Ctx): void {
  const s = ctx.s;
  abortTransferIfDue(ctx);
  const role = leaderRole(ctx);
  if (role === null) return;
  const window = s.options.electionTimeoutMinMs;
  if (ctx.now - role.since >= window && !quorumAckedSince(s, ctx.now - window)) {
    becomeFollower(ctx, s.term, null);
    return;
  }
  if (ctx.now >= role.nextHeartbeatAt) {
    broadcastAppend(ctx);
    maybeSendTimeoutNow(ctx);
    updateLeader(ctx, { nextHeartbeatAt: ctx.now + s.options.heartbeatIntervalMs });
  }
}

/**
 * Every message: drop our own echoes, ignore disruptive vote requests, adopt a higher term
 * (except from pre-votes, which never change terms), then the per-type handler.
 */
function onMessageReceived(ctx: Ctx, input: MessageInput): void {
  const msg = input.message;
  if (msg.from === ctx.s.options.id) return;
  if (msg.type === 'request-vote' && refusesVote(ctx, msg)) {
    sendVote(ctx, msg, false);
    return;
  }
  if (msg.term > ctx.s.term && raisesTerm(msg)) {
    becomeFollower(ctx, msg.term, fromLeader(msg) ? msg.from : null);
  }
  (messageHandlers[msg.type] as (ctx: Ctx, message: Message) => void)(ctx, msg);
}

function raisesTerm(msg: Message): boolean {
  if (msg.type === 'pre-vote') return false;
  if (msg.type === 'pre-vote-response') return !msg.granted;
  return true;
}

function fromLeader(msg: Message): boolean {
  return (
    msg.type === 'append-entries' || msg.type === 'install-snapshot' || msg.type === 'timeout-now'
  );
}

/** Leader only, and not while transferring: append, answer with (index, term), replicate. */
function onPropose(ctx: Ctx, input: ProposeInput): void {
  const s = ctx.s;
  const role = leaderRole(ctx);
  if (role === null) {
    return reject(ctx, input.requestId, RejectCode.NotLeader, 'this node is not the leader');
  }
  if (role.transfer !== null) {
    const reason = `leadership is being transferred to ${role.transfer.target}`;
    return reject(ctx, input.requestId, RejectCode.TransferInProgress, reason);
  }
  const index = lastIndex(s.log) + 1;
  appendEntries(ctx, [{ type: 'command', index, term: s.term, data: input.data }]);
  respond(ctx, input.requestId, { status: 'appended', index, term: s.term });
  broadcastAppend(ctx);
  advanceCommit(ctx);
}
