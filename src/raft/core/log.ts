/**
 * The in-memory Raft log as an immutable value. Entries after the snapshot live in a backing
 * array that successive log values share: a value owns only the first `length` items, so
 * appending to the newest value pushes in place (no older value can see past its own length)
 * and appending to an older value copies first. Every operation returns a new value; no value
 * ever observes a change, which keeps `step` pure at the cost of one array per fork.
 */
import type { LogEntry } from './types.js';

export interface RaftLog {
  /** Index of the last entry folded into the snapshot (0 when there is none). */
  readonly baseIndex: number;
  /** Term of that entry (0 when there is none). */
  readonly baseTerm: number;
  /** Shared backing store; only `[0, length)` belongs to this value. */
  readonly backing: readonly LogEntry[];
  /** Number of entries after `baseIndex`. */
  readonly length: number;
}

/** A log starting after (baseIndex, baseTerm) holding a private copy of `entries`. */
export function makeLog(
  baseIndex: number,
  baseTerm: number,
  entries: readonly LogEntry[],
): RaftLog {
  return { baseIndex, baseTerm, backing: entries.slice(), length: entries.length };
}

export function lastIndex(log: RaftLog): number {
  return log.baseIndex + log.length;
}

export function lastTerm(log: RaftLog): number {
  return log.length === 0 ? log.baseTerm : (log.backing[log.length - 1]?.term ?? 0);
}

/** The entry at `index`, or undefined when compacted away or beyond the end. */
export function entryAt(log: RaftLog, index: number): LogEntry | undefined {
  if (index <= log.baseIndex || index > lastIndex(log)) return undefined;
  return log.backing[index - log.baseIndex - 1];
}

/** The term at `index`: known for the base and for every retained entry; undefined otherwise. */
export function termAt(log: RaftLog, index: number): number | undefined {
  if (index === log.baseIndex) return log.baseTerm;
  return entryAt(log, index)?.term;
}

/** A fresh array of the entries `from..to` (inclusive), clamped to what the log holds. */
export function entriesBetween(log: RaftLog, from: number, to: number): LogEntry[] {
  const start = Math.max(from, log.baseIndex + 1) - log.baseIndex - 1;
  const end = Math.min(to, lastIndex(log)) - log.baseIndex;
  return end > start ? log.backing.slice(start, end) : [];
}

/** The log with `entries` appended; they must continue the log's indexes. */
export function appendToLog(log: RaftLog, entries: readonly LogEntry[]): RaftLog {
  if (entries.length === 0) return log;
  entries.forEach((e, i) => {
    if (e.index !== lastIndex(log) + 1 + i) {
      throw new RangeError(`log append out of order: entry ${e.index} after ${lastIndex(log)}`);
    }
  });
  // Pushing is safe only when no other value shares slots beyond our length.
  const backing =
    log.backing.length === log.length
      ? (log.backing as LogEntry[])
      : log.backing.slice(0, log.length);
  backing.push(...entries);
  return { ...log, backing, length: log.length + entries.length };
}

/** The log without the entries after `index` (index ≥ baseIndex). */
export function truncateAfter(log: RaftLog, index: number): RaftLog {
  const keep = Math.max(0, Math.min(log.length, index - log.baseIndex));
  return keep === log.length ? log : { ...log, length: keep };
}

/**
 * The log once the snapshot covers (index, term): the entries after `index` survive when the
 * log holds that very entry, otherwise the whole log goes (the snapshot replaces it).
 */
export function compactTo(log: RaftLog, index: number, term: number): RaftLog {
  const keepTail = termAt(log, index) === term;
  const tail = keepTail ? entriesBetween(log, index + 1, lastIndex(log)) : [];
  return { baseIndex: index, baseTerm: term, backing: tail, length: tail.length };
}

/** The first index at or before `index` whose entry has the same term (not below the base). */
export function firstIndexOfTermAt(log: RaftLog, index: number): number {
  const term = termAt(log, index);
  let i = index;
  while (i - 1 > log.baseIndex && termAt(log, i - 1) === term) i--;
  return i;
}

/** The last retained index whose entry has `term`, or undefined when none has. */
export function lastIndexOfTerm(log: RaftLog, term: number): number | undefined {
  for (let i = lastIndex(log); i > log.baseIndex; i--) {
    const t = termAt(log, i) ?? 0;
    if (t === term) return i;
    if (t < term) return undefined;
  }
  return undefined;
}
