import { compareInstanceKeys, type InstanceKey } from '../topology/index.js';
import { ANALYSIS, CODES_BY_PRIORITY } from './codes.js';
import { clauseText, rowEvidence, type Explanation, type RuleNotFired } from './explain.js';
import type { ClusterFacts, Row, RowFacts, RowRole } from './facts.js';
import { hostMatchesAny } from './filters.js';
import type { AnalysisSettings, AnalysisSnapshot } from './input.js';
import { isUnderMaintenance } from './records.js';
import { computeRows } from './rows.js';
import type {
  AnalysisCode,
  AnalysisSpec,
  EmergentOperation,
  RecoveryRecipe,
  RuleRole,
  StructureWarning,
} from './spec.js';
import { structureWarnings } from './warnings.js';

/** orchestrator's ReplicationAnalysisHints, plus its cluster argument. */
export interface AnalyzeOptions {
  /** Keep rows with no problem and no warning (orchestrator's IncludeNoProblem). */
  readonly includeNoProblem?: boolean;
  /** Keep rows skippable because of downtime (orchestrator's IncludeDowntimed). */
  readonly includeDowntimed?: boolean;
  /** Only rows of this cluster. */
  readonly clusterName?: string;
}

/**
 * The verdict on one analysed server (primary, co-primary, intermediate primary, or replica):
 * its code and warnings, what recovery and emergent operations the code asks for, how
 * downtime bears on it, and the explanation. `facts` are the counters the rules read.
 */
export interface Analysis {
  readonly key: InstanceKey;
  readonly sourceKey: InstanceKey | undefined;
  readonly cluster: ClusterFacts;
  readonly role: RowRole;
  readonly code: AnalysisCode;
  readonly description: string;
  readonly actionable: boolean;
  readonly recovery: RecoveryRecipe;
  readonly emergentOperations: readonly EmergentOperation[];
  readonly structureWarnings: readonly StructureWarning[];
  /** The server itself is downtimed. */
  readonly downtimed: boolean;
  /** Every replica is downtimed and the code concerns only the replicas. */
  readonly replicasDowntimed: boolean;
  /** Recovery skips it (orchestrator's SkippableDueToDowntime). */
  readonly skippableDueToDowntime: boolean;
  /** Its host matches ProblemIgnoreHostnameFilters: not shown among problems. */
  readonly hiddenFromProblems: boolean;
  readonly facts: RowFacts;
  readonly explanation: Explanation;
}

/** True when a rule of `role` is tried on the row. */
function roleMatches(role: RuleRole, f: RowFacts): boolean {
  if (role === 'any') return true;
  if (f.isGroupMember) return role === 'group-member';
  switch (role) {
    case 'primary':
      return f.isPrimary;
    case 'co-primary':
      return f.isCoPrimary;
    case 'intermediate-primary':
    case 'replica':
      return !f.isPrimary;
    case 'group-member':
      return false;
  }
}

/** Walks the registry by priority; the first rule whose clauses all hold wins. */
function evaluate(
  f: RowFacts,
  s: AnalysisSettings,
): { code: AnalysisCode; notFired: readonly RuleNotFired[] } {
  const notFired: RuleNotFired[] = [];
  for (const code of CODES_BY_PRIORITY) {
    const spec: AnalysisSpec = ANALYSIS[code];
    if (!roleMatches(spec.role, f)) continue;
    const unmet = spec.when.find((c) => !c.holds(f, s));
    if (unmet === undefined) return { code, notFired };
    notFired.push({ code, unmet: clauseText(unmet) });
  }
  return { code: 'NoProblem', notFired };
}

/**
 * orchestrator's ReduceReplicationAnalysisCount filter: a row is analysed only when something
 * could be wrong with it — it is unreachable, failing to connect, or has replicas.
 */
function mayHaveProblem(f: RowFacts): boolean {
  return (
    !f.lastCheckValid ||
    f.countReplicasFailingToConnect > 0 ||
    f.countValidReplicas < f.countReplicas ||
    f.countValidReplicatingReplicas < f.countReplicas ||
    f.isFailingToConnectToSource ||
    f.countReplicas > 0
  );
}

/** The full verdict on one row, before the output filters. */
export function analyzeRow(row: Row, snapshot: AnalysisSnapshot): Analysis {
  const f = row.facts;
  const s = snapshot.settings;
  const { code, notFired } = evaluate(f, s);
  const spec: AnalysisSpec = ANALYSIS[code];
  const replicasDowntimed = spec.aboutReplicas && f.countReplicas === f.countDowntimedReplicas;
  return {
    key: f.key,
    sourceKey: f.sourceKey,
    cluster: f.cluster,
    role: f.role,
    code,
    description: spec.description,
    actionable: spec.actionable,
    recovery: spec.recovery,
    emergentOperations: spec.emergent,
    structureWarnings: structureWarnings(f, s),
    downtimed: f.downtime.active,
    replicasDowntimed,
    skippableDueToDowntime: f.downtime.active || replicasDowntimed,
    hiddenFromProblems: hostMatchesAny(f.key.host, s.problemIgnoreHostnameFilters),
    facts: f,
    explanation: {
      code,
      conditions: spec.when.map(clauseText),
      notFired,
      evidence: rowEvidence(row, snapshot),
    },
  };
}

/** orchestrator's row order: primaries, then cluster primaries, then most replicas. */
function byImportance(a: Analysis, b: Analysis): number {
  const flag = (x: boolean) => (x ? 1 : 0);
  return (
    flag(b.facts.isPrimary) - flag(a.facts.isPrimary) ||
    flag(b.facts.isClusterPrimary) - flag(a.facts.isClusterPrimary) ||
    b.facts.countReplicas - a.facts.countReplicas ||
    compareInstanceKeys(a.key, b.key)
  );
}

/**
 * Analyses a snapshot the way orchestrator's GetReplicationAnalysis does: one row per server
 * not under maintenance (only rows that could have a problem when ReduceReplicationAnalysisCount
 * is set), each given the first matching code and its structure warnings; then rows with
 * nothing to say are dropped unless `includeNoProblem`, rows of hosts matching
 * RecoveryIgnoreHostnameFilters are removed, and rows skippable because of downtime are
 * dropped unless `includeDowntimed`. Pure and deterministic; called on every recovery tick
 * and by the API, on any node (only the leader acts on the result).
 */
export function analyze(snapshot: AnalysisSnapshot, options: AnalyzeOptions = {}): Analysis[] {
  const s = snapshot.settings;
  const out: Analysis[] = [];
  for (const row of computeRows(snapshot)) {
    const f = row.facts;
    if (isUnderMaintenance(snapshot, f.key)) continue;
    if (options.clusterName !== undefined && f.cluster.name !== options.clusterName) continue;
    if (s.reduceReplicationAnalysisCount && !mayHaveProblem(f)) continue;
    const a = analyzeRow(row, snapshot);
    const silent = a.code === 'NoProblem' && a.structureWarnings.length === 0;
    if (silent && options.includeNoProblem !== true) continue;
    if (hostMatchesAny(f.key.host, s.recoveryIgnoreHostnameFilters)) continue;
    if (a.skippableDueToDowntime && options.includeDowntimed !== true) continue;
    out.push(a);
  }
  return out.sort(byImportance);
}
