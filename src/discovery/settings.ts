import { OrcError } from '../common/errors.js';
import type { Config } from '../config/index.js';
import { parseInstanceKey, type InstanceKey } from '../topology/index.js';

/** How discovery turns names into keys (`HostnameResolveMethod`). */
export type HostnameResolveMethod = 'default' | 'none' | 'cname' | 'ip';

/** Which name a server gives for itself is its preferred key (`MySQLHostnameResolveMethod`). */
export type ServerNameMethod = '@@hostname' | '@@report_host' | 'none';

/** Regular expressions on `host:port` that keep servers out of discovery. */
export interface DiscoveryFilterSettings {
  /** `DiscoveryIgnoreHostnameFilters`: never discovered, from anywhere. */
  readonly ignore: readonly RegExp[];
  /** `DiscoveryIgnoreReplicaHostnameFilters`: not followed down from their source. */
  readonly ignoreReplica: readonly RegExp[];
  /** `DiscoveryIgnoreMasterHostnameFilters`: not followed up from their replicas. */
  readonly ignorePrimary: readonly RegExp[];
}

/** Hostname regular expressions with one capture group (the `*Pattern` settings). */
export interface PlacementPatterns {
  readonly dataCenter: RegExp | undefined;
  readonly region: RegExp | undefined;
  readonly environment: RegExp | undefined;
}

/**
 * Everything discovery reads from the configuration, compiled once (regular expressions
 * parsed, seconds turned into milliseconds). Built by `discoverySettings(config)`; tests
 * build it with `testSettings` overrides.
 */
export interface DiscoverySettings {
  /** `InstancePollSeconds` in ms. */
  readonly pollMs: number;
  /** `DiscoveryMaxConcurrency`: probes in flight at once (live servers and new ones). */
  readonly maxConcurrency: number;
  /**
   * `DeadInstanceDiscoveryMaxConcurrency`: >0 gives unreachable servers a pool of their own;
   * 0 lets them share `maxConcurrency`, never holding more than half of it.
   */
  readonly deadMaxConcurrency: number;
  /** `DeadInstancePollSecondsMultiplyFactor`: 1 polls unreachable servers like the others. */
  readonly deadPollFactor: number;
  /** `DeadInstancePollSecondsMax` in ms. */
  readonly deadPollMaxMs: number;
  /** `DiscoveryQueueCapacity`: new addresses waiting for their first probe. */
  readonly queueCapacity: number;
  /** `DiscoverySeeds`, parsed (`DefaultInstancePort` where a seed has no port). */
  readonly seeds: readonly InstanceKey[];
  /** `DefaultInstancePort`, for seeds and API keys given without a port. */
  readonly defaultPort: number;
  readonly filters: DiscoveryFilterSettings;
  readonly resolveMethod: HostnameResolveMethod;
  readonly serverNameMethod: ServerNameMethod;
  /** `ExpiryHostnameResolvesMinutes` in ms. */
  readonly resolveExpiryMs: number;
  /** `RejectHostnameResolvePattern`. */
  readonly rejectResolvePattern: RegExp | undefined;
  readonly placement: PlacementPatterns;
  /** `ClusterNameToAlias`, in the order written; the first match wins. */
  readonly clusterNameToAlias: readonly { readonly pattern: RegExp; readonly alias: string }[];
  /** `CandidateInstanceExpireMinutes` in ms. */
  readonly candidateExpiryMs: number;
  /** `UnseenInstanceForgetHours` in ms; 0 never forgets. */
  readonly unseenForgetMs: number;
  /** Between two caretaking passes (expiry, forgetting); orchestrator's is one minute. */
  readonly caretakingIntervalMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function compile(option: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    throw new OrcError(
      'DISCOVERY_BAD_PATTERN',
      `invalid regular expression "${source}" in ${option}: ${(err as Error).message}`,
      { cause: err, context: { option, pattern: source } },
    );
  }
}

function optional(option: string, source: string): RegExp | undefined {
  return source.trim() === '' ? undefined : compile(option, source);
}

function seedKeys(seeds: readonly string[], defaultPort: number): InstanceKey[] {
  return seeds.map((seed) => {
    try {
      return parseInstanceKey(seed, defaultPort);
    } catch (err) {
      throw new OrcError(
        'DISCOVERY_BAD_SEED',
        `invalid seed "${seed}" in discovery.seeds (DiscoverySeeds): ${(err as Error).message}`,
        { cause: err, context: { seed } },
      );
    }
  });
}

function all(option: string, sources: readonly string[]): RegExp[] {
  return sources.filter((s) => s.trim() !== '').map((s) => compile(option, s));
}

/**
 * Compiles discovery's settings from the configuration. Throws OrcError
 * `DISCOVERY_BAD_PATTERN` naming the option when a regular expression does not parse, and
 * `DISCOVERY_BAD_SEED` for a seed that is not `host[:port]`.
 */
export function discoverySettings(config: Config): DiscoverySettings {
  const d = config.discovery;
  const h = config.hostname;
  const m = config.metadata;
  return {
    pollMs: d.instancePollSeconds * 1000,
    maxConcurrency: Math.max(1, d.maxConcurrency),
    deadMaxConcurrency: Math.max(0, d.deadInstanceMaxConcurrency),
    deadPollFactor: Math.max(1, d.deadInstancePollMultiplyFactor),
    deadPollMaxMs: d.deadInstancePollSecondsMax * 1000,
    queueCapacity: Math.max(1, d.queueCapacity),
    seeds: seedKeys(d.seeds, config.topology.defaultInstancePort),
    defaultPort: config.topology.defaultInstancePort,
    filters: {
      ignore: all('discovery.ignoreHostnameFilters', d.ignoreHostnameFilters),
      ignoreReplica: all('discovery.ignoreReplicaHostnameFilters', d.ignoreReplicaHostnameFilters),
      ignorePrimary: all('discovery.ignorePrimaryHostnameFilters', d.ignorePrimaryHostnameFilters),
    },
    resolveMethod: h.resolveMethod,
    serverNameMethod: h.mysqlResolveMethod === '' ? 'none' : h.mysqlResolveMethod,
    resolveExpiryMs: h.expiryResolvesMinutes * MINUTE,
    rejectResolvePattern: optional('hostname.rejectResolvePattern', h.rejectResolvePattern),
    placement: {
      dataCenter: optional('metadata.dataCenterPattern', m.dataCenterPattern),
      region: optional('metadata.regionPattern', m.regionPattern),
      environment: optional('metadata.physicalEnvironmentPattern', m.physicalEnvironmentPattern),
    },
    clusterNameToAlias: Object.entries(m.clusterNameToAlias).map(([pattern, alias]) => ({
      pattern: compile('metadata.clusterNameToAlias', pattern),
      alias,
    })),
    candidateExpiryMs: m.candidateInstanceExpireMinutes * MINUTE,
    unseenForgetMs: d.unseenInstanceForgetHours * HOUR,
    caretakingIntervalMs: MINUTE,
  };
}

/** Overrides of `testSettings`: any setting, seeds as `host:port` texts. */
export type SettingsOverrides = Partial<Omit<DiscoverySettings, 'seeds'>> & {
  readonly seeds?: readonly string[];
};

/** Defaults as orchestrator's, with `overrides`; for tests and tools. */
export function testSettings(overrides: SettingsOverrides = {}): DiscoverySettings {
  const { seeds, ...rest } = overrides;
  return {
    pollMs: 5000,
    maxConcurrency: 300,
    deadMaxConcurrency: 0,
    deadPollFactor: 1,
    deadPollMaxMs: 300_000,
    queueCapacity: 100_000,
    defaultPort: 3306,
    filters: { ignore: [], ignoreReplica: [], ignorePrimary: [] },
    resolveMethod: 'default',
    serverNameMethod: '@@hostname',
    resolveExpiryMs: HOUR,
    rejectResolvePattern: undefined,
    placement: { dataCenter: undefined, region: undefined, environment: undefined },
    clusterNameToAlias: [],
    candidateExpiryMs: HOUR,
    unseenForgetMs: 240 * HOUR,
    caretakingIntervalMs: MINUTE,
    ...rest,
    seeds: seedKeys(seeds ?? [], rest.defaultPort ?? 3306),
  };
}
