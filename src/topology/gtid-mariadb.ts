import { OrcError } from '../common/errors.js';

/**
 * MariaDB GTIDs: `domain-server_id-seq`, e.g. `0-6-5`. What a server reports as a position
 * (`@@gtid_current_pos`, `@@gtid_binlog_pos`, `@@gtid_slave_pos`, `Gtid_IO_Pos`) is a comma
 * list holding only the LAST GTID applied in each replication domain, e.g. `0-1-100,1-2-50`.
 *
 * Semantics that the functions here rely on, and their limits:
 * - Sequence numbers belong to the domain, not to the server: a server writing a new
 *   transaction in a domain gives it the domain's highest seq it has seen plus one. Along one
 *   history of a domain, a higher seq therefore means a later transaction.
 * - With `gtid_strict_mode=ON` a server refuses to apply or log a GTID whose seq is not above
 *   the last one of its domain, so two different GTIDs with the same domain and seq are two
 *   histories that diverged. Without strict mode seqs may repeat or go back, and every
 *   conclusion drawn from positions is a guess.
 * - A position tells nothing about what came before its last GTID: two servers at `0-1-100`
 *   may still differ in earlier transactions, and a local write overtaken by replicated ones
 *   leaves no trace in the position. Only the binary logs (or, in part, `@@gtid_binlog_state`,
 *   which keeps the last GTID per domain AND server) can show that.
 */

/** One MariaDB GTID. `domain` and `serverId` are 32-bit unsigned; `seq` is 64-bit unsigned. */
export interface MariaDbGtid {
  readonly domain: number;
  readonly serverId: number;
  readonly seq: bigint;
}

/**
 * A GTID position: at most one GTID per domain, sorted by domain when produced here. Also used
 * for `@@gtid_binlog_state` lists (one GTID per domain and server, sorted by domain then
 * server) where a function says so.
 */
export type MariaDbGtidPosition = readonly MariaDbGtid[];

const UINT32_MAX = 2 ** 32 - 1;
const SEQ_MAX = 2n ** 64n - 1n;
const GTID = /^(\d+)-(\d+)-(\d+)$/;
const EXPECTED = 'expected domain-server_id-seq GTIDs separated by commas, e.g. 0-1-100,1-2-50';

function invalid(value: string, why: string): OrcError {
  return new OrcError(
    'INVALID_GTID_POSITION',
    `invalid MariaDB GTID position "${value}": ${why}; ${EXPECTED}`,
    { context: { value } },
  );
}

function parseOne(value: string, token: string): MariaDbGtid {
  const m = GTID.exec(token);
  if (!m?.[1] || !m[2] || !m[3]) throw invalid(value, `"${token}" is not domain-server_id-seq`);
  const domain = Number(m[1]);
  const serverId = Number(m[2]);
  const seq = BigInt(m[3]);
  if (domain > UINT32_MAX) throw invalid(value, `domain ${m[1]} is beyond 2^32-1`);
  if (serverId > UINT32_MAX) throw invalid(value, `server_id ${m[2]} is beyond 2^32-1`);
  if (seq > SEQ_MAX) throw invalid(value, `seq ${m[3]} is beyond 2^64-1`);
  return { domain, serverId, seq };
}

function byDomainThenServer(a: MariaDbGtid, b: MariaDbGtid): number {
  return a.domain - b.domain || a.serverId - b.serverId;
}

function parseList(text: string): MariaDbGtid[] {
  const out: MariaDbGtid[] = [];
  for (const raw of text.split(',')) {
    const token = raw.trim();
    if (token === '') {
      if (text.trim() === '') continue;
      throw invalid(text, 'an element between commas is empty');
    }
    out.push(parseOne(text, token));
  }
  return out.sort(byDomainThenServer);
}

/** Reads one GTID such as `0-6-5`. Throws `INVALID_GTID_POSITION` otherwise. */
export function parseMariaDbGtid(text: string): MariaDbGtid {
  return parseOne(text, text.trim());
}

/**
 * Reads a position as MariaDB prints it; spaces and newlines around commas are ignored and
 * blank text is the empty position. The result is sorted by domain. Throws
 * `INVALID_GTID_POSITION` on a malformed GTID or on two GTIDs of one domain (as MariaDB does).
 */
export function parseMariaDbGtidPosition(text: string): MariaDbGtidPosition {
  const list = parseList(text);
  for (let i = 1; i < list.length; i++) {
    const prev = list[i - 1] as MariaDbGtid;
    const cur = list[i] as MariaDbGtid;
    if (prev.domain === cur.domain) {
      const pair = `${formatMariaDbGtid(prev)} and ${formatMariaDbGtid(cur)}`;
      throw invalid(text, `${pair} are both in domain ${cur.domain}`);
    }
  }
  return list;
}

/**
 * Reads `@@gtid_binlog_state`: like a position, but a domain may appear once per server_id.
 * Sorted by domain then server_id. Throws `INVALID_GTID_POSITION` when a domain and server_id
 * pair repeats.
 */
export function parseMariaDbBinlogState(text: string): MariaDbGtidPosition {
  const list = parseList(text);
  for (let i = 1; i < list.length; i++) {
    const prev = list[i - 1] as MariaDbGtid;
    const cur = list[i] as MariaDbGtid;
    if (byDomainThenServer(prev, cur) === 0) {
      throw invalid(text, `domain ${cur.domain} and server_id ${cur.serverId} appear twice`);
    }
  }
  return list;
}

/** `domain-server_id-seq`. */
export function formatMariaDbGtid(gtid: MariaDbGtid): string {
  return `${gtid.domain}-${gtid.serverId}-${gtid.seq}`;
}

/**
 * Canonical text: GTIDs sorted by domain (then server_id), comma-separated without spaces;
 * '' for the empty position. The parsers read it back to an equal value.
 */
export function formatMariaDbGtidPosition(position: MariaDbGtidPosition): string {
  return [...position].sort(byDomainThenServer).map(formatMariaDbGtid).join(',');
}

/** The position's GTID in `domain`, or undefined when the position has none there. */
export function mariaDbGtidInDomain(
  position: MariaDbGtidPosition,
  domain: number,
): MariaDbGtid | undefined {
  return position.find((g) => g.domain === domain);
}

/**
 * How the GTID of `a` in one domain relates to that of `b`, judged by seq alone:
 * - `equal`: same GTID;
 * - `ahead` / `behind`: `a`'s seq is higher / lower. Whether the lower one's history is a
 *   prefix of the higher one's cannot be seen from positions;
 * - `diverged`: same seq from different servers — under strict mode, two histories;
 * - `only-in-a` / `only-in-b`: the other position has nothing in that domain.
 */
export type MariaDbDomainRelation =
  'equal' | 'ahead' | 'behind' | 'diverged' | 'only-in-a' | 'only-in-b';

export interface MariaDbDomainComparison {
  readonly domain: number;
  readonly relation: MariaDbDomainRelation;
  readonly a: MariaDbGtid | undefined;
  readonly b: MariaDbGtid | undefined;
}

function relate(a: MariaDbGtid | undefined, b: MariaDbGtid | undefined): MariaDbDomainRelation {
  if (b === undefined) return 'only-in-a';
  if (a === undefined) return 'only-in-b';
  if (a.seq > b.seq) return 'ahead';
  if (a.seq < b.seq) return 'behind';
  return a.serverId === b.serverId ? 'equal' : 'diverged';
}

/** One comparison per domain present in either position, sorted by domain. */
export function compareMariaDbPositions(
  a: MariaDbGtidPosition,
  b: MariaDbGtidPosition,
): readonly MariaDbDomainComparison[] {
  const domains = [...new Set([...a, ...b].map((g) => g.domain))].sort((x, y) => x - y);
  return domains.map((domain) => {
    const ga = mariaDbGtidInDomain(a, domain);
    const gb = mariaDbGtidInDomain(b, domain);
    return { domain, relation: relate(ga, gb), a: ga, b: gb };
  });
}

/** The domains, sorted, in which the two positions are not at the same GTID. */
export function mariaDbDomainsDiffering(
  a: MariaDbGtidPosition,
  b: MariaDbGtidPosition,
): readonly number[] {
  return compareMariaDbPositions(a, b)
    .filter((c) => c.relation !== 'equal')
    .map((c) => c.domain);
}

/**
 * True when `a` has reached `b` in every domain of `b`: a higher seq, or the very same GTID.
 * Domains only in `a` do not matter; a domain of `b` missing from `a`, or the same seq from
 * another server (diverged), makes it false. This is what waiting for `b` (as
 * `MASTER_GTID_WAIT` does) would accept; it does not prove `a` holds every transaction of `b`.
 */
export function isMariaDbPositionAtLeast(a: MariaDbGtidPosition, b: MariaDbGtidPosition): boolean {
  return b.every((gb) => {
    const relation = relate(mariaDbGtidInDomain(a, gb.domain), gb);
    return relation === 'equal' || relation === 'ahead';
  });
}

/** Transactions a replica still lacks in one domain, by seq difference. */
export interface MariaDbDomainLag {
  readonly domain: number;
  readonly count: bigint;
}

/**
 * For every domain of `source`, sorted: how many transactions `replica` is behind, counted as
 * the difference of seqs (the source's seq when the replica has nothing in that domain), and
 * 0 when the replica is level or ahead. An estimate: exact along one strict-mode history, but
 * seqs can jump (a server that saw a higher seq, or `gtid_seq_no` set by hand), and a diverged
 * replica counts 0 here — see `compareMariaDbPositions` for divergence.
 */
export function mariaDbTransactionsBehind(
  replica: MariaDbGtidPosition,
  source: MariaDbGtidPosition,
): readonly MariaDbDomainLag[] {
  return [...source].sort(byDomainThenServer).map((gs) => {
    const gr = mariaDbGtidInDomain(replica, gs.domain);
    const seen = gr?.seq ?? 0n;
    return { domain: gs.domain, count: gs.seq > seen ? gs.seq - seen : 0n };
  });
}
