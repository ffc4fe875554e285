import {
  DEFAULT_PROMOTION_RULE,
  errantGtids,
  instanceKeyId,
  instanceKeysEqual,
  type ClusterMembership,
  type Instance,
  type InstanceKey,
  type Placement,
  type ProbeErrorKind,
  type ProbeTiming,
  type PromotionRule,
  type ReadTimes,
} from '../topology/index.js';
import { probeErrorKind } from './errors.js';
import { vocabularyFor } from './flavor.js';
import type { ProbeResult, ServerFacts } from './probe-result.js';

/**
 * Builds the Instance the backend stores from one probe plus what only the backend knows:
 * the server's previous record, the record of the server its topology connection points at
 * (its source), and registered settings. Pure; discovery calls it once per probe.
 */
export interface AssemblyContext {
  /** The stored record of this server from earlier probes; undefined for a new one. */
  readonly previous?: Instance | undefined;
  /**
   * The stored record of the server at this server's topology connection's address. Used only
   * when the identity the connection reports (Master_Server_Id, Master_UUID) matches it.
   */
  readonly source?: Instance | undefined;
  /** The rule registered for this server (register-candidate); DetectPromotionRuleQuery wins. */
  readonly promotionRule?: PromotionRule | undefined;
  /** Placement from hostname patterns; the Detect*Query answers win. */
  readonly placement?: Placement | undefined;
  /** A manual cluster alias (set-cluster-alias); wins over everything. */
  readonly clusterAliasOverride?: string | undefined;
}

/**
 * The Instance after `probe`:
 * - ok: every fact is the probe's; lastSeenAt = checkedAt.
 * - partial or failed: facts the probe did read replace the previous record's, the rest stay
 *   as they were; lastSeenAt does not move, so the check is invalid (lastCheckedAt >
 *   lastSeenAt). Undefined when nothing was ever read of this server (failed, no previous).
 * Cluster name, alias, domain, depth and ancestry follow the source (orchestrator's rules:
 * name of the source's cluster, depth + 1; a server with no known source heads its own
 * cluster); errant GTIDs are computed against the source (topology/errant.ts).
 */
export function toInstance(
  probe: ProbeResult,
  context: AssemblyContext = {},
): Instance | undefined {
  const previous = context.previous;
  const read = probe.facts;
  const base = previous ? factsOf(previous) : read.identity && defaultFacts(read.identity);
  if (base === undefined) return undefined;
  const facts: ServerFacts = { ...base, ...read };

  const source = confirmedSource(facts, context.source);
  const cluster = membership(probe.key, facts, source, context);
  const errant = source === undefined ? '' : errantAgainst(probe.key, facts, source, cluster);
  const { identity, metadata } = facts;
  return {
    key: probe.key,
    serverId: identity.serverId,
    serverUuid: identity.serverUuid,
    hostname: identity.hostname,
    reportHost: identity.reportHost,
    reportPort: identity.reportPort,
    alias: metadata.alias,
    version: identity.version,
    versionComment: identity.versionComment,
    uptimeSeconds: facts.uptimeSeconds,
    readOnly: identity.readOnly,
    superReadOnly: identity.superReadOnly,
    binlog: facts.binlog,
    gtid: facts.gtid,
    gtidErrant: errant,
    replication: facts.replication,
    otherChannels: facts.otherChannels,
    replicationLagSeconds: facts.replicationLagSeconds,
    semiSync: facts.semiSync,
    replicas: facts.replicas.map((r) => r.key),
    placement: {
      dataCenter: metadata.dataCenter ?? context.placement?.dataCenter,
      region: metadata.region ?? context.placement?.region,
      environment: metadata.environment ?? context.placement?.environment,
    },
    promotionRule: metadata.promotionRule ?? context.promotionRule ?? DEFAULT_PROMOTION_RULE,
    cluster,
    timing: timingAfter(probe, previous),
  };
}

function errantAgainst(
  key: InstanceKey,
  facts: ServerFacts,
  source: Instance,
  cluster: ClusterMembership,
): string {
  return errantGtids({
    replica: {
      serverId: facts.identity.serverId,
      serverUuid: facts.identity.serverUuid,
      gtid: facts.gtid,
      replication: facts.replication,
      otherChannels: facts.otherChannels,
    },
    source,
    ancestryUuids: cluster.ancestryUuids,
    ancestryServerIds: cluster.ancestryServerIds,
    isCoPrimary: isLoop(key, source),
  }).text;
}

/** orchestrator's bookkeeping: a failed check moves lastCheckedAt but not lastSeenAt. */
function timingAfter(probe: ProbeResult, previous: Instance | undefined): ProbeTiming {
  return {
    lastAttemptedAt: probe.attemptedAt,
    lastCheckedAt: probe.checkedAt,
    lastSeenAt: probe.outcome === 'ok' ? probe.checkedAt : previous?.timing.lastSeenAt,
    partialSuccess: probe.outcome !== 'failed',
    probeDurationMs: probe.durationMs,
    readAt: mergeReadTimes(probe.readAt, previous?.timing.readAt),
  };
}

/** The probe-shaped facts of a stored record: what a partial probe falls back on. */
function factsOf(i: Instance): ServerFacts {
  return {
    identity: {
      serverId: i.serverId,
      serverUuid: i.serverUuid,
      hostname: i.hostname,
      reportHost: i.reportHost,
      reportPort: i.reportPort,
      version: i.version,
      versionComment: i.versionComment,
      readOnly: i.readOnly,
      superReadOnly: i.superReadOnly,
    },
    vocabulary: vocabularyFor(i.version).id,
    binlog: i.binlog,
    gtid: i.gtid,
    uptimeSeconds: i.uptimeSeconds,
    semiSync: i.semiSync,
    replication: i.replication,
    otherChannels: i.otherChannels,
    replicationLagSeconds: i.replicationLagSeconds,
    replicas: i.replicas.map((key) => ({
      key,
      serverId: undefined,
      serverUuid: undefined,
      via: 'replica-hosts' as const,
    })),
    metadata: {
      dataCenter: i.placement.dataCenter,
      region: i.placement.region,
      environment: i.placement.environment,
      alias: i.alias,
      promotionRule: undefined,
      semiSyncPriority: undefined,
      clusterAlias: undefined,
      clusterDomain: undefined,
    },
  };
}

/** Facts for parts a first, partial probe could not read: "nothing known". */
function defaultFacts(identity: ServerFacts['identity']): ServerFacts {
  return {
    identity,
    vocabulary: vocabularyFor(identity.version).id,
    binlog: {
      logBin: false,
      logReplicaUpdates: false,
      format: undefined,
      rowImage: undefined,
      selfCoordinates: undefined,
    },
    gtid: undefined,
    uptimeSeconds: undefined,
    semiSync: undefined,
    replication: undefined,
    otherChannels: [],
    replicationLagSeconds: undefined,
    replicas: [],
    metadata: {
      dataCenter: undefined,
      region: undefined,
      environment: undefined,
      alias: undefined,
      promotionRule: undefined,
      semiSyncPriority: undefined,
      clusterAlias: undefined,
      clusterDomain: undefined,
    },
  };
}

/** The source record when the connection's reported identity does not contradict it. */
function confirmedSource(facts: ServerFacts, source: Instance | undefined): Instance | undefined {
  const edge = facts.replication;
  if (edge === undefined || source === undefined) return undefined;
  if (!instanceKeysEqual(edge.sourceKey, source.key)) return undefined;
  if (edge.sourceServerId !== undefined && edge.sourceServerId !== source.serverId) {
    return undefined;
  }
  const uuid = source.serverUuid?.toLowerCase();
  if (edge.sourceUuid !== undefined && uuid !== undefined && edge.sourceUuid !== uuid) {
    return undefined;
  }
  return source;
}

/** True when the source replicates from the server at `key` (co-primaries). */
function isLoop(key: InstanceKey, source: Instance): boolean {
  return source.replication !== undefined && instanceKeysEqual(source.replication.sourceKey, key);
}

function membership(
  key: InstanceKey,
  facts: ServerFacts,
  source: Instance | undefined,
  context: AssemblyContext,
): ClusterMembership {
  const own = instanceKeyId(key);
  const override = context.clusterAliasOverride;
  if (source === undefined) {
    const top = facts.replication === undefined;
    return {
      name: own,
      alias: override ?? (top ? facts.metadata.clusterAlias : undefined) ?? own,
      domain: top ? facts.metadata.clusterDomain : undefined,
      depth: 0,
      ancestryUuids: [],
      ancestryServerIds: [],
    };
  }
  const up = {
    uuids: source.serverUuid === undefined ? [] : [source.serverUuid],
    ids: [source.serverId],
  };
  if (isLoop(key, source)) {
    const other = instanceKeyId(source.key);
    const name = own < other ? own : other;
    const inherited = source.cluster.name === name ? source.cluster.alias : name;
    return {
      name,
      alias: override ?? inherited,
      domain: source.cluster.domain,
      depth: name === own ? 0 : 1,
      ancestryUuids: up.uuids,
      ancestryServerIds: up.ids,
    };
  }
  return {
    name: source.cluster.name,
    alias: override ?? source.cluster.alias,
    domain: source.cluster.domain,
    depth: source.cluster.depth + 1,
    ancestryUuids: [...up.uuids, ...source.cluster.ancestryUuids],
    ancestryServerIds: [...up.ids, ...source.cluster.ancestryServerIds],
  };
}

function mergeReadTimes(fresh: ReadTimes, old: ReadTimes | undefined): ReadTimes {
  return {
    variables: fresh.variables ?? old?.variables,
    binlogStatus: fresh.binlogStatus ?? old?.binlogStatus,
    replicaStatus: fresh.replicaStatus ?? old?.replicaStatus,
    replicas: fresh.replicas ?? old?.replicas,
  };
}

/**
 * Why the probe failed, as failure analysis reads it (its `ObservedInstance.lastProbeError`):
 * the kind (topology/probe-error.ts), the server's or driver's words, and when. Undefined for
 * a successful probe.
 */
export function probeFailure(
  probe: ProbeResult,
): { readonly kind: ProbeErrorKind; readonly message: string; readonly at: number } | undefined {
  if (probe.outcome === 'ok') return undefined;
  return { kind: probeErrorKind(probe.error), message: probe.error.message, at: probe.checkedAt };
}
