import { canReplicateFrom, isLastCheckValid, type InstanceKey } from '../topology/index.js';
import {
  candidateRefusals,
  hasTransactionsBeyond,
  rankCandidates,
  transactionGap,
  type TransactionGap,
} from './candidates.js';
import type { AnalysisSnapshot, ObservedInstance } from './input.js';
import { computeRows } from './rows.js';

/** One direct replica of the primary, judged as a possible successor. */
export interface CandidateAssessment {
  readonly key: InstanceKey;
  readonly eligible: boolean;
  /** Why it may not be promoted; empty when eligible. */
  readonly refusals: readonly string[];
  /** What it lacks of the primary's last known position; undefined when unknown. */
  readonly behindPrimary: TransactionGap | undefined;
}

export interface LostReplica {
  readonly key: InstanceKey;
  readonly reason: string;
}

/**
 * "If this primary died now": `lossless` when the best candidate has received everything the
 * primary had at its last probe, `lossy` when it lacks transactions (`transactionsAtRisk`),
 * `no-candidate` when no replica may be promoted, `unknown` when positions cannot be compared.
 */
export type ReadinessVerdict = 'lossless' | 'lossy' | 'no-candidate' | 'unknown';

/** The failover-readiness summary of one primary (peers.md §4 item 13). */
export interface FailoverReadiness {
  readonly primary: InstanceKey;
  readonly clusterName: string;
  readonly verdict: ReadinessVerdict;
  readonly best: InstanceKey | undefined;
  readonly candidates: readonly CandidateAssessment[];
  /** Direct replicas that could not replicate from the best candidate, and why. */
  readonly lostReplicas: readonly LostReplica[];
  readonly transactionsAtRisk: TransactionGap | undefined;
}

function assess(
  r: ObservedInstance,
  primary: ObservedInstance,
  snapshot: AnalysisSnapshot,
): CandidateAssessment {
  const refusals = candidateRefusals(r, snapshot.settings);
  return {
    key: r.instance.key,
    eligible: refusals.length === 0,
    refusals,
    behindPrimary: transactionGap(r.instance, primary.instance),
  };
}

/** Why `r` could not follow `best` after a failover, or undefined when it could. */
function lossReason(r: ObservedInstance, best: ObservedInstance): string | undefined {
  const i = r.instance;
  if (!isLastCheckValid(i)) return 'unreachable: cannot be moved';
  if (i.replication === undefined || i.replication.gtidUse === 'no') {
    return 'replicates by binlog file:pos: cannot be moved once its primary is gone';
  }
  const version = canReplicateFrom(i.version, best.instance.version, { usingGtid: true });
  if (!version.ok) return version.reason;
  const beyond = hasTransactionsBeyond(i, best.instance);
  if (beyond === undefined) return 'GTID positions cannot be compared with the candidate';
  return beyond ? 'has transactions the candidate lacks' : undefined;
}

function readinessOf(
  primary: ObservedInstance,
  replicas: readonly ObservedInstance[],
  snapshot: AnalysisSnapshot,
): FailoverReadiness {
  const candidates = replicas.map((r) => assess(r, primary, snapshot));
  const eligible = replicas.filter((_, n) => candidates[n]?.eligible === true);
  const ranked = rankCandidates(
    eligible.map((c) => ({ candidate: c, gap: transactionGap(c.instance, primary.instance) })),
  );
  const top = ranked[0];
  const base = { primary: primary.instance.key, clusterName: primary.instance.cluster.name };
  if (top === undefined) {
    const lostReplicas = replicas.map((r) => ({ key: r.instance.key, reason: 'no candidate' }));
    return {
      ...base,
      verdict: 'no-candidate',
      best: undefined,
      candidates,
      lostReplicas,
      transactionsAtRisk: undefined,
    };
  }
  const best = top.candidate;
  const lostReplicas = replicas
    .filter((r) => r !== best)
    .flatMap((r) => {
      const reason = lossReason(r, best);
      return reason === undefined ? [] : [{ key: r.instance.key, reason }];
    });
  const gap = top.gap;
  const verdict = gap === undefined ? 'unknown' : gap.total === 0 ? 'lossless' : 'lossy';
  return {
    ...base,
    verdict,
    best: best.instance.key,
    candidates,
    lostReplicas,
    transactionsAtRisk: gap,
  };
}

/**
 * The failover-readiness summary of every primary with replicas in the snapshot: which direct
 * replicas could take over, the best one (fewest transactions behind, then promotion rule),
 * which replicas would be lost, and the transactions at risk. A dry run over data only: no
 * probe, no lock; the service may publish it as a metric or an alert on every poll.
 */
export function failoverReadiness(snapshot: AnalysisSnapshot): FailoverReadiness[] {
  return computeRows(snapshot)
    .filter((row) => row.facts.isPrimary && row.replicas.length > 0)
    .map((row) => readinessOf(row.subject, row.replicas, snapshot));
}
