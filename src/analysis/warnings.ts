import { is } from './clauses.js';
import type { RowFacts } from './facts.js';
import type { AnalysisSettings } from './input.js';
import { STRUCTURE_WARNINGS, type StructureWarning, type WarningSpec } from './spec.js';

/**
 * The registry of structure warnings: risks in how a topology is built that would hurt a
 * failover, reported after the main code whatever it is. Conditions as orchestrator's
 * analysis_dao.go; the order of STRUCTURE_WARNINGS is the order they are listed in.
 */
export const WARNINGS = {
  NoLoggingReplicasStructureWarning: {
    role: 'primary',
    when: [is.severalReplicas, is.noLoggingReplicas],
    description: 'No replica writes a binary log of what it replicates: none can be promoted',
  },
  NoFailoverSupportStructureWarning: {
    role: 'primary',
    when: [is.severalReplicas, is.noFailoverSupport],
    description: 'Replicas use binlog file:pos only; a dead primary cannot be failed over',
  },
  StatementAndMixedLoggingReplicasStructureWarning: {
    role: 'primary',
    when: [is.statementLogging, is.mixedLogging],
    description: 'Logging replicas mix STATEMENT and MIXED binlog formats',
  },
  StatementAndRowLoggingReplicasStructureWarning: {
    role: 'primary',
    when: [is.statementLogging, is.rowLogging],
    description: 'Logging replicas mix STATEMENT and ROW binlog formats',
  },
  MixedAndRowLoggingReplicasStructureWarning: {
    role: 'primary',
    when: [is.mixedLogging, is.rowLogging],
    description: 'Logging replicas mix MIXED and ROW binlog formats',
  },
  MultipleMajorVersionsLoggingReplicasStructureWarning: {
    role: 'primary',
    when: [is.severalMajorVersions],
    description: 'Logging replicas run different major versions',
  },
  DifferentGTIDModesStructureWarning: {
    role: 'any',
    when: [is.hasReplicas, is.differentGtidModes],
    description: 'Replicas run another gtid_mode than their source',
  },
  ErrantGTIDStructureWarning: {
    role: 'any',
    when: [is.errantReplica],
    description: 'A replica has transactions its source does not have (errant GTIDs)',
  },
  NoWriteableMasterStructureWarning: {
    role: 'primary',
    when: [is.readOnly],
    description: 'The primary is read_only',
  },
  NotEnoughValidSemiSyncReplicasStructureWarning: {
    role: 'primary',
    when: [is.semiSyncFellBack],
    description: 'Semi-sync fell back to asynchronous: not enough semi-sync replicas',
  },
} as const satisfies Record<StructureWarning, WarningSpec>;

/** The warnings that hold for a row, in orchestrator's order. */
export function structureWarnings(f: RowFacts, s: AnalysisSettings): readonly StructureWarning[] {
  return STRUCTURE_WARNINGS.filter((w) => {
    const spec: WarningSpec = WARNINGS[w];
    if (spec.role === 'primary' && !f.isPrimary) return false;
    return spec.when.every((c) => c.holds(f, s));
  });
}
