/**
 * The reads behind the inventory API, shared by the compatibility routes and v2: instances
 * with their downtime, promotion rule and problems; cluster hints resolved the way
 * orchestrator's `FigureClusterName` does; cluster summaries; problem, downtimed and tagged
 * instances. Reads only; judged at the injected clock's now. In orc's vocabulary.
 */
import {
  clusterMatchesFilters,
  instanceProblems,
  problems,
  type AnalysisSettings,
  type AnalysisSnapshot,
} from '../../analysis/index.js';
import { OrcError } from '../../common/errors.js';
import type { Downtime, Tag } from '../../backend/index.js';
import {
  formatInstanceKey,
  instanceKeyId,
  isCandidateRule,
  isCoPrimary,
  isLastCheckValid,
  parseInstanceKey,
  type Instance,
  type InstanceKey,
} from '../../topology/index.js';
import type { InventoryDeps } from './inventory-deps.js';
import type { ClusterSummary, InstanceView, ViewTiming } from './inventory-view.js';

const MINUTE_MS = 60_000;

/** Read access to the inventory for one request or many; holds no state of its own. */
export class InventoryStore {
  constructor(private readonly deps: InventoryDeps) {}

  /** Now, and the poll interval freshness is judged against. */
  timing(): ViewTiming {
    return {
      now: this.deps.clock.now(),
      instancePollSeconds: this.deps.config.discovery.instancePollSeconds,
    };
  }

  /** The settings analysis would use, from the config. */
  analysisSettings(): AnalysisSettings {
    const { analysis, recovery, metadata, discovery } = this.deps.config;
    return {
      instancePollSeconds: discovery.instancePollSeconds,
      reasonableReplicationLagSeconds: analysis.reasonableReplicationLagSeconds,
      reasonableLockedSemiSyncPrimarySeconds: analysis.reasonableLockedSemiSyncPrimarySeconds,
      reduceReplicationAnalysisCount: analysis.reduceReplicationAnalysisCount,
      recoveryIgnoreHostnameFilters: recovery.ignoreHostnameFilters,
      problemIgnoreHostnameFilters: analysis.problemIgnoreHostnameFilters,
      promotionIgnoreHostnameFilters: metadata.promotionIgnoreHostnameFilters,
      recoverPrimaryClusterFilters: recovery.recoverPrimaryClusterFilters,
      recoverIntermediatePrimaryClusterFilters: recovery.recoverIntermediatePrimaryClusterFilters,
      recoverNonWriteablePrimary: recovery.recoverNonWriteablePrimary,
      enforceExactSemiSyncReplicas: recovery.enforceExactSemiSyncReplicas,
    };
  }

  /** The stored instance at `key` (after alias resolution, when discovery offers it). */
  async instance(key: InstanceKey): Promise<Instance | undefined> {
    return this.deps.backend.instances.get(await this.resolveKey(key));
  }

  /** As `instance`, throwing INSTANCE_NOT_FOUND when orc does not know the key. */
  async requireInstance(key: InstanceKey): Promise<Instance> {
    const found = await this.instance(key);
    if (found !== undefined) return found;
    const shown = formatInstanceKey(key);
    throw new OrcError(
      'INSTANCE_NOT_FOUND',
      `cannot read instance ${shown}: orc does not know it`,
      {
        context: { instance: shown },
      },
    );
  }

  /** `key` as orc stores it: discovery's alias resolution when it offers one. */
  async resolveKey(key: InstanceKey): Promise<InstanceKey> {
    const { discovery } = this.deps;
    return discovery.resolveAlias === undefined ? key : discovery.resolveAlias(key);
  }

  /** Views of `instances`, in their order, judged now. */
  async views(instances: readonly Instance[]): Promise<InstanceView[]> {
    if (instances.length === 0) return [];
    const { now } = this.timing();
    const { backend } = this.deps;
    const [downtimes, candidates] = await Promise.all([
      backend.downtime.listActive(now),
      backend.candidates.list(),
    ]);
    const downtimeById = new Map(downtimes.map((d) => [instanceKeyId(d.key), d]));
    const maxAge = this.deps.config.metadata.candidateInstanceExpireMinutes * MINUTE_MS;
    const ruleById = new Map(
      candidates
        .filter((c) => now - c.suggestedAt <= maxAge)
        .map((c) => [instanceKeyId(c.key), c.promotionRule]),
    );
    const byId = await this.withSources(instances);
    const settings = this.analysisSettings();
    return instances.map((instance) => {
      const id = instanceKeyId(instance.key);
      const registered = ruleById.get(id);
      return {
        instance,
        downtime: downtimeById.get(id),
        promotionRule: registered ?? instance.promotionRule,
        isCandidate: registered !== undefined && isCandidateRule(registered),
        problems: instanceProblems({ instance }, now, settings),
        isCoPrimary: isCoPrimary(instance, byId),
      };
    });
  }

  /** The view of one instance. */
  async view(instance: Instance): Promise<InstanceView> {
    const [view] = await this.views([instance]);
    if (view === undefined) throw new OrcError('INTERNAL', 'cannot build an instance view');
    return view;
  }

  /** `instances` by key id, plus the sources they name that are not among them. */
  private async withSources(instances: readonly Instance[]): Promise<Map<string, Instance>> {
    const byId = new Map(instances.map((i) => [instanceKeyId(i.key), i]));
    const missing = instances
      .map((i) => i.replication?.sourceKey)
      .filter((k): k is InstanceKey => k !== undefined && !byId.has(instanceKeyId(k)));
    for (const key of missing) {
      const source = await this.deps.backend.instances.get(key);
      if (source !== undefined) byId.set(instanceKeyId(key), source);
    }
    return byId;
  }

  /**
   * The cluster a hint names, tried in orchestrator's order: an exact cluster name, an alias,
   * then the address (`host:port` or `host`) of a known member. Throws CLUSTER_NOT_FOUND.
   */
  async resolveCluster(hint: string): Promise<string> {
    const text = hint.trim();
    if (text !== '') {
      if ((await this.deps.backend.instances.byCluster(text)).length > 0) return text;
      const byAlias = await this.findClusterByAlias(text);
      if (byAlias !== undefined) return byAlias;
      const member = await this.memberAt(text);
      if (member !== undefined) return member.cluster.name;
    }
    throw clusterNotFound(hint);
  }

  /** The cluster whose alias is `alias`; throws CLUSTER_NOT_FOUND. */
  async clusterByAlias(alias: string): Promise<string> {
    const found = await this.findClusterByAlias(alias);
    if (found === undefined) throw clusterNotFound(alias);
    return found;
  }

  private async findClusterByAlias(alias: string): Promise<string | undefined> {
    const stored = await this.deps.backend.clusters.clusterOfAlias(alias);
    if (stored !== undefined) return stored;
    const summaries = await this.clusterSummaries();
    return summaries.find((s) => s.alias === alias)?.name;
  }

  private async memberAt(text: string): Promise<Instance | undefined> {
    let key: InstanceKey;
    try {
      key = parseInstanceKey(text, this.deps.config.topology.defaultInstancePort);
    } catch {
      return undefined;
    }
    return this.instance(key);
  }

  /** Every cluster name, sorted. */
  async clusterNames(): Promise<string[]> {
    const all = await this.deps.backend.instances.all();
    return [...new Set(all.map((i) => i.cluster.name))].sort();
  }

  /** Every cluster's summary, by name. */
  async clusterSummaries(): Promise<ClusterSummary[]> {
    const all = await this.deps.backend.instances.all();
    const members = new Map<string, Instance[]>();
    for (const i of all) members.set(i.cluster.name, [...(members.get(i.cluster.name) ?? []), i]);
    const names = [...members.keys()].sort();
    return Promise.all(names.map((n) => this.summarize(n, members.get(n) ?? [])));
  }

  /** One cluster's summary (CLUSTER_NOT_FOUND when it has no instances). */
  async clusterSummary(name: string): Promise<ClusterSummary> {
    const members = await this.deps.backend.instances.byCluster(name);
    if (members.length === 0) throw clusterNotFound(name);
    return this.summarize(name, members);
  }

  private async summarize(name: string, members: readonly Instance[]): Promise<ClusterSummary> {
    const primary = primaryOf(members);
    const alias = await this.aliasOf(name, primary);
    const stored = await this.deps.backend.clusters.domainOf(name);
    const lags = members
      .filter((i) => i.replication !== undefined && isLastCheckValid(i))
      .map((i) => i.replicationLagSeconds ?? 0);
    const { recovery } = this.deps.config;
    const cluster = { name, alias };
    return {
      name,
      alias,
      domain: stored?.domain ?? primary?.cluster.domain ?? '',
      instanceCount: members.length,
      heuristicLagSeconds: Math.max(0, ...lags),
      automatedPrimaryRecovery: clusterMatchesFilters(
        cluster,
        recovery.recoverPrimaryClusterFilters,
      ),
      automatedIntermediatePrimaryRecovery: clusterMatchesFilters(
        cluster,
        recovery.recoverIntermediatePrimaryClusterFilters,
      ),
    };
  }

  /** Override, detected alias, the primary's own alias, a ClusterNameToAlias match, the name. */
  private async aliasOf(name: string, primary: Instance | undefined): Promise<string> {
    const stored = await this.deps.backend.clusters.aliasOf(name);
    if (stored.source !== 'name') return stored.alias;
    const probed = primary?.cluster.alias;
    if (probed !== undefined && probed !== '' && probed !== name) return probed;
    for (const [pattern, alias] of Object.entries(this.deps.config.metadata.clusterNameToAlias)) {
      if (pattern !== '' && alias !== '' && safeTest(pattern, name)) return alias;
    }
    return name;
  }

  /** The cluster's primaries (depth 0), writable ones first. */
  async primariesOf(clusterName: string): Promise<Instance[]> {
    const members = await this.deps.backend.instances.byCluster(clusterName);
    return sortWritableFirst(members.filter((i) => i.cluster.depth === 0));
  }

  /**
   * orchestrator's problem instances: not downtimed, not matching ProblemIgnoreHostnameFilters,
   * with at least one problem; optionally of one cluster. In key order.
   */
  async problemInstances(clusterName?: string): Promise<Instance[]> {
    const { now } = this.timing();
    const all = await this.deps.backend.instances.all();
    const downtimes = await this.deps.backend.downtime.listActive(now);
    const snapshot: AnalysisSnapshot = {
      now,
      instances: all.map((instance) => ({ instance })),
      downtimes: downtimes.map(downtimeRecord),
      maintenances: [],
      binlogPositionRecords: [],
      settings: this.analysisSettings(),
    };
    const ids = new Set(problems(snapshot, clusterName).map((p) => instanceKeyId(p.key)));
    return all.filter((i) => ids.has(instanceKeyId(i.key)));
  }

  /** Instances with an active downtime, optionally of one cluster, in key order. */
  async downtimedInstances(clusterName?: string): Promise<Instance[]> {
    const { backend } = this.deps;
    const downtimes = await backend.downtime.listActive(this.timing().now);
    const found = await Promise.all(downtimes.map((d) => backend.instances.get(d.key)));
    return found.filter(
      (i): i is Instance =>
        i !== undefined && (clusterName === undefined || i.cluster.name === clusterName),
    );
  }

  /** The tags of every key in `keys`, by key id (keys without tags map to []). */
  async tagsOf(keys: readonly InstanceKey[]): Promise<Map<string, Tag[]>> {
    const tags = await Promise.all(keys.map((k) => this.deps.backend.tags.get(k)));
    return new Map(keys.map((k, n) => [instanceKeyId(k), tags[n] ?? []]));
  }
}

/** CLUSTER_NOT_FOUND quoting the hint. */
export function clusterNotFound(hint: string): OrcError {
  return new OrcError(
    'CLUSTER_NOT_FOUND',
    `cannot find cluster "${hint}": no cluster has that name or alias, and no known instance ` +
      'has that address',
    { context: { cluster: hint } },
  );
}

/** Writable servers first, then by key (the input's order). */
export function sortWritableFirst(instances: readonly Instance[]): Instance[] {
  return [...instances].sort((a, b) => Number(a.readOnly) - Number(b.readOnly));
}

function primaryOf(members: readonly Instance[]): Instance | undefined {
  return sortWritableFirst(members.filter((i) => i.cluster.depth === 0))[0];
}

function downtimeRecord(d: Downtime) {
  return { key: d.key, owner: d.owner, reason: d.reason, beginAt: d.beginsAt, endAt: d.endsAt };
}

function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}
