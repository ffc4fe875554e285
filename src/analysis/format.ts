import { formatInstanceKey, type InstanceKey } from '../topology/index.js';
import type { Analysis } from './analyze.js';

/**
 * orchestrator's compatibility shapes for analyses: the `replication-analysis` CLI line and
 * the JSON of `/api/replication-analysis` (go/inst/analysis.go ReplicationAnalysis). This is
 * the only place in analysis/ that speaks master/slave; field names and casing are
 * orchestrator's.
 */

/** orchestrator's InstanceKey JSON; a server with no source gets `{Hostname: '', Port: 0}`. */
export interface CompatInstanceKey {
  readonly Hostname: string;
  readonly Port: number;
}

export interface CompatClusterInfo {
  readonly ClusterName: string;
  readonly ClusterAlias: string;
  readonly ClusterDomain: string;
  readonly CountInstances: number;
  readonly HeuristicLag: number;
  readonly HasAutomatedMasterRecovery: boolean;
  readonly HasAutomatedIntermediateMasterRecovery: boolean;
}

export interface CompatBinlogCoordinates {
  readonly LogFile: string;
  readonly LogPos: number;
  /** 0 = binary log, 1 = relay log. */
  readonly Type: number;
}

/** One entry of `/api/replication-analysis`, field for field as orchestrator marshals it. */
export interface CompatReplicationAnalysis {
  readonly AnalyzedInstanceKey: CompatInstanceKey;
  readonly AnalyzedInstanceMasterKey: CompatInstanceKey;
  readonly ClusterDetails: CompatClusterInfo;
  readonly AnalyzedInstanceDataCenter: string;
  readonly AnalyzedInstanceRegion: string;
  readonly AnalyzedInstancePhysicalEnvironment: string;
  readonly AnalyzedInstanceBinlogCoordinates: CompatBinlogCoordinates;
  readonly IsMaster: boolean;
  readonly IsReplicationGroupMember: boolean;
  readonly IsCoMaster: boolean;
  readonly LastCheckValid: boolean;
  readonly LastCheckPartialSuccess: boolean;
  readonly CountReplicas: number;
  readonly CountValidReplicas: number;
  readonly CountValidReplicatingReplicas: number;
  readonly CountReplicasFailingToConnectToMaster: number;
  readonly CountDowntimedReplicas: number;
  readonly ReplicationDepth: number;
  readonly Replicas: readonly CompatInstanceKey[];
  readonly SlaveHosts: readonly CompatInstanceKey[];
  readonly IsFailingToConnectToMaster: boolean;
  readonly Analysis: string;
  readonly Description: string;
  /** `null` when empty, as Go marshals a nil slice. */
  readonly StructureAnalysis: readonly string[] | null;
  readonly IsDowntimed: boolean;
  readonly IsReplicasDowntimed: boolean;
  readonly DowntimeEndTimestamp: string;
  readonly DowntimeRemainingSeconds: number;
  readonly IsBinlogServer: boolean;
  readonly PseudoGTIDImmediateTopology: boolean;
  readonly OracleGTIDImmediateTopology: boolean;
  readonly MariaDBGTIDImmediateTopology: boolean;
  readonly BinlogServerImmediateTopology: boolean;
  readonly SemiSyncMasterEnabled: boolean;
  readonly SemiSyncMasterStatus: boolean;
  readonly SemiSyncMasterWaitForReplicaCount: number;
  readonly SemiSyncMasterClients: number;
  readonly CountSemiSyncReplicasEnabled: number;
  readonly CountLoggingReplicas: number;
  readonly CountStatementBasedLoggingReplicas: number;
  readonly CountMixedBasedLoggingReplicas: number;
  readonly CountRowBasedLoggingReplicas: number;
  readonly CountDistinctMajorVersionsLoggingReplicas: number;
  readonly CountDelayedReplicas: number;
  readonly CountLaggingReplicas: number;
  readonly IsActionableRecovery: boolean;
  readonly ProcessingNodeHostname: string;
  readonly ProcessingNodeToken: string;
  readonly CountAdditionalAgreeingNodes: number;
  readonly StartActivePeriod: string;
  readonly SkippableDueToDowntime: boolean;
  readonly GTIDMode: string;
  readonly MinReplicaGTIDMode: string;
  readonly MaxReplicaGTIDMode: string;
  readonly MaxReplicaGTIDErrant: string;
  readonly CommandHint: string;
  readonly IsReadOnly: boolean;
}

/** Which orc node produced the analysis (orchestrator's ProcessingNode* fields). */
export interface CompatContext {
  readonly now: number;
  readonly processingNodeHostname?: string;
  readonly processingNodeToken?: string;
}

/**
 * orchestrator's CLI line: `host:port (cluster <name>): <Code>[, <Warning>…]`. NoProblem
 * itself is not printed, so a row with only warnings lists just the warnings.
 */
export function formatAnalysisLine(a: Analysis): string {
  const parts = [...(a.code === 'NoProblem' ? [] : [a.code]), ...a.structureWarnings];
  return `${formatInstanceKey(a.key)} (cluster ${a.cluster.name}): ${parts.join(', ')}`;
}

function compatKey(key: InstanceKey | undefined): CompatInstanceKey {
  return key === undefined ? { Hostname: '', Port: 0 } : { Hostname: key.host, Port: key.port };
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, as a DATETIME column prints. */
function datetime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

function downtimeFields(a: Analysis, now: number) {
  const end = a.facts.downtime.endAt;
  return {
    IsDowntimed: a.downtimed,
    IsReplicasDowntimed: a.replicasDowntimed,
    DowntimeEndTimestamp: end === undefined ? '' : datetime(end),
    // orchestrator computes now − end (a negative number); orc reports the seconds left.
    DowntimeRemainingSeconds: end === undefined ? 0 : Math.max(0, Math.round((end - now) / 1000)),
  };
}

function countFields(a: Analysis) {
  const f = a.facts;
  return {
    CountReplicas: f.countReplicas,
    CountValidReplicas: f.countValidReplicas,
    CountValidReplicatingReplicas: f.countValidReplicatingReplicas,
    CountReplicasFailingToConnectToMaster: f.countReplicasFailingToConnect,
    CountDowntimedReplicas: f.countDowntimedReplicas,
  };
}

function loggingFields(a: Analysis) {
  const f = a.facts;
  return {
    CountLoggingReplicas: f.countLoggingReplicas,
    CountStatementBasedLoggingReplicas: f.countStatementLoggingReplicas,
    CountMixedBasedLoggingReplicas: f.countMixedLoggingReplicas,
    CountRowBasedLoggingReplicas: f.countRowLoggingReplicas,
    CountDistinctMajorVersionsLoggingReplicas: f.countDistinctLoggingMajorVersions,
    CountDelayedReplicas: f.countDelayedReplicas,
    CountLaggingReplicas: f.countLaggingReplicas,
  };
}

function topologyFields(a: Analysis) {
  const f = a.facts;
  return {
    IsBinlogServer: f.isBinlogServer,
    PseudoGTIDImmediateTopology: f.pseudoGtidImmediateTopology,
    OracleGTIDImmediateTopology: f.oracleGtidImmediateTopology,
    MariaDBGTIDImmediateTopology: f.mariaDbGtidImmediateTopology,
    BinlogServerImmediateTopology: f.binlogServerImmediateTopology,
    SemiSyncMasterEnabled: f.semiSync.enabled,
    SemiSyncMasterStatus: f.semiSync.active,
    SemiSyncMasterWaitForReplicaCount: f.semiSync.waitForReplicaCount,
    SemiSyncMasterClients: f.semiSync.clients,
    CountSemiSyncReplicasEnabled: f.countSemiSyncReplicasEnabled,
  };
}

function clusterInfo(a: Analysis): CompatClusterInfo {
  const c = a.cluster;
  return {
    ClusterName: c.name,
    ClusterAlias: c.alias,
    ClusterDomain: c.domain,
    CountInstances: c.countInstances,
    HeuristicLag: c.heuristicLagSeconds,
    HasAutomatedMasterRecovery: c.hasAutomatedPrimaryRecovery,
    HasAutomatedIntermediateMasterRecovery: c.hasAutomatedIntermediatePrimaryRecovery,
  };
}

/**
 * One analysis in orchestrator's JSON shape. Where orchestrator leaves a field at its zero
 * value in this API (ClusterDetails.CountInstances and HeuristicLag, IsActionableRecovery),
 * orc fills in the real value; fields about recovery bookkeeping (StartActivePeriod,
 * CountAdditionalAgreeingNodes, CommandHint) stay empty as in orchestrator.
 */
export function toCompatAnalysis(a: Analysis, ctx: CompatContext): CompatReplicationAnalysis {
  const f = a.facts;
  const replicas = f.replicaKeys.map(compatKey);
  const self = f.selfCoordinates;
  return {
    AnalyzedInstanceKey: compatKey(a.key),
    AnalyzedInstanceMasterKey: compatKey(a.sourceKey),
    ClusterDetails: clusterInfo(a),
    AnalyzedInstanceDataCenter: f.placement.dataCenter ?? '',
    AnalyzedInstanceRegion: f.placement.region ?? '',
    AnalyzedInstancePhysicalEnvironment: f.placement.environment ?? '',
    AnalyzedInstanceBinlogCoordinates: {
      LogFile: self?.file ?? '',
      LogPos: self?.pos ?? 0,
      Type: 0,
    },
    IsMaster: f.isPrimary,
    IsReplicationGroupMember: f.isGroupMember,
    IsCoMaster: f.isCoPrimary,
    LastCheckValid: f.lastCheckValid,
    LastCheckPartialSuccess: f.lastCheckPartialSuccess,
    ...countFields(a),
    ReplicationDepth: f.replicationDepth,
    Replicas: replicas,
    SlaveHosts: replicas,
    IsFailingToConnectToMaster: f.isFailingToConnectToSource,
    Analysis: a.code,
    Description: a.description,
    StructureAnalysis: a.structureWarnings.length === 0 ? null : [...a.structureWarnings],
    ...downtimeFields(a, ctx.now),
    ...topologyFields(a),
    ...loggingFields(a),
    IsActionableRecovery: a.actionable,
    ProcessingNodeHostname: ctx.processingNodeHostname ?? '',
    ProcessingNodeToken: ctx.processingNodeToken ?? '',
    CountAdditionalAgreeingNodes: 0,
    StartActivePeriod: '',
    SkippableDueToDowntime: a.skippableDueToDowntime,
    GTIDMode: f.gtidMode,
    MinReplicaGTIDMode: f.minReplicaGtidMode,
    MaxReplicaGTIDMode: f.maxReplicaGtidMode,
    MaxReplicaGTIDErrant: f.maxReplicaGtidErrant,
    CommandHint: '',
    IsReadOnly: f.readOnly,
  };
}
