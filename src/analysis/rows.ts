import { binlogCoordinatesEqual, instanceKeyId, type Instance } from '../topology/index.js';
import { indexTopology, isCoPrimaryIn, type TopologyIndex } from './edges.js';
import {
  countReplicas,
  gtidModeOf,
  isRowCheckValid,
  type ClusterFacts,
  type DowntimeFacts,
  type ReplicaCounts,
  type Row,
  type RowFacts,
  type RowRole,
} from './facts.js';
import { clusterMatchesFilters } from './filters.js';
import type { AnalysisSnapshot, ObservedInstance } from './input.js';
import { isFailingToConnect } from './link.js';
import { binlogRecordsOf, downtimeOf } from './records.js';

interface ClusterStats {
  readonly countInstances: number;
  readonly maxLagSeconds: number;
}

function clusterStats(snapshot: AnalysisSnapshot): ReadonlyMap<string, ClusterStats> {
  const stats = new Map<string, ClusterStats>();
  for (const { instance: i } of snapshot.instances) {
    const s = stats.get(i.cluster.name) ?? { countInstances: 0, maxLagSeconds: 0 };
    stats.set(i.cluster.name, {
      countInstances: s.countInstances + 1,
      maxLagSeconds: Math.max(s.maxLagSeconds, i.replicationLagSeconds ?? 0),
    });
  }
  return stats;
}

function clusterFacts(
  i: Instance,
  stats: ReadonlyMap<string, ClusterStats>,
  snapshot: AnalysisSnapshot,
): ClusterFacts {
  const { name, alias } = i.cluster;
  const s = stats.get(name);
  const { recoverPrimaryClusterFilters, recoverIntermediatePrimaryClusterFilters } =
    snapshot.settings;
  return {
    name,
    alias: alias === '' ? name : alias,
    domain: i.cluster.domain ?? name,
    countInstances: s?.countInstances ?? 1,
    heuristicLagSeconds: s?.maxLagSeconds ?? 0,
    hasAutomatedPrimaryRecovery: clusterMatchesFilters(i.cluster, recoverPrimaryClusterFilters),
    hasAutomatedIntermediatePrimaryRecovery: clusterMatchesFilters(
      i.cluster,
      recoverIntermediatePrimaryClusterFilters,
    ),
  };
}

function downtimeFacts(i: Instance, snapshot: AnalysisSnapshot): DowntimeFacts {
  const d = downtimeOf(snapshot, i.key);
  return { active: d !== undefined, owner: d?.owner, reason: d?.reason, endAt: d?.endAt };
}

/**
 * orchestrator's stale-binlog test for LockedSemiSyncMaster: the position recorded for the
 * server equals its current one and was first seen longer ago than
 * ReasonableLockedSemiSyncMasterSeconds (or ReasonableReplicationLagSeconds when that is 0).
 */
function isBinlogStale(i: Instance, snapshot: AnalysisSnapshot): boolean {
  const own = i.binlog.selfCoordinates;
  if (own === undefined) return false;
  const { reasonableLockedSemiSyncPrimarySeconds: locked, reasonableReplicationLagSeconds } =
    snapshot.settings;
  const limitMs = (locked > 0 ? locked : reasonableReplicationLagSeconds) * 1000;
  return binlogRecordsOf(snapshot, i.key).some(
    (r) => binlogCoordinatesEqual(r.coordinates, own) && r.firstSeenAt < snapshot.now - limitMs,
  );
}

function roleOf(f: {
  isGroupMember: boolean;
  isCoPrimary: boolean;
  isPrimary: boolean;
  countReplicas: number;
}): RowRole {
  if (f.isGroupMember) return 'group-member';
  if (f.isCoPrimary) return 'co-primary';
  if (f.isPrimary) return 'primary';
  return f.countReplicas > 0 ? 'intermediate-primary' : 'replica';
}

function immediateTopologies(o: ObservedInstance, c: ReplicaCounts) {
  const all = (n: number) => c.countValidReplicas > 0 && n === c.countValidReplicas;
  return {
    oracleGtidImmediateTopology: all(c.countValidOracleGtidReplicas),
    mariaDbGtidImmediateTopology: all(c.countValidMariaDbGtidReplicas),
    binlogServerImmediateTopology: all(c.countValidBinlogServerReplicas),
    pseudoGtidImmediateTopology: o.pseudoGtid === true,
  };
}

function rowOf(
  o: ObservedInstance,
  index: TopologyIndex,
  stats: ReadonlyMap<string, ClusterStats>,
  snapshot: AnalysisSnapshot,
): Row {
  const i = o.instance;
  const id = instanceKeyId(i.key);
  const replicas = index.replicasOf(id);
  const counts = countReplicas(replicas, snapshot);
  const group = o.group !== undefined && o.group.groupName !== '' ? o.group : undefined;
  const isGroupMember = group !== undefined && group.memberState !== 'OFFLINE';
  const isPrimary =
    i.replication === undefined && (group === undefined || group.memberRole === 'PRIMARY');
  const isCoPrimary = isCoPrimaryIn(index, id);
  const lastCheckValid = isRowCheckValid(i.timing, snapshot.settings.instancePollSeconds);
  const semi = i.semiSync;
  const facts: RowFacts = {
    key: i.key,
    sourceKey: i.replication?.sourceKey,
    role: roleOf({ isGroupMember, isCoPrimary, isPrimary, countReplicas: counts.countReplicas }),
    cluster: clusterFacts(i, stats, snapshot),
    isPrimary,
    isCoPrimary,
    isGroupMember,
    isClusterPrimary: id === i.cluster.name,
    isBinlogServer: o.binlogServer === true,
    lastCheckValid,
    lastCheckPartialSuccess: i.timing.partialSuccess,
    probeError: lastCheckValid ? undefined : o.lastProbeError?.kind,
    replicationDepth: i.cluster.depth,
    isFailingToConnectToSource: isFailingToConnect(i.replication),
    downtime: downtimeFacts(i, snapshot),
    replicaKeys: replicas.map((r) => r.instance.key),
    ...counts,
    ...immediateTopologies(o, counts),
    semiSync: {
      enabled: semi?.sourceEnabled ?? false,
      active: semi?.sourceActive ?? false,
      waitForReplicaCount: semi?.sourceWaitForReplicaCount ?? 0,
      clients: semi?.sourceClients ?? 0,
    },
    staleBinlogCoordinates: isBinlogStale(i, snapshot),
    gtidMode: gtidModeOf(i),
    readOnly: i.readOnly,
    selfCoordinates: i.binlog.selfCoordinates,
    placement: i.placement,
  };
  return { facts, subject: o, replicas, sourceEdge: index.sourceOf(id) };
}

/**
 * One row per server of the snapshot, with orchestrator's counters computed over the replicas
 * found by identity (edges.ts). Maintenance, filters and downtime are applied by `analyze`,
 * not here, so that a recorded detection keeps every row's facts.
 */
export function computeRows(snapshot: AnalysisSnapshot): readonly Row[] {
  const index = indexTopology(snapshot.instances);
  const stats = clusterStats(snapshot);
  return snapshot.instances.map((o) => rowOf(o, index, stats, snapshot));
}
