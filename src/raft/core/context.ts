/**
 * The scratch space of one `step`: a shallow draft of the state and the effect list being
 * built. Handlers change the draft only by replacing fields (never by mutating a nested value
 * of the input state) and reach the world only through the functions below, which keep the
 * log in memory and the log on disk in step and enforce the ordering contract (io.ts):
 * changes to durable state are gathered into one pending `persist` that is flushed ahead of
 * the first effect that could depend on it.
 */
import type { RejectCode } from './errors.js';
import type { Effect, PersistEffect, RequestOutcome } from './io.js';
import { appendToLog, compactTo, lastIndex, truncateAfter, type RaftLog } from './log.js';
import type { Message } from './messages.js';
import type { RaftState } from './state.js';
import type { LogEntry, NodeId, Snapshot } from './types.js';

export type Draft = { -readonly [K in keyof RaftState]: RaftState[K] };

interface PendingPersist {
  hardState: boolean;
  snapshot: Snapshot | null;
  truncateAfter: number | null;
  append: LogEntry[];
}

export interface Ctx {
  readonly s: Draft;
  readonly now: number;
  readonly effects: Effect[];
  pending: PendingPersist;
}

function nothingPending(): PendingPersist {
  return { hardState: false, snapshot: null, truncateAfter: null, append: [] };
}

export function beginStep(state: RaftState, now: number): Ctx {
  return { s: { ...state }, now, effects: [], pending: nothingPending() };
}

/** Pushes the pending `persist`, if anything is pending. */
export function flushPersist(ctx: Ctx): void {
  const p = ctx.pending;
  if (!p.hardState && p.snapshot === null && p.truncateAfter === null && p.append.length === 0) {
    return;
  }
  const effect: { -readonly [K in keyof PersistEffect]: PersistEffect[K] } = { type: 'persist' };
  if (p.hardState) effect.hardState = { term: ctx.s.term, votedFor: ctx.s.votedFor };
  if (p.snapshot !== null) effect.snapshot = p.snapshot;
  if (p.truncateAfter !== null) effect.truncateAfter = p.truncateAfter;
  if (p.append.length > 0) effect.append = p.append;
  ctx.effects.push(effect);
  ctx.pending = nothingPending();
}

/** Emits an effect the world can observe; pending durable changes go out first. */
export function emit(ctx: Ctx, effect: Exclude<Effect, PersistEffect>): void {
  flushPersist(ctx);
  ctx.effects.push(effect);
}

export function send(ctx: Ctx, to: NodeId, message: Message): void {
  emit(ctx, { type: 'send', to, message });
}

/** Answers the client request `requestId`. */
export function respond(ctx: Ctx, requestId: string, outcome: RequestOutcome): void {
  emit(ctx, { type: 'respond', requestId, outcome });
}

/** Refuses the client request `requestId`, pointing at the leader when one is known. */
export function reject(ctx: Ctx, requestId: string, code: RejectCode, reason: string): void {
  respond(ctx, requestId, { status: 'rejected', code, leaderId: ctx.s.leaderId, reason });
}

/** Sets term and vote; both are persisted before anything observable follows. */
export function setHardState(ctx: Ctx, term: number, votedFor: NodeId | null): void {
  if (ctx.s.term === term && ctx.s.votedFor === votedFor) return;
  ctx.s.term = term;
  ctx.s.votedFor = votedFor;
  ctx.pending.hardState = true;
}

/** Appends to the log in memory and on disk. */
export function appendEntries(ctx: Ctx, entries: readonly LogEntry[]): void {
  if (entries.length === 0) return;
  ctx.s.log = appendToLog(ctx.s.log, entries);
  ctx.pending.append.push(...entries);
}

/** Drops the entries after `index`, in memory and on disk. */
export function truncateLog(ctx: Ctx, index: number): void {
  if (index >= lastIndex(ctx.s.log)) return;
  // A pending append would be ordered after the truncation in one persist: flush it first.
  if (ctx.pending.append.length > 0) flushPersist(ctx);
  ctx.s.log = truncateAfter(ctx.s.log, index);
  ctx.pending.truncateAfter = Math.min(ctx.pending.truncateAfter ?? Infinity, index);
}

/**
 * Makes `snapshot` the node's snapshot, in memory and on disk: entries up to its index go;
 * the rest of the log survives only when it continues the snapshot (`compactTo`).
 */
export function storeSnapshot(ctx: Ctx, snapshot: Snapshot): void {
  const pending = ctx.pending;
  if (pending.append.length > 0 || pending.truncateAfter !== null) flushPersist(ctx);
  const before: RaftLog = ctx.s.log;
  ctx.s.log = compactTo(before, snapshot.index, snapshot.term);
  ctx.s.snapshot = snapshot;
  ctx.pending.snapshot = snapshot;
  if (lastIndex(ctx.s.log) < lastIndex(before)) ctx.pending.truncateAfter = snapshot.index;
}
