import { toInstance, type ProbeResult } from '../mysql/index.js';
import {
  instanceKeysEqual,
  type Instance,
  type InstanceKey,
  type Placement,
  type PromotionRule,
  type ReplicationChannel,
} from '../topology/index.js';
import type { DiscoverySettings, PlacementPatterns } from './settings.js';

/**
 * Placement from host name patterns (`DataCenterPattern`, `RegionPattern`,
 * `PhysicalEnvironmentPattern`): the first capture group of each, when it matches. The
 * Detect*Query answers win over these (the assembly applies them on top).
 */
export function placementFromPatterns(host: string, patterns: PlacementPatterns): Placement {
  const group = (re: RegExp | undefined): string | undefined => {
    const m = re?.exec(host);
    return m?.[1] === undefined || m[1] === '' ? undefined : m[1];
  };
  return {
    dataCenter: group(patterns.dataCenter),
    region: group(patterns.region),
    environment: group(patterns.environment),
  };
}

/** The alias `ClusterNameToAlias` gives a cluster name: the first expression that matches. */
export function mappedClusterAlias(
  clusterName: string,
  map: DiscoverySettings['clusterNameToAlias'],
): string | undefined {
  return map.find((entry) => entry.pattern.test(clusterName))?.alias;
}

/**
 * The effective cluster alias, strongest first: a manual override, DetectClusterAliasQuery
 * (already in `alias` when it differs from the name), the ClusterNameToAlias map, the name.
 */
export function effectiveClusterAlias(options: {
  readonly name: string;
  readonly alias: string;
  readonly override: string | undefined;
  readonly map: DiscoverySettings['clusterNameToAlias'];
}): string {
  if (options.override !== undefined) return options.override;
  if (options.alias !== options.name) return options.alias;
  return mappedClusterAlias(options.name, options.map) ?? options.name;
}

/** What the assembly needs to know besides the probe. */
export interface AssemblyLookups {
  /** The stored record of a canonical key. */
  readonly recordOf: (key: InstanceKey) => Instance | undefined;
  /** The canonical key an address names (itself when not a known alias). */
  readonly canonicalOf: (key: InstanceKey) => InstanceKey;
  readonly promotionRule: PromotionRule | undefined;
  /** Manual cluster aliases by cluster name. */
  readonly aliasOverride: (clusterName: string) => string | undefined;
  readonly settings: Pick<DiscoverySettings, 'placement' | 'clusterNameToAlias'>;
}

/**
 * The Instance to store after `probe` of a canonical key (see `toInstance` for the rules).
 * Before assembling, addresses the server reports are translated to canonical keys: a
 * replica that reaches its source through a proxy, a DNS alias or a VIP hangs under the
 * source's canonical key — but only when the identity its connection reports
 * (Master_Server_Id, Master_UUID) does not contradict the record found there. Undefined
 * when nothing was ever read of the server.
 */
export function assembleInstance(
  probe: ProbeResult,
  previous: Instance | undefined,
  lookups: AssemblyLookups,
): Instance | undefined {
  const facts = probe.facts;
  const edge = (c: ReplicationChannel) => canonicalEdge(c, lookups);
  const translated: ProbeResult = {
    ...probe,
    facts: {
      ...facts,
      ...(facts.replication === undefined ? {} : { replication: edge(facts.replication) }),
      ...(facts.otherChannels === undefined
        ? {}
        : { otherChannels: facts.otherChannels.map(edge) }),
      ...(facts.replicas === undefined
        ? {}
        : { replicas: facts.replicas.map((r) => ({ ...r, key: lookups.canonicalOf(r.key) })) }),
    },
  } as ProbeResult;
  const sourceKey = translated.facts.replication?.sourceKey;
  const source = sourceKey === undefined ? undefined : lookups.recordOf(sourceKey);
  const instance = toInstance(translated, {
    previous,
    source,
    promotionRule: lookups.promotionRule,
    placement: placementFromPatterns(probe.key.host, lookups.settings.placement),
  });
  if (instance === undefined) return undefined;
  const { cluster } = instance;
  const alias = effectiveClusterAlias({
    name: cluster.name,
    alias: cluster.alias,
    override: lookups.aliasOverride(cluster.name),
    map: lookups.settings.clusterNameToAlias,
  });
  return alias === cluster.alias ? instance : { ...instance, cluster: { ...cluster, alias } };
}

/** The connection with its source address replaced by the canonical key, when consistent. */
function canonicalEdge(c: ReplicationChannel, lookups: AssemblyLookups): ReplicationChannel {
  const canonical = lookups.canonicalOf(c.sourceKey);
  if (instanceKeysEqual(canonical, c.sourceKey)) return c;
  const record = lookups.recordOf(canonical);
  if (record !== undefined && contradicts(c, record)) return c;
  return { ...c, sourceKey: canonical };
}

/** True when the identity a connection reports is not the record's server. */
export function contradicts(c: ReplicationChannel, record: Instance): boolean {
  if (c.sourceServerId !== undefined && c.sourceServerId !== record.serverId) return true;
  const uuid = record.serverUuid?.toLowerCase();
  return c.sourceUuid !== undefined && uuid !== undefined && c.sourceUuid.toLowerCase() !== uuid;
}
