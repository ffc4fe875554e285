import { OrcError } from '../common/errors.js';

/**
 * Oracle MySQL (and Percona) GTID sets: `uuid:1-5:7-9,uuid2:1-3`, with MySQL 8.3+ tags
 * (`uuid:1-4:tag:1-3`). Transaction numbers are bigint because MySQL allows them up to 2^63-1.
 *
 * A set is a readonly array of entries, one per (uuid, tag). Every set this module returns is
 * canonical: entries sorted by uuid then tag (untagged first), uuids and tags in lower case,
 * each entry's intervals sorted, merged (no overlap, no adjacency) and non-empty. Functions
 * accept any set, canonical or not.
 */

/** An inclusive range of transaction numbers, 1 ≤ start ≤ end ≤ 2^63-1. */
export interface GtidInterval {
  readonly start: bigint;
  readonly end: bigint;
}

/** The transactions of one source uuid under one tag ('' for untagged). */
export interface GtidSetEntry {
  readonly uuid: string;
  readonly tag: string;
  readonly intervals: readonly GtidInterval[];
}

export type MysqlGtidSet = readonly GtidSetEntry[];

const MAX_GNO = 2n ** 63n - 1n;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_PLAIN = /^[0-9a-f]{32}$/;
const TAG = /^[a-z_][a-z0-9_]{0,31}$/;
const INTERVAL = /^(\d+)(?:\s*-\s*(\d+))?$/;
const EXPECTED = 'expected uuid:N[-M][:N[-M]…][:tag:N[-M]…] entries separated by commas';

/** The set with no transactions. */
export const EMPTY_GTID_SET: MysqlGtidSet = Object.freeze([]);

function invalid(value: string, why: string): OrcError {
  return new OrcError('INVALID_GTID_SET', `invalid GTID set "${value}": ${why}; ${EXPECTED}`, {
    context: { value },
  });
}

function normaliseUuid(value: string, text: string): string {
  const lower = text.toLowerCase();
  if (UUID.test(lower)) return lower;
  if (UUID_PLAIN.test(lower)) {
    const p = [0, 8, 12, 16, 20, 32].map((n, i, a) => lower.slice(n, a[i + 1]));
    return p.slice(0, 5).join('-');
  }
  throw invalid(value, `"${text}" is not a server uuid`);
}

function normaliseTag(value: string, text: string): string {
  const lower = text.toLowerCase();
  if (lower !== '' && !TAG.test(lower)) {
    throw invalid(value, `"${text}" is not a tag (a letter or _, then up to 31 of a-z 0-9 _)`);
  }
  return lower;
}

function checkInterval(value: string, start: bigint, end: bigint): GtidInterval {
  if (start < 1n) throw invalid(value, 'transaction numbers start at 1');
  if (end > MAX_GNO) throw invalid(value, `${end} is beyond the largest number, 2^63-1`);
  if (end < start) throw invalid(value, `interval ${start}-${end} ends before it starts`);
  return { start, end };
}

function parseInterval(value: string, token: string): GtidInterval {
  const m = INTERVAL.exec(token);
  if (!m?.[1]) throw invalid(value, `"${token}" is not an interval N or N-M`);
  const start = BigInt(m[1]);
  return checkInterval(value, start, m[2] === undefined ? start : BigInt(m[2]));
}

function byStart(a: GtidInterval, b: GtidInterval): number {
  if (a.start === b.start) return 0;
  return a.start < b.start ? -1 : 1;
}

function byUuidThenTag(a: GtidSetEntry, b: GtidSetEntry): number {
  if (a.uuid !== b.uuid) return a.uuid < b.uuid ? -1 : 1;
  if (a.tag !== b.tag) return a.tag < b.tag ? -1 : 1;
  return 0;
}

function mergeIntervals(list: readonly GtidInterval[]): GtidInterval[] {
  const out: GtidInterval[] = [];
  for (const iv of [...list].sort(byStart)) {
    const last = out[out.length - 1];
    if (last !== undefined && iv.start <= last.end + 1n) {
      if (iv.end > last.end) out[out.length - 1] = { start: last.start, end: iv.end };
    } else {
      out.push(iv);
    }
  }
  return out;
}

function intersectIntervals(x: readonly GtidInterval[], y: readonly GtidInterval[]) {
  const out: GtidInterval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const a = x[i] as GtidInterval;
    const b = y[j] as GtidInterval;
    const start = a.start > b.start ? a.start : b.start;
    const end = a.end < b.end ? a.end : b.end;
    if (start <= end) out.push({ start, end });
    if (a.end < b.end) i++;
    else j++;
  }
  return out;
}

function subtractIntervals(x: readonly GtidInterval[], y: readonly GtidInterval[]) {
  const out: GtidInterval[] = [];
  let j = 0;
  for (const a of x) {
    while (j < y.length && (y[j] as GtidInterval).end < a.start) j++;
    let start = a.start;
    for (let k = j; k < y.length && start <= a.end; k++) {
      const b = y[k] as GtidInterval;
      if (b.start > a.end) break;
      if (b.start > start) out.push({ start, end: b.start - 1n });
      if (b.end + 1n > start) start = b.end + 1n;
    }
    if (start <= a.end) out.push({ start, end: a.end });
  }
  return out;
}

type IntervalOp = (x: readonly GtidInterval[], y: readonly GtidInterval[]) => GtidInterval[];

function entryKey(e: GtidSetEntry): string {
  return `${e.uuid}:${e.tag}`;
}

function combine(a: MysqlGtidSet, b: MysqlGtidSet, op: IntervalOp): MysqlGtidSet {
  const left = new Map(mysqlGtidSetFrom(a).map((e) => [entryKey(e), e]));
  const right = new Map(mysqlGtidSetFrom(b).map((e) => [entryKey(e), e]));
  const out: GtidSetEntry[] = [];
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const l = left.get(key);
    const r = right.get(key);
    const base = (l ?? r) as GtidSetEntry;
    const intervals = op(l?.intervals ?? [], r?.intervals ?? []);
    if (intervals.length > 0) out.push({ uuid: base.uuid, tag: base.tag, intervals });
  }
  return out.sort(byUuidThenTag);
}

/**
 * The canonical set holding exactly the transactions of `entries`, which may repeat a
 * (uuid, tag), overlap, or come in any order. Throws `INVALID_GTID_SET` on a malformed uuid,
 * tag or interval.
 */
export function mysqlGtidSetFrom(entries: readonly GtidSetEntry[]): MysqlGtidSet {
  const byKey = new Map<string, { uuid: string; tag: string; intervals: GtidInterval[] }>();
  for (const e of entries) {
    const shown = `${e.uuid}:${e.tag}`;
    const uuid = normaliseUuid(shown, e.uuid);
    const tag = normaliseTag(shown, e.tag);
    const checked = e.intervals.map((iv) => checkInterval(shown, iv.start, iv.end));
    const key = `${uuid}:${tag}`;
    const found = byKey.get(key);
    if (found) found.intervals.push(...checked);
    else byKey.set(key, { uuid, tag, intervals: checked });
  }
  const out: GtidSetEntry[] = [];
  for (const { uuid, tag, intervals } of byKey.values()) {
    if (intervals.length > 0) out.push({ uuid, tag, intervals: mergeIntervals(intervals) });
  }
  return out.sort(byUuidThenTag);
}

function parseUuidSet(value: string, part: string): GtidSetEntry[] {
  const tokens = part.split(':').map((t) => t.trim());
  const uuid = normaliseUuid(value, tokens[0] ?? '');
  const byTag = new Map<string, GtidInterval[]>();
  let tag = '';
  for (const token of tokens.slice(1)) {
    if (/^\d/.test(token)) {
      const list = byTag.get(tag) ?? [];
      list.push(parseInterval(value, token));
      byTag.set(tag, list);
    } else if (token === '') {
      throw invalid(value, `empty element after "${tokens[0]}"`);
    } else {
      tag = normaliseTag(value, token);
    }
  }
  return [...byTag].map(([t, intervals]) => ({ uuid, tag: t, intervals }));
}

/**
 * Reads a GTID set as MySQL prints it (`@@gtid_executed`, `SHOW MASTER STATUS`,
 * `Retrieved_Gtid_Set`): entries separated by commas, with spaces and newlines allowed around
 * separators, uuids in either case (with or without hyphens), tags in either case, the same
 * uuid possibly repeated. Empty or blank text is the empty set. Throws `INVALID_GTID_SET`
 * quoting the text otherwise.
 */
export function parseMysqlGtidSet(text: string): MysqlGtidSet {
  const entries: GtidSetEntry[] = [];
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (part !== '') entries.push(...parseUuidSet(text, part));
  }
  return mysqlGtidSetFrom(entries);
}

function formatInterval(iv: GtidInterval): string {
  return iv.start === iv.end ? `${iv.start}` : `${iv.start}-${iv.end}`;
}

/**
 * Canonical text, as MySQL 8.3+ prints it but on one line: uuids sorted, untagged intervals
 * first, then each tag with its intervals, e.g. `uuid:1-4:aaaa:1:abc:1-3`. The empty set is
 * ''. `parseMysqlGtidSet` reads it back to an equal set.
 */
export function formatMysqlGtidSet(set: MysqlGtidSet): string {
  const parts: string[] = [];
  let uuid: string | undefined;
  let text = '';
  for (const e of mysqlGtidSetFrom(set)) {
    if (e.uuid !== uuid) {
      if (uuid !== undefined) parts.push(text);
      uuid = e.uuid;
      text = e.uuid;
    }
    if (e.tag !== '') text += `:${e.tag}`;
    text += `:${e.intervals.map(formatInterval).join(':')}`;
  }
  if (uuid !== undefined) parts.push(text);
  return parts.join(',');
}

/** Every transaction in `a` or in `b`. */
export function unionGtidSets(a: MysqlGtidSet, b: MysqlGtidSet): MysqlGtidSet {
  return combine(a, b, (x, y) => mergeIntervals([...x, ...y]));
}

/** The transactions in both `a` and `b`. */
export function intersectGtidSets(a: MysqlGtidSet, b: MysqlGtidSet): MysqlGtidSet {
  return combine(a, b, intersectIntervals);
}

/** The transactions of `a` that are not in `b` (MySQL's `GTID_SUBTRACT(a, b)`). */
export function subtractGtidSets(a: MysqlGtidSet, b: MysqlGtidSet): MysqlGtidSet {
  return combine(a, b, subtractIntervals);
}

/** True when every transaction of `subset` is in `superset` (MySQL's `GTID_SUBSET`). */
export function gtidSetContains(superset: MysqlGtidSet, subset: MysqlGtidSet): boolean {
  return subtractGtidSets(subset, superset).length === 0;
}

/** True when both sets hold the same transactions, however they are written. */
export function gtidSetsEqual(a: MysqlGtidSet, b: MysqlGtidSet): boolean {
  return formatMysqlGtidSet(a) === formatMysqlGtidSet(b);
}

/** True when the set holds no transaction. */
export function isEmptyGtidSet(set: MysqlGtidSet): boolean {
  return set.every((e) => e.intervals.length === 0);
}

/** How many transactions the set holds (each counted once even if written twice). */
export function countGtids(set: MysqlGtidSet): bigint {
  let n = 0n;
  for (const e of mysqlGtidSetFrom(set)) {
    for (const iv of e.intervals) n += iv.end - iv.start + 1n;
  }
  return n;
}

/** The distinct source uuids of the set, sorted. */
export function gtidSetUuids(set: MysqlGtidSet): readonly string[] {
  return [...new Set(mysqlGtidSetFrom(set).map((e) => e.uuid))];
}

function lenientUuid(text: string): string {
  try {
    return normaliseUuid(text, text.trim());
  } catch {
    return text.trim().toLowerCase();
  }
}

/**
 * The set without any transaction of the given uuids (all their tags). Uuids match in either
 * case, with or without hyphens; a string that is no uuid matches nothing.
 */
export function removeGtidUuids(set: MysqlGtidSet, uuids: readonly string[]): MysqlGtidSet {
  const drop = new Set(uuids.map(lenientUuid));
  return mysqlGtidSetFrom(set).filter((e) => !drop.has(e.uuid));
}

/** What `mysqlErrantGtids` compares; the uuids are `@@server_uuid` values. */
export interface MysqlErrantInput {
  /** The replica's `@@gtid_executed`. */
  readonly replicaExecuted: MysqlGtidSet;
  /** The `@@gtid_executed` of the replica's primary (its direct source), as last probed. */
  readonly primaryExecuted: MysqlGtidSet;
  /** The replica's own uuid; needed only for co-primaries. */
  readonly replicaUuid?: string;
  /** Uuids of every server above the replica: its source, that one's source, and so on. */
  readonly ancestryUuids?: readonly string[];
  /** True when the replica and its source replicate from each other. */
  readonly isCoPrimary?: boolean;
}

/**
 * The replica's errant transactions, by orchestrator's definition: its executed set, without
 * the transactions of any ancestor's uuid (and of its own uuid when it is a co-primary, whose
 * fresh writes its peer has not applied yet), minus the primary's executed set. Empty when
 * there is nothing errant.
 *
 * Ancestors' uuids are left out because the primary is probed at a different moment than the
 * replica: a replica may already hold transactions its primary's last probe did not show. The
 * price is that transactions the replica took from an ancestor, but the primary never had
 * (for instance after a move), are not reported. With no ancestry given this is the plain
 * `replica − primary`.
 */
export function mysqlErrantGtids(input: MysqlErrantInput): MysqlGtidSet {
  const own = input.replicaUuid === undefined ? undefined : lenientUuid(input.replicaUuid);
  const hidden = (input.ancestryUuids ?? []).map(lenientUuid).filter((u) => u !== own);
  if (input.isCoPrimary === true && own !== undefined) hidden.push(own);
  return subtractGtidSets(removeGtidUuids(input.replicaExecuted, hidden), input.primaryExecuted);
}
