/**
 * Options of discovery (what is polled, how often, how many at once), host name resolution,
 * and the metadata orc derives for servers and clusters (aliases, data centers, pools).
 */
import { bool, int, list, map, num, oneOf, str } from './spec.js';

export const discovery = {
  instancePollSeconds: int({
    default: 5,
    min: 1,
    doc: 'Seconds between two polls of the same server.',
    reload: true,
    orc: 'InstancePollSeconds',
  }),
  reasonableInstanceCheckSeconds: int({
    default: 1,
    doc: 'Extra seconds a poll may take before the server counts as not checked recently.',
    reload: true,
    orc: 'ReasonableInstanceCheckSeconds',
  }),
  seeds: list({
    doc: '`host:port` servers discovered at startup when not already known.',
    reload: true,
    orc: 'DiscoverySeeds',
  }),
  discoverByShowReplicaHosts: bool({
    default: false,
    doc: 'Find replicas with SHOW SLAVE HOSTS before falling back to the process list.',
    reload: true,
    orc: 'DiscoverByShowSlaveHosts',
  }),
  maxConcurrency: int({
    default: 300,
    min: 1,
    doc: 'Servers polled at once.',
    reload: false,
    orc: 'DiscoveryMaxConcurrency',
  }),
  queueCapacity: int({
    default: 100000,
    min: 1,
    doc: 'Servers that may wait in the discovery queue.',
    reload: false,
    orc: 'DiscoveryQueueCapacity',
  }),
  queueMaxStatisticsSize: int({
    default: 120,
    doc: 'Per-second samples of the discovery queue kept for metrics.',
    reload: false,
    orc: 'DiscoveryQueueMaxStatisticsSize',
  }),
  collectionRetentionSeconds: int({
    default: 120,
    doc: 'Seconds discovery metrics are kept.',
    reload: false,
    orc: 'DiscoveryCollectionRetentionSeconds',
  }),
  ignoreHostnameFilters: list({
    doc: 'Regular expressions of host names never discovered.',
    reload: true,
    orc: 'DiscoveryIgnoreHostnameFilters',
  }),
  ignoreReplicaHostnameFilters: list({
    doc: 'Regular expressions of replica host names not discovered from their primary.',
    reload: true,
    orc: 'DiscoveryIgnoreReplicaHostnameFilters',
  }),
  ignorePrimaryHostnameFilters: list({
    doc: 'Regular expressions of primary host names not discovered from their replicas.',
    reload: true,
    orc: 'DiscoveryIgnoreMasterHostnameFilters',
  }),
  ignoreReplicationUsernameFilters: list({
    doc: 'Regular expressions of replication user names whose connections are not followed (Percona).',
    reload: true,
    orc: 'DiscoveryIgnoreReplicationUsernameFilters',
  }),
  filtersLogsEnabled: bool({
    default: true,
    doc: 'Log servers skipped by discovery filters (Percona).',
    reload: true,
    orc: 'EnableDiscoveryFiltersLogs',
  }),
  deadInstanceMaxConcurrency: int({
    default: 0,
    doc: 'Pollers reserved for unreachable servers; 0 polls them with the others (Percona).',
    reload: false,
    orc: 'DeadInstanceDiscoveryMaxConcurrency',
  }),
  deadInstancePollMultiplyFactor: num({
    default: 1,
    min: 1,
    doc: 'Back-off factor between polls of an unreachable server; 1 disables back-off (Percona).',
    reload: true,
    orc: 'DeadInstancePollSecondsMultiplyFactor',
  }),
  deadInstancePollSecondsMax: int({
    default: 300,
    doc: 'Longest back-off between polls of an unreachable server (Percona).',
    reload: true,
    orc: 'DeadInstancePollSecondsMax',
  }),
  deadInstanceLogsEnabled: bool({
    default: false,
    doc: 'Log the back-off of unreachable servers (Percona).',
    reload: true,
    orc: 'DeadInstanceDiscoveryLogsEnabled',
  }),
  bufferInstanceWrites: bool({
    default: false,
    doc: 'Batch writes of poll results to the backend.',
    reload: false,
    orc: 'BufferInstanceWrites',
  }),
  instanceWriteBufferSize: int({
    default: 100,
    doc: 'Poll results written in one batch; 0 turns batching off.',
    reload: false,
    orc: 'InstanceWriteBufferSize',
  }),
  instanceFlushIntervalMilliseconds: int({
    default: 100,
    min: 1,
    doc: 'Longest wait before a batch of poll results is written.',
    reload: false,
    orc: 'InstanceFlushIntervalMilliseconds',
  }),
  unseenInstanceForgetHours: int({
    default: 240,
    doc: 'Hours after which a server never reached again is forgotten.',
    reload: true,
    orc: 'UnseenInstanceForgetHours',
  }),
  snapshotTopologiesIntervalHours: int({
    default: 0,
    doc: 'Hours between snapshots of all topologies into history; 0 disables them.',
    reload: true,
    orc: 'SnapshotTopologiesIntervalHours',
  }),
  skipMaxScaleCheck: bool({
    default: true,
    doc: 'Do not probe for MaxScale binlog servers.',
    reload: true,
    orc: 'SkipMaxScaleCheck',
    compat: true,
  }),
};

export const hostname = {
  resolveMethod: oneOf(['default', 'none', 'cname', 'ip'], {
    default: 'default',
    doc: 'How host names are normalised: as given and cached (`default`), not at all (`none`), by CNAME lookup, or resolved to an IP.',
    reload: true,
    orc: 'HostnameResolveMethod',
  }),
  mysqlResolveMethod: oneOf(['@@hostname', '@@report_host', 'none', ''], {
    default: '@@hostname',
    doc: 'Server variable that names a server (`@@hostname`, `@@report_host`), or `none`.',
    reload: true,
    orc: 'MySQLHostnameResolveMethod',
  }),
  skipBinlogServerUnresolveCheck: bool({
    default: true,
    doc: 'Skip checking that an unresolved binlog-server name resolves back to itself.',
    reload: true,
    orc: 'SkipBinlogServerUnresolveCheck',
  }),
  expiryResolvesMinutes: int({
    default: 60,
    doc: 'Minutes a resolved host name is cached.',
    reload: true,
    orc: 'ExpiryHostnameResolvesMinutes',
  }),
  rejectResolvePattern: str({
    doc: 'Regular expression of resolution results to reject (e.g. answers during a network glitch).',
    reload: true,
    orc: 'RejectHostnameResolvePattern',
  }),
};

export const metadata = {
  detectClusterAliasQuery: str({
    doc: 'Query run on a primary returning the cluster alias.',
    reload: true,
    orc: 'DetectClusterAliasQuery',
  }),
  detectClusterDomainQuery: str({
    doc: 'Query run on a primary returning the cluster domain name (VIP, CNAME, …).',
    reload: true,
    orc: 'DetectClusterDomainQuery',
  }),
  detectInstanceAliasQuery: str({
    doc: 'Query returning a server alias.',
    reload: true,
    orc: 'DetectInstanceAliasQuery',
  }),
  detectPromotionRuleQuery: str({
    doc: 'Query returning a server promotion rule (prefer, neutral, prefer_not, must_not, …).',
    reload: true,
    orc: 'DetectPromotionRuleQuery',
  }),
  detectDataCenterQuery: str({
    doc: 'Query returning a server data center; overrides `dataCenterPattern`.',
    reload: true,
    orc: 'DetectDataCenterQuery',
  }),
  detectRegionQuery: str({
    doc: 'Query returning a server region; overrides `regionPattern`.',
    reload: true,
    orc: 'DetectRegionQuery',
  }),
  detectPhysicalEnvironmentQuery: str({
    doc: 'Query returning a server physical environment; overrides `physicalEnvironmentPattern`.',
    reload: true,
    orc: 'DetectPhysicalEnvironmentQuery',
  }),
  detectSemiSyncEnforcedQuery: str({
    doc: 'Query returning a server semi-sync priority (0 = asynchronous).',
    reload: true,
    orc: 'DetectSemiSyncEnforcedQuery',
  }),
  dataCenterPattern: str({
    doc: 'Regular expression with one group extracting the data center from a host name.',
    reload: true,
    orc: 'DataCenterPattern',
  }),
  regionPattern: str({
    doc: 'Regular expression with one group extracting the region from a host name.',
    reload: true,
    orc: 'RegionPattern',
  }),
  physicalEnvironmentPattern: str({
    doc: 'Regular expression with one group extracting the physical environment from a host name.',
    reload: true,
    orc: 'PhysicalEnvironmentPattern',
  }),
  clusterNameToAlias: map({
    doc: 'Regular expression on cluster names → alias shown for matching clusters.',
    reload: true,
    orc: 'ClusterNameToAlias',
  }),
  candidateInstanceExpireMinutes: int({
    default: 60,
    doc: 'Minutes a registered promotion rule (register-candidate) stays valid.',
    reload: true,
    orc: 'CandidateInstanceExpireMinutes',
  }),
  promotionIgnoreHostnameFilters: list({
    doc: 'Regular expressions of host names never promoted.',
    reload: true,
    orc: 'PromotionIgnoreHostnameFilters',
  }),
  instancePoolExpiryMinutes: int({
    default: 60,
    doc: 'Minutes a pool membership (submit-pool-instances) stays valid.',
    reload: true,
    orc: 'InstancePoolExpiryMinutes',
  }),
  supportFuzzyPoolHostnames: bool({
    default: true,
    doc: 'Accept partial host names when submitting pool members.',
    reload: true,
    orc: 'SupportFuzzyPoolHostnames',
  }),
};
