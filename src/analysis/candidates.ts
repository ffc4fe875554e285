import {
  compareInstanceKeys,
  comparePromotionRules,
  compareMariaDbPositions,
  countGtids,
  hasDataFilters,
  isLastCheckValid,
  isPromotionBanned,
  mariaDbTransactionsBehind,
  parseMariaDbGtidPosition,
  parseMysqlGtidSet,
  subtractGtidSets,
  unionGtidSets,
  type Instance,
  type MysqlGtidSet,
} from '../topology/index.js';
import { hostMatchesAny } from './filters.js';
import type { AnalysisSettings, ObservedInstance } from './input.js';

/**
 * Candidate logic for replacing a primary, shared by the failover-readiness summary and the
 * recovery planner: which replicas may take over, how far behind each one is, and which
 * replicas could not follow a chosen one. Pure; positions are what the replicas have
 * received (the IO thread's GTIDs), since relay logs are applied before a promotion.
 */

/** Transactions one server lacks relative to another. */
export type TransactionGap =
  | {
      readonly flavor: 'mariadb';
      /** Per GTID domain, by seq difference (see mariaDbTransactionsBehind). */
      readonly perDomain: readonly { readonly domain: number; readonly count: number }[];
      readonly total: number;
    }
  | { readonly flavor: 'mysql'; readonly total: number };

/**
 * The reasons a replica may not be promoted; empty when it may. Needs: reachable, binary log
 * with log_slave_updates, GTID replication, no data filters, not a binlog server, and not
 * banned (promotion rule `must_not` or PromotionIgnoreHostnameFilters).
 */
export function candidateRefusals(o: ObservedInstance, settings: AnalysisSettings): string[] {
  const i = o.instance;
  const out: string[] = [];
  if (!isLastCheckValid(i)) out.push('unreachable');
  if (!i.binlog.logBin) out.push('binary log is off');
  else if (!i.binlog.logReplicaUpdates) out.push('log_slave_updates is off');
  if (i.gtid === undefined || i.replication === undefined || i.replication.gtidUse === 'no') {
    out.push('does not replicate with GTID');
  }
  if (i.replication !== undefined && hasDataFilters(i.replication.filters)) {
    out.push('has replication filters');
  }
  if (o.binlogServer === true) out.push('is a binlog server');
  if (isPromotionBanned(i.promotionRule)) out.push('promotion rule is must_not');
  if (hostMatchesAny(i.key.host, settings.promotionIgnoreHostnameFilters)) {
    out.push('matches PromotionIgnoreHostnameFilters');
  }
  return out;
}

/** A MariaDB position text of what the server has received, '' when unknown. */
function mariaDbReceived(i: Instance): string {
  if (i.gtid?.flavor !== 'mariadb') return '';
  const io = i.replication?.gtidIoPos ?? '';
  return io !== '' ? io : i.gtid.currentPos;
}

function mysqlReceived(i: Instance): MysqlGtidSet | undefined {
  if (i.gtid?.flavor !== 'mysql') return undefined;
  const executed = parseMysqlGtidSet(i.gtid.executed);
  const retrieved = i.replication?.retrievedGtidSet ?? '';
  return retrieved === '' ? executed : unionGtidSets(executed, parseMysqlGtidSet(retrieved));
}

/**
 * How many transactions `server` lacks that `ahead` has, from what each has received;
 * undefined when their GTID flavors differ or a position cannot be read.
 */
export function transactionGap(server: Instance, ahead: Instance): TransactionGap | undefined {
  try {
    if (server.gtid?.flavor === 'mariadb' && ahead.gtid?.flavor === 'mariadb') {
      const lags = mariaDbTransactionsBehind(
        parseMariaDbGtidPosition(mariaDbReceived(server)),
        parseMariaDbGtidPosition(mariaDbReceived(ahead)),
      );
      const perDomain = lags.map((l) => ({ domain: l.domain, count: Number(l.count) }));
      return { flavor: 'mariadb', perDomain, total: perDomain.reduce((n, d) => n + d.count, 0) };
    }
    const mine = mysqlReceived(server);
    const theirs = mysqlReceived(ahead);
    if (mine === undefined || theirs === undefined) return undefined;
    const missing = subtractGtidSets(theirs, mine);
    return { flavor: 'mysql', total: Number(countGtids(missing)) };
  } catch {
    return undefined;
  }
}

/**
 * Whether `replica` has something `candidate` lacks (then it cannot replicate from it without
 * losing or diverging): a higher seq, a diverged GTID or a domain the candidate lacks
 * (MariaDB), or GTIDs outside the candidate's set (MySQL). Undefined when unreadable.
 */
export function hasTransactionsBeyond(replica: Instance, candidate: Instance): boolean | undefined {
  try {
    if (replica.gtid?.flavor === 'mariadb' && candidate.gtid?.flavor === 'mariadb') {
      const cmp = compareMariaDbPositions(
        parseMariaDbGtidPosition(mariaDbReceived(replica)),
        parseMariaDbGtidPosition(mariaDbReceived(candidate)),
      );
      return cmp.some(
        (d) => d.relation !== 'equal' && d.relation !== 'behind' && d.relation !== 'only-in-b',
      );
    }
    const gap = transactionGap(candidate, replica);
    return gap === undefined ? undefined : gap.total > 0;
  } catch {
    return undefined;
  }
}

/** A candidate with its gap to the primary, for ranking. */
export interface RankedCandidate {
  readonly candidate: ObservedInstance;
  readonly gap: TransactionGap | undefined;
}

/**
 * Orders eligible candidates best first: fewest transactions behind the primary (unknown
 * gaps last), then the better promotion rule, then by key. The recovery planner refines this
 * with orchestrator's further tie-breaks (data center, version, binlog format).
 */
export function rankCandidates(ranked: readonly RankedCandidate[]): RankedCandidate[] {
  const total = (r: RankedCandidate) => r.gap?.total ?? Number.POSITIVE_INFINITY;
  return [...ranked].sort(
    (a, b) =>
      total(a) - total(b) ||
      comparePromotionRules(
        a.candidate.instance.promotionRule,
        b.candidate.instance.promotionRule,
      ) ||
      compareInstanceKeys(a.candidate.instance.key, b.candidate.instance.key),
  );
}
