import type { RefusalKind } from '../topology/index.js';
import type { RowFacts } from './facts.js';
import type { AnalysisSettings } from './input.js';

/**
 * One named condition of a rule. A rule fires when all its clauses hold; an explanation names
 * the first clause that did not. `orc` marks a clause orchestrator does not have.
 */
export interface Clause {
  readonly text: string;
  readonly holds: (f: RowFacts, s: AnalysisSettings) => boolean;
  readonly orc?: true;
}

function clause(text: string, holds: Clause['holds']): Clause {
  return { text, holds };
}

function orcClause(text: string, holds: Clause['holds']): Clause {
  return { text, holds, orc: true };
}

function refusing(kind: RefusalKind, words: string): Clause {
  return orcClause(
    `its last probe was refused with "${words}" (it is up)`,
    (f) => !f.lastCheckValid && f.probeError === kind,
  );
}

/**
 * orc's evidence that a source is down: at least one reachable replica's IO thread fails to
 * connect to it, and no reachable replica's IO thread is connected to it. orchestrator needs
 * only "no replica is replicating", which a replica stopped for a backup also satisfies.
 */
function hasDownEvidence(f: RowFacts): boolean {
  return f.countReplicasReportingSourceDown > 0 && f.countReplicasIoConnected === 0;
}

/** The vocabulary the rules are written in (registry.ts, warnings.ts). */
export const is = {
  unreachable: clause('its last check failed', (f) => !f.lastCheckValid),
  reachable: clause('its last check succeeded', (f) => f.lastCheckValid),
  tooManyConnections: refusing('too-many-connections', 'too many connections'),
  accessDenied: refusing('access-denied', 'access denied'),
  hostBlocked: refusing('host-blocked', 'host blocked'),
  noPartialSuccess: clause(
    'its last probe failed at the first query',
    (f) => !f.lastCheckPartialSuccess,
  ),
  quietOrFailingReplica: clause(
    'its last probe failed at the first query, or some replica is failing to connect to it',
    (f) => !f.lastCheckPartialSuccess || f.countReplicasFailingToConnect > 0,
  ),
  noReplicas: clause('it has no replicas', (f) => f.countReplicas === 0),
  hasReplicas: clause('it has replicas', (f) => f.countReplicas > 0),
  oneReplica: clause('it has exactly one replica', (f) => f.countReplicas === 1),
  severalReplicas: clause('it has more than one replica', (f) => f.countReplicas > 1),
  allReplicasReachable: clause(
    'every replica is reachable',
    (f) => f.countValidReplicas === f.countReplicas,
  ),
  someReplicasUnreachable: clause(
    'some replicas are unreachable',
    (f) => f.countValidReplicas < f.countReplicas,
  ),
  someReplicaReachable: clause('some replica is reachable', (f) => f.countValidReplicas > 0),
  noReplicaReachable: clause('no replica is reachable', (f) => f.countValidReplicas === 0),
  noneReplicating: clause(
    'no reachable replica is replicating',
    (f) => f.countValidReplicatingReplicas === 0,
  ),
  someReplicating: clause(
    'some reachable replica is replicating',
    (f) => f.countValidReplicatingReplicas > 0,
  ),
  allLagging: clause(
    'every replica lags more than ReasonableReplicationLagSeconds',
    (f) => f.countLaggingReplicas === f.countReplicas,
  ),
  notAllDelayed: clause(
    'not every replica is deliberately delayed',
    (f) => f.countDelayedReplicas < f.countReplicas,
  ),
  someFailingToConnect: clause(
    'some replica is failing to connect to it',
    (f) => f.countReplicasFailingToConnect > 0,
  ),
  allFailingToConnect: clause(
    'every replica is failing to connect to it',
    (f) => f.countReplicasFailingToConnect === f.countReplicas,
  ),
  reachableAllFailingToConnect: clause(
    'every reachable replica is failing to connect to it',
    (f) => f.countReplicasFailingToConnect === f.countValidReplicas,
  ),
  downEvidence: orcClause(
    'a reachable replica fails to connect to it and none is connected (evidence it is down)',
    hasDownEvidence,
  ),
  noDownEvidence: orcClause(
    'no reachable replica shows it down (none fails to connect, or one is still connected)',
    (f) => !hasDownEvidence(f),
  ),
  semiSyncWaiting: clause(
    'semi-sync is enabled and on, waiting for more acknowledgements than it has clients',
    (f) =>
      f.semiSync.enabled &&
      f.semiSync.active &&
      f.semiSync.waitForReplicaCount > 0 &&
      f.semiSync.clients < f.semiSync.waitForReplicaCount,
  ),
  semiSyncFellBack: clause(
    'semi-sync is enabled but off (fell back to async) with fewer clients than its wait count',
    (f) =>
      f.semiSync.enabled &&
      !f.semiSync.active &&
      f.semiSync.waitForReplicaCount > 0 &&
      f.semiSync.clients < f.semiSync.waitForReplicaCount,
  ),
  semiSyncOverfull: clause(
    'semi-sync is on with more clients than its wait count',
    (f) =>
      f.semiSync.enabled &&
      f.semiSync.active &&
      f.semiSync.waitForReplicaCount > 0 &&
      f.semiSync.clients > f.semiSync.waitForReplicaCount,
  ),
  binlogStale: clause(
    'its binlog position has not moved for ReasonableLockedSemiSyncMasterSeconds',
    (f) => f.staleBinlogCoordinates,
  ),
  binlogNotStale: clause(
    'its binlog position has not been seen stuck for long enough yet',
    (f) => !f.staleBinlogCoordinates,
  ),
  enforceExactSemiSync: clause(
    'EnforceExactSemiSyncReplicas is set',
    (_f, s) => s.enforceExactSemiSyncReplicas,
  ),
  recoverNonWriteable: clause(
    'RecoverNonWriteableMaster is set',
    (_f, s) => s.recoverNonWriteablePrimary,
  ),
  readOnly: clause('it is read_only', (f) => f.readOnly),
  binlogServer: clause('it is a binlog server', (f) => f.isBinlogServer),
  firstTier: clause(
    'it replicates directly from the topology primary',
    (f) => f.replicationDepth === 1,
  ),
  failingToConnectToSource: clause(
    'it is failing to connect to its own source',
    (f) => f.isFailingToConnectToSource,
  ),
  noLoggingReplicas: clause(
    'no replica has log_bin and log_slave_updates',
    (f) => f.countLoggingReplicas === 0,
  ),
  noFailoverSupport: clause(
    'its replicas use neither GTID, MariaDB GTID, binlog servers nor Pseudo-GTID',
    (f) =>
      !f.oracleGtidImmediateTopology &&
      !f.mariaDbGtidImmediateTopology &&
      !f.binlogServerImmediateTopology &&
      !f.pseudoGtidImmediateTopology,
  ),
  statementLogging: clause(
    'some logging replica uses STATEMENT',
    (f) => f.countStatementLoggingReplicas > 0,
  ),
  mixedLogging: clause('some logging replica uses MIXED', (f) => f.countMixedLoggingReplicas > 0),
  rowLogging: clause('some logging replica uses ROW', (f) => f.countRowLoggingReplicas > 0),
  severalMajorVersions: clause(
    'its logging replicas run more than one major version',
    (f) => f.countDistinctLoggingMajorVersions > 1,
  ),
  differentGtidModes: clause(
    'a replica has another gtid_mode than it',
    (f) => f.gtidMode !== f.minReplicaGtidMode || f.gtidMode !== f.maxReplicaGtidMode,
  ),
  errantReplica: clause(
    'a replica not downtimed has errant GTIDs',
    (f) => f.maxReplicaGtidErrant !== '',
  ),
  always: clause('nothing else matched', () => true),
} as const satisfies Record<string, Clause>;
