import {
  formatMariaDbGtid,
  mariaDbGtidInDomain,
  type MariaDbGtid,
  type MariaDbGtidPosition,
} from './gtid-mariadb.js';

/**
 * Errant-transaction detection for MariaDB, from GTID positions (and optionally binlog
 * states). MariaDB has no executed GTID set, so there is no exact `replica − primary`: a
 * position holds only the last GTID of each domain (see gtid-mariadb.ts). What can be
 * concluded, per domain, comparing the replica's `@@gtid_current_pos` with its primary's:
 *
 * - certain under strict mode: the replica's last GTID is one the primary cannot have — a
 *   domain the primary lacks, a seq beyond the primary's, or the primary's seq from another
 *   server — written by a server that is not upstream of the replica (its own local writes,
 *   or a server of another topology);
 * - only suspect: the replica is behind but its last GTID is its own write. That is normal for
 *   a demoted primary catching up, and is also what a local write looks like before the
 *   replica resumes replicating;
 * - invisible: errant writes that later replicated transactions overtook in the position, and
 *   any difference before the last GTID. `mariaDbBinlogStateErrant` sees some of these;
 *   the binary logs alone see all.
 *
 * Like orchestrator for Oracle GTIDs, transactions written by the primary or its ancestors are
 * never called errant: the primary was probed at another moment, and a replica may already
 * hold transactions its primary's last probe did not show.
 */

/** Which rule of the module comment a finding comes from. */
export type MariaDbErrantKind =
  | 'domain-missing-on-primary'
  | 'ahead-of-primary'
  | 'conflicting-seq'
  | 'own-write-behind'
  | 'server-missing-on-primary';

/** One domain (or domain and server, for binlog states) where the replica looks errant. */
export interface MariaDbErrantFinding {
  readonly kind: MariaDbErrantKind;
  /** `errant`: cannot be explained by replication from upstream (given strict mode). */
  readonly certainty: 'errant' | 'suspect';
  readonly domain: number;
  readonly replica: MariaDbGtid;
  /** The primary's GTID compared with (undefined when it has none there). */
  readonly primary: MariaDbGtid | undefined;
  /** One sentence for operators, quoting the GTIDs. */
  readonly explanation: string;
}

export interface MariaDbErrantInput {
  /** The replica's `@@gtid_current_pos` (not gtid_slave_pos, which survives RESET SLAVE). */
  readonly replicaPosition: MariaDbGtidPosition;
  /** The `@@gtid_current_pos` of the replica's direct source, as last probed. */
  readonly primaryPosition: MariaDbGtidPosition;
  readonly replicaServerId: number;
  /** server_ids of the primary and of every server above it. */
  readonly upstreamServerIds: readonly number[];
  /** True when the replica and its source replicate from each other. */
  readonly isCoPrimary?: boolean;
  /**
   * Domains not to judge: those the replica receives through other multi-source connections,
   * or that are filtered (`Replicate_Do/Ignore_Domain_Ids`).
   */
  readonly ignoreDomains?: readonly number[];
  /** False when `gtid_strict_mode` is off on the servers: every finding is then a suspicion. */
  readonly strictMode?: boolean;
}

export interface MariaDbErrantReport {
  /** Sorted by domain (then server_id). */
  readonly findings: readonly MariaDbErrantFinding[];
  /** The replica GTIDs of the findings whose certainty is `errant`; empty when none. */
  readonly errant: MariaDbGtidPosition;
}

interface Judge {
  readonly trusted: ReadonlySet<number>;
  readonly own: number;
}

function judgeOf(input: {
  readonly replicaServerId: number;
  readonly upstreamServerIds: readonly number[];
  readonly isCoPrimary?: boolean;
}): Judge {
  const trusted = new Set(input.upstreamServerIds);
  if (input.isCoPrimary === true) trusted.add(input.replicaServerId);
  return { trusted, own: input.replicaServerId };
}

function writer(judge: Judge, g: MariaDbGtid): string {
  return g.serverId === judge.own ? 'the replica itself' : `server_id ${g.serverId}`;
}

function judgeDomain(
  judge: Judge,
  r: MariaDbGtid,
  p: MariaDbGtid | undefined,
): MariaDbErrantFinding | undefined {
  const base = { domain: r.domain, replica: r, primary: p };
  const rs = formatMariaDbGtid(r);
  if (p === undefined) {
    if (judge.trusted.has(r.serverId)) return undefined;
    const explanation =
      `replica has ${rs}, written by ${writer(judge, r)}, ` +
      `in domain ${r.domain}, which the primary lacks`;
    return { ...base, kind: 'domain-missing-on-primary', certainty: 'errant', explanation };
  }
  const ps = formatMariaDbGtid(p);
  if (r.seq === p.seq && r.serverId !== p.serverId) {
    const explanation = `replica's ${rs} and primary's ${ps} differ at the same seq`;
    return { ...base, kind: 'conflicting-seq', certainty: 'errant', explanation };
  }
  if (r.seq > p.seq && !judge.trusted.has(r.serverId)) {
    const by = writer(judge, r);
    const explanation = `replica's ${rs}, written by ${by}, is beyond the primary's ${ps}`;
    return { ...base, kind: 'ahead-of-primary', certainty: 'errant', explanation };
  }
  if (r.seq < p.seq && r.serverId === judge.own && !judge.trusted.has(judge.own)) {
    const explanation =
      `replica's last GTID ${rs} is its own write, behind the primary's ${ps}: ` +
      'a demoted primary catching up, or a local write';
    return { ...base, kind: 'own-write-behind', certainty: 'suspect', explanation };
  }
  return undefined;
}

function report(
  findings: MariaDbErrantFinding[],
  strictMode: boolean | undefined,
): MariaDbErrantReport {
  const judged =
    strictMode === false
      ? findings.map((f) => ({ ...f, certainty: 'suspect' as const }))
      : findings;
  judged.sort((a, b) => a.domain - b.domain || a.replica.serverId - b.replica.serverId);
  return {
    findings: judged,
    errant: judged.filter((f) => f.certainty === 'errant').map((f) => f.replica),
  };
}

/**
 * Judges each domain of the replica's position against the primary's (rules in the module
 * comment). Domains only the primary has mean the replica is behind there, never errant.
 */
export function mariaDbErrant(input: MariaDbErrantInput): MariaDbErrantReport {
  const judge = judgeOf(input);
  const ignored = new Set(input.ignoreDomains ?? []);
  const findings: MariaDbErrantFinding[] = [];
  for (const r of input.replicaPosition) {
    if (ignored.has(r.domain)) continue;
    const finding = judgeDomain(judge, r, mariaDbGtidInDomain(input.primaryPosition, r.domain));
    if (finding) findings.push(finding);
  }
  return report(findings, input.strictMode);
}

export interface MariaDbBinlogStateErrantInput {
  /** The replica's `@@gtid_binlog_state`. */
  readonly replicaState: MariaDbGtidPosition;
  /** The primary's `@@gtid_binlog_state`. */
  readonly primaryState: MariaDbGtidPosition;
  readonly replicaServerId: number;
  readonly upstreamServerIds: readonly number[];
  readonly isCoPrimary?: boolean;
  readonly ignoreDomains?: readonly number[];
  readonly strictMode?: boolean;
}

/**
 * A deeper look using `@@gtid_binlog_state`, which keeps the last GTID of each domain AND
 * server_id: a server that is not upstream and whose last GTID in a domain the primary has
 * not logged (no entry for that server, or a lower seq) marks the replica's transaction as
 * errant, even when replicated transactions have since overtaken it in the position.
 *
 * Meaningful only when the primary logs what it replicates (`log_slave_updates=ON`) and
 * neither binlog state was reset (`RESET MASTER`) since; otherwise servers are missing from
 * the primary's state for innocent reasons, so callers should skip this check then. Earlier
 * transactions of a server that has later ones are still invisible.
 */
export function mariaDbBinlogStateErrant(
  input: MariaDbBinlogStateErrantInput,
): MariaDbErrantReport {
  const judge = judgeOf(input);
  const ignored = new Set(input.ignoreDomains ?? []);
  const findings: MariaDbErrantFinding[] = [];
  for (const r of input.replicaState) {
    if (ignored.has(r.domain) || judge.trusted.has(r.serverId)) continue;
    const p = input.primaryState.find((g) => g.domain === r.domain && g.serverId === r.serverId);
    if (p !== undefined && p.seq >= r.seq) continue;
    const rs = formatMariaDbGtid(r);
    const has = p === undefined ? 'nothing' : formatMariaDbGtid(p);
    const explanation =
      `replica logged ${rs} from ${writer(judge, r)}; the primary's binlog state ` +
      `has ${has} from that server in domain ${r.domain}`;
    findings.push({
      kind: 'server-missing-on-primary',
      certainty: 'errant',
      domain: r.domain,
      replica: r,
      primary: p,
      explanation,
    });
  }
  return report(findings, input.strictMode);
}
