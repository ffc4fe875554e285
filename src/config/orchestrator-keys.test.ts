import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileConfig } from './compile.js';
import { orchestratorKeys, type Config } from './schema.js';
import { readDocument } from './sources.js';

/**
 * Every key of orchestrator.md §9 (all tables, the Authentication/TLS paragraph, Raft, KV,
 * agents, Percona additions) and §2.3, with the code default stated there, in orchestrator's
 * units. Written out by hand from the reference, not derived from the schema, so that a key
 * the schema forgets fails here. Effective values after orchestrator's normalisations are
 * noted where they differ.
 */
const orchestratorDefaults: readonly [string, unknown][] = [
  // Service / HTTP
  ['ListenAddress', ':3000'],
  ['ListenSocket', ''],
  ['URLPrefix', ''],
  ['HTTPAdvertise', ''],
  ['StatusEndpoint', '/api/status'],
  ['StatusOUVerify', false],
  ['ReadOnly', false],
  ['WebMessage', ''],
  ['RemoveTextFromHostnameDisplay', ''],
  ['Debug', false],
  ['EnableSyslog', false],
  // Backend database
  ['BackendDB', 'mysql'],
  ['SQLite3DataFile', ''],
  ['MySQLOrchestratorHost', ''],
  ['MySQLOrchestratorPort', 3306],
  ['MySQLOrchestratorDatabase', ''],
  ['MySQLOrchestratorUser', ''],
  ['MySQLOrchestratorPassword', ''],
  ['MySQLOrchestratorCredentialsConfigFile', ''],
  ['MySQLOrchestratorMaxPoolConnections', 128],
  ['MySQLOrchestratorReadTimeoutSeconds', 30],
  ['MySQLOrchestratorRejectReadOnly', false],
  ['SkipOrchestratorDatabaseUpdate', false],
  ['PanicIfDifferentDatabaseDeploy', false],
  ['MySQLConnectionLifetimeSeconds', 0],
  // Topology access
  ['MySQLTopologyUser', ''],
  ['MySQLTopologyPassword', ''],
  ['MySQLTopologyCredentialsConfigFile', ''],
  ['MySQLConnectTimeoutSeconds', 2],
  ['MySQLDiscoveryReadTimeoutSeconds', 10],
  ['MySQLTopologyReadTimeoutSeconds', 600],
  ['DefaultInstancePort', 3306],
  ['ReplicationCredentialsQuery', ''],
  ['MaxConcurrentReplicaOperations', 5],
  ['UseSuperReadOnly', false],
  // Discovery
  ['InstancePollSeconds', 5],
  ['ReasonableInstanceCheckSeconds', 1],
  ['DiscoverByShowSlaveHosts', false],
  ['DiscoveryMaxConcurrency', 300],
  ['DiscoveryQueueCapacity', 100000],
  ['DiscoveryQueueMaxStatisticsSize', 120],
  ['DiscoveryCollectionRetentionSeconds', 120],
  ['DiscoverySeeds', []],
  ['DiscoveryIgnoreHostnameFilters', []],
  ['DiscoveryIgnoreReplicaHostnameFilters', []],
  ['DiscoveryIgnoreMasterHostnameFilters', []],
  ['BufferInstanceWrites', false],
  ['InstanceWriteBufferSize', 100],
  ['InstanceFlushIntervalMilliseconds', 100],
  ['UnseenInstanceForgetHours', 240],
  ['SnapshotTopologiesIntervalHours', 0],
  ['InstanceBulkOperationsWaitTimeoutSeconds', 10],
  ['SkipMaxScaleCheck', true],
  // Hostname resolution
  ['HostnameResolveMethod', 'default'],
  ['MySQLHostnameResolveMethod', '@@hostname'],
  ['SkipBinlogServerUnresolveCheck', true],
  ['ExpiryHostnameResolvesMinutes', 60],
  ['RejectHostnameResolvePattern', ''],
  // Classification / metadata
  ['ReplicationLagQuery', ''],
  ['SlaveLagQuery', ''],
  ['DetectClusterAliasQuery', ''],
  ['DetectClusterDomainQuery', ''],
  ['DetectInstanceAliasQuery', ''],
  ['DetectPromotionRuleQuery', ''],
  ['DetectDataCenterQuery', ''],
  ['DetectRegionQuery', ''],
  ['DetectPhysicalEnvironmentQuery', ''],
  ['DataCenterPattern', ''],
  ['RegionPattern', ''],
  ['PhysicalEnvironmentPattern', ''],
  ['DetectSemiSyncEnforcedQuery', ''],
  ['ClusterNameToAlias', {}],
  ['CandidateInstanceExpireMinutes', 60],
  ['PromotionIgnoreHostnameFilters', []],
  ['InstancePoolExpiryMinutes', 60],
  ['SupportFuzzyPoolHostnames', true],
  // Thresholds
  ['ReasonableReplicationLagSeconds', 10],
  ['ReasonableMaintenanceReplicationLagSeconds', 20],
  ['ReasonableLockedSemiSyncMasterSeconds', 10], // 0 → ReasonableReplicationLagSeconds
  ['ProblemIgnoreHostnameFilters', []],
  ['VerifyReplicationFilters', false],
  // Pseudo-GTID
  ['AutoPseudoGTID', false],
  ['PseudoGTIDPattern', ''],
  ['PseudoGTIDPatternIsFixedSubstring', false],
  ['PseudoGTIDMonotonicHint', ''],
  ['DetectPseudoGTIDQuery', ''],
  ['BinlogEventsChunkSize', 10000],
  ['SkipBinlogEventsContaining', []],
  // Detection / recovery
  ['ReduceReplicationAnalysisCount', true],
  ['FailureDetectionPeriodBlockMinutes', 60],
  ['RecoveryPeriodBlockSeconds', 3600],
  ['RecoveryPeriodBlockMinutes', 60],
  ['RecoveryIgnoreHostnameFilters', []],
  ['RecoverMasterClusterFilters', []],
  ['RecoverIntermediateMasterClusterFilters', []],
  ['ProcessesShellCommand', 'bash'],
  ['OnFailureDetectionProcesses', []],
  ['PreGracefulTakeoverProcesses', []],
  ['PreFailoverProcesses', []],
  ['PostMasterFailoverProcesses', []],
  ['PostIntermediateMasterFailoverProcesses', []],
  ['PostFailoverProcesses', []],
  ['PostUnsuccessfulFailoverProcesses', []],
  ['PostGracefulTakeoverProcesses', []],
  ['PostTakeMasterProcesses', []],
  ['RecoverNonWriteableMaster', false],
  ['CoMasterRecoveryMustPromoteOtherCoMaster', true],
  ['DetachLostReplicasAfterMasterFailover', true],
  ['DetachLostSlavesAfterMasterFailover', true],
  ['ApplyMySQLPromotionAfterMasterFailover', true],
  ['PreventCrossDataCenterMasterFailover', false],
  ['PreventCrossRegionMasterFailover', false],
  ['MasterFailoverLostInstancesDowntimeMinutes', 0],
  ['MasterFailoverDetachReplicaMasterHost', false],
  ['MasterFailoverDetachSlaveMasterHost', false],
  ['FailMasterPromotionOnLagMinutes', 0],
  ['FailMasterPromotionIfSQLThreadNotUpToDate', false],
  ['DelayMasterPromotionIfSQLThreadNotUpToDate', false],
  ['PostponeReplicaRecoveryOnLagMinutes', 0],
  ['PostponeSlaveRecoveryOnLagMinutes', 0],
  ['EnforceExactSemiSyncReplicas', false],
  ['RecoverLockedSemiSyncMaster', false],
  ['OSCIgnoreHostnameFilters', []],
  // Audit
  ['AuditLogFile', ''],
  ['AuditToSyslog', false],
  ['AuditToBackendDB', false],
  ['AuditPurgeDays', 7],
  // Authentication / TLS
  ['AuthenticationMethod', ''],
  ['HTTPAuthUser', ''],
  ['HTTPAuthPassword', ''],
  ['AuthUserHeader', 'X-Forwarded-User'],
  ['PowerAuthUsers', ['*']],
  ['PowerAuthGroups', []],
  ['AccessTokenUseExpirySeconds', 60],
  ['AccessTokenExpiryMinutes', 1440],
  ['OAuthClientId', ''],
  ['OAuthClientSecret', ''],
  ['OAuthScopes', []],
  ['UseSSL', false],
  ['UseMutualTLS', false],
  ['SSLSkipVerify', false],
  ['SSLPrivateKeyFile', ''],
  ['SSLCertFile', ''],
  ['SSLCAFile', ''],
  ['SSLValidOUs', []],
  ['MySQLTopologyUseMutualTLS', false],
  ['MySQLTopologyUseMixedTLS', true],
  ['MySQLTopologySSLPrivateKeyFile', ''],
  ['MySQLTopologySSLCertFile', ''],
  ['MySQLTopologySSLCAFile', ''],
  ['MySQLTopologySSLSkipVerify', false],
  ['TLSCacheTTLFactor', 100],
  ['MySQLOrchestratorUseMutualTLS', false],
  ['MySQLOrchestratorSSLPrivateKeyFile', ''],
  ['MySQLOrchestratorSSLCertFile', ''],
  ['MySQLOrchestratorSSLCAFile', ''],
  ['MySQLOrchestratorSSLSkipVerify', false],
  // Raft (§2.3)
  ['RaftEnabled', false],
  ['RaftBind', '127.0.0.1:10008'],
  ['RaftAdvertise', '127.0.0.1:10008'], // "" → RaftBind
  ['RaftDataDir', ''],
  ['DefaultRaftPort', 10008],
  ['RaftNodes', []],
  ['ExpectFailureAnalysisConcensus', true],
  // KV
  ['KVClusterMasterPrefix', 'mysql/master/'], // normalised to end with "/"
  ['ConsulAddress', ''],
  ['ConsulScheme', 'http'],
  ['ConsulAclToken', ''],
  ['ConsulCrossDataCenterDistribution', false],
  ['ConsulKVStoreProvider', 'consul'],
  ['ConsulMaxKVsPerTransaction', 5],
  ['ZkAddress', ''],
  // Agents (legacy)
  ['ServeAgentsHttp', false],
  ['AgentsServerPort', ':3001'],
  ['AgentsUseSSL', false],
  ['AgentsUseMutualTLS', false],
  ['AgentSSLSkipVerify', false],
  ['AgentSSLPrivateKeyFile', ''],
  ['AgentSSLCertFile', ''],
  ['AgentSSLCAFile', ''],
  ['AgentSSLValidOUs', []],
  ['AgentPollMinutes', 60],
  ['UnseenAgentForgetHours', 6],
  ['StaleSeedFailMinutes', 60],
  ['SeedAcceptableBytesDiff', 8192],
  ['SeedWaitSecondsBeforeSend', 2],
  // Percona additions
  ['MySQLTopologyMaxAllowedPacket', -1],
  ['MySQLOrchestratorMaxAllowedPacket', -1],
  ['LowerReplicaVersionAllowed', false],
  ['PrependMessagesWithOrcIdentity', ''],
  ['CustomOrcIdentity', ''],
  ['DeadInstanceDiscoveryMaxConcurrency', 0],
  ['DeadInstancePollSecondsMultiplyFactor', 1],
  ['DeadInstancePollSecondsMax', 300],
  ['DeadInstanceDiscoveryLogsEnabled', false],
  ['DiscoveryIgnoreReplicationUsernameFilters', []],
  ['EnableDiscoveryFiltersLogs', true],
];

/** Values that must have a particular shape to pass validation or normalisation unchanged. */
const samples: Readonly<Record<string, unknown>> = {
  URLPrefix: '/orc',
  HTTPAdvertise: 'http://10.0.0.1:3000',
  RaftBind: '10.0.0.1:10008',
  RaftAdvertise: '10.0.0.2:10008',
  RaftNodes: ['10.0.0.1:10008', '10.0.0.2:10008'],
  KVClusterMasterPrefix: 'db/primary/',
  BackendDB: 'sqlite',
  ConsulMaxKVsPerTransaction: 10,
};

/** Other keys a sample needs to pass orchestrator's validations. */
const companions: Readonly<Record<string, Record<string, unknown>>> = {
  BackendDB: { SQLite3DataFile: '/var/lib/orc/orc.db' },
  RaftEnabled: { RaftDataDir: '/var/lib/orc/raft' },
  FailMasterPromotionOnLagMinutes: { ReplicationLagQuery: 'select 0' },
};

function valueAt(config: Config, path: string): unknown {
  const [area = '', name = ''] = path.split('.');
  return (config as unknown as Record<string, Record<string, unknown>>)[area]?.[name];
}

/** A value of the right type that differs from the option's default. */
function sampleFor(key: string): unknown {
  if (key in samples) return samples[key];
  const spec = orchestratorKeys.get(key)?.option.spec;
  assert.ok(spec, `${key} is not mapped to any orc option`);
  const fallback = spec.orchestratorDefault ?? spec.default;
  switch (spec.kind) {
    case 'string':
      return `${key}-value`;
    case 'boolean':
      return !(spec.default as boolean);
    case 'integer':
    case 'number':
      return (spec.default as number) + 1;
    case 'enum':
      return spec.values?.find((v) => v !== fallback);
    case 'list':
      return [`${key}-a`, `${key}-b`];
    case 'map':
      return { '^prod-': 'production' };
  }
}

const orchestratorFormat = compileConfig([readDocument({ ListenAddress: ':3000' }, 'o.json')]);

void test("orchestrator keys: every key of the reference has orchestrator's default", () => {
  for (const [key, expected] of orchestratorDefaults) {
    const ref = orchestratorKeys.get(key);
    assert.ok(ref, `orchestrator key ${key} is not accepted`);
    const actual = valueAt(orchestratorFormat.config, ref.option.path);
    const scaled = typeof actual === 'number' ? actual / ref.ref.factor : actual;
    assert.deepEqual(scaled, expected, `${key} → ${ref.option.path}`);
  }
});

void test('orchestrator keys: every key of the reference is accepted and lands on its option', () => {
  for (const [key] of orchestratorDefaults) {
    const sample = sampleFor(key);
    const source = readDocument({ ...companions[key], [key]: sample }, 'orchestrator.conf.json');
    assert.deepEqual(source.warnings, [], key);
    assert.deepEqual(source.issues, [], key);
    const ref = orchestratorKeys.get(key);
    assert.ok(ref, key);
    const { config } = compileConfig([source]);
    const expected = typeof sample === 'number' ? sample * ref.ref.factor : sample;
    assert.deepEqual(valueAt(config, ref.option.path), expected, `${key} → ${ref.option.path}`);
  }
});

void test('orchestrator keys: the schema maps no key twice and knows no key the list lacks', () => {
  const listed = new Set(orchestratorDefaults.map(([k]) => k));
  const beyondReference = new Set([
    'GraphiteAddr',
    'GraphitePath',
    'GraphiteConvertHostnameDotsToUnderscores',
    'GraphitePollSeconds',
    'PostUnsuccessfulGracefulTakeoverProcesses',
  ]);
  for (const key of orchestratorKeys.keys()) {
    assert.ok(listed.has(key) || beyondReference.has(key), `${key} is mapped but not listed`);
  }
  assert.equal(listed.size, orchestratorDefaults.length, 'a key is listed twice');
});
