// The public API of src/discovery/: continuous discovery of MySQL/MariaDB topologies — the
// poll scheduler, crawling, identity of servers across names, host name resolution, filters
// and caretaking. It never logs: it emits DiscoveryEvents and the service decides.
export { caretake, type CaretakingContext, type CaretakingStore } from './caretaking.js';
export { crawlCandidates, planCrawl, type CrawlCandidate, type CrawlPlan } from './crawl.js';
export {
  assembleInstance,
  effectiveClusterAlias,
  mappedClusterAlias,
  placementFromPatterns,
} from './derive.js';
export { Discovery } from './discovery.js';
export type { DiscoveryOptions, DiscoveryStore, ObservedServer, Prober } from './options.js';
export { pollDelayMs } from './due-heap.js';
export * from './events.js';
export { filterMatch, type FilterMatch, type FoundAs } from './filters.js';
export { fingerprint, preferredKey, IdentityIndex, type IdentityVerdict } from './identity.js';
export type { InstanceWriter } from './outcomes.js';
export { HostnameResolver, systemDns, type DnsLookup } from './resolve.js';
export { PollScheduler, type Lane, type SchedulerStats } from './scheduler.js';
export {
  discoverySettings,
  testSettings,
  type DiscoverySettings,
  type HostnameResolveMethod,
  type ServerNameMethod,
  type SettingsOverrides,
} from './settings.js';
