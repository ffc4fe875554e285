import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrcError } from '../common/errors.js';
import { compileConfig, type LoadResult } from './compile.js';
import { readDocument, readEnvironment } from './sources.js';

type Env = Record<string, string>;

/** Compiles literal documents as files f1.json, f2.json, … followed by `env`. */
function compile(docs: readonly unknown[], env: Env = {}): LoadResult {
  const sources = docs.map((doc, i) => readDocument(doc, `f${i + 1}.json`));
  return compileConfig([...sources, readEnvironment(env)], { env });
}

/** The issues of the CONFIG_INVALID error compiling `docs` throws. */
function issuesOf(docs: readonly unknown[], env: Env = {}): string[] {
  try {
    compile(docs, env);
  } catch (err) {
    assert.ok(err instanceof OrcError && err.code === 'CONFIG_INVALID', String(err));
    return err.context.issues as string[];
  }
  assert.fail('expected CONFIG_INVALID');
}

void test('compile: no file gives orc defaults with an embedded SQLite backend', () => {
  const { config, format, warnings, explicit } = compile([]);
  assert.equal(format, 'native');
  assert.equal(config.backend.type, 'sqlite');
  assert.equal(config.backend.sqliteDataFile, 'orc.db');
  assert.equal(config.discovery.instancePollSeconds, 5);
  assert.equal(config.http.listenAddress, ':3000');
  assert.equal(config.raft.advertise, '127.0.0.1:10008');
  assert.equal(config.log.level, 'info');
  assert.deepEqual(config.auth.powerUsers, ['*']);
  assert.deepEqual(warnings, []);
  assert.deepEqual(explicit, []);
});

void test('compile: the format decides the backend defaults', () => {
  const cases: [unknown[], string, string, string][] = [
    [[{ discovery: { instancePollSeconds: 3 } }], 'native', 'sqlite', 'orc.db'],
    [[{ InstancePollSeconds: 3, MySQLOrchestratorHost: 'db' }], 'orchestrator', 'mysql', ''],
    [[{ InstancePollSeconds: 3, log: { level: 'warn' } }], 'mixed', 'mysql', ''],
    [[{ log: { level: 'warn' } }, { MySQLOrchestratorHost: 'db' }], 'mixed', 'mysql', ''],
    [[{ 'discovery.seeds': ['a:3306'] }], 'native', 'sqlite', 'orc.db'],
  ];
  for (const [docs, format, type, file] of cases) {
    const result = compile(docs);
    assert.equal(result.format, format, JSON.stringify(docs));
    assert.equal(result.config.backend.type, type, JSON.stringify(docs));
    assert.equal(result.config.backend.sqliteDataFile, file, JSON.stringify(docs));
  }
});

void test('compile: the result is deeply frozen', () => {
  const { config } = compile([{ DiscoverySeeds: ['a:3306'] }]);
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.discovery));
  assert.ok(Object.isFrozen(config.discovery.seeds));
  assert.throws(() => {
    (config.discovery as { instancePollSeconds: number }).instancePollSeconds = 1;
  }, TypeError);
});

void test('compile: later files override earlier ones; lists replace, maps merge', () => {
  const { config, explicit } = compile([
    { InstancePollSeconds: 7, DiscoverySeeds: ['a:1', 'b:1'], ClusterNameToAlias: { a: 'A' } },
    { discovery: { instancePollSeconds: 9, seeds: ['c:1'] }, ClusterNameToAlias: { b: 'B' } },
  ]);
  assert.equal(config.discovery.instancePollSeconds, 9);
  assert.deepEqual(config.discovery.seeds, ['c:1']);
  assert.deepEqual(config.metadata.clusterNameToAlias, { a: 'A', b: 'B' });
  assert.deepEqual(explicit, [
    'discovery.instancePollSeconds',
    'discovery.seeds',
    'metadata.clusterNameToAlias',
  ]);
});

void test('compile: synonyms and legacy keys land on one option', () => {
  const cases: [Record<string, unknown>, string, unknown][] = [
    [{ SlaveLagQuery: 'select 1' }, 'topology.replicationLagQuery', 'select 1'],
    [{ ReplicationLagQuery: 'q', SlaveLagQuery: 'q' }, 'topology.replicationLagQuery', 'q'],
    [{ ReplicationLagQuery: '', SlaveLagQuery: 'q' }, 'topology.replicationLagQuery', 'q'],
    [{ PostponeSlaveRecoveryOnLagMinutes: 4 }, 'recovery.postponeReplicaRecoveryOnLagMinutes', 4],
    [
      { PostponeReplicaRecoveryOnLagMinutes: 0, PostponeSlaveRecoveryOnLagMinutes: 4 },
      'recovery.postponeReplicaRecoveryOnLagMinutes',
      4,
    ],
    [
      { DetachLostSlavesAfterMasterFailover: false },
      'recovery.detachLostReplicasAfterPrimaryFailover',
      false,
    ],
    [
      { DetachLostReplicasAfterMasterFailover: false },
      'recovery.detachLostReplicasAfterPrimaryFailover',
      false,
    ],
    [
      { DetachLostSlavesAfterMasterFailover: true, DetachLostReplicasAfterMasterFailover: false },
      'recovery.detachLostReplicasAfterPrimaryFailover',
      true,
    ],
    [
      { MasterFailoverDetachSlaveMasterHost: true },
      'recovery.primaryFailoverDetachReplicaPrimaryHost',
      true,
    ],
    [{ RecoveryPeriodBlockMinutes: 10 }, 'recovery.periodBlockSeconds', 600],
    [
      { RecoveryPeriodBlockMinutes: 10, RecoveryPeriodBlockSeconds: 30 },
      'recovery.periodBlockSeconds',
      30,
    ],
    [{ ListenAddress: ':3000', http: { listenAddress: ':3000' } }, 'http.listenAddress', ':3000'],
  ];
  for (const [doc, path, expected] of cases) {
    const { config } = compile([doc]);
    const [area = '', name = ''] = path.split('.');
    const value = (config as unknown as Record<string, Record<string, unknown>>)[area]?.[name];
    assert.deepEqual(value, expected, JSON.stringify(doc));
  }
});

void test('compile: a later file may override a synonym an earlier file set', () => {
  const { config } = compile([{ SlaveLagQuery: 'old' }, { ReplicationLagQuery: 'new' }]);
  assert.equal(config.topology.replicationLagQuery, 'new');
});

void test('compile: unknown keys are warnings, with the closest known key', () => {
  const cases: [Record<string, unknown>, string][] = [
    [
      { InstancePolSeconds: 5 },
      'f1.json: unknown option "InstancePolSeconds" ignored; did you mean "InstancePollSeconds"?',
    ],
    [
      { instancePollSeconds: 5 },
      'f1.json: unknown option "instancePollSeconds" ignored; did you mean "discovery.instancePollSeconds"?',
    ],
    [
      { discovery: { instancePollSecond: 5 } },
      'f1.json: unknown option "discovery.instancePollSecond" ignored; did you mean "discovery.instancePollSeconds"?',
    ],
    [
      { discovery: { InstancePollSeconds: 5 } },
      'f1.json: unknown option "discovery.InstancePollSeconds" ignored; did you mean "discovery.instancePollSeconds"?',
    ],
    [{ Frobnicate: true }, 'f1.json: unknown option "Frobnicate" ignored'],
    [
      { MaintenanceOwner: 'orc' },
      'f1.json: "MaintenanceOwner" is no longer used by orchestrator and is ignored',
    ],
  ];
  for (const [doc, expected] of cases) {
    assert.deepEqual(compile([doc]).warnings, [expected], JSON.stringify(doc));
  }
});

void test('compile: ORC_* variables override files', () => {
  const doc = { discovery: { instancePollSeconds: 7 }, http: { readOnly: false } };
  const { config, warnings } = compile([doc], {
    ORC_DISCOVERY_INSTANCE_POLL_SECONDS: '3',
    ORC_HTTP_READ_ONLY: 'yes',
    ORC_DISCOVERY_SEEDS: 'a:3306, b:3306',
    ORC_RECOVERY_RECOVER_PRIMARY_CLUSTER_FILTERS: '["alias=prod", "*"]',
    ORC_METADATA_CLUSTER_NAME_TO_ALIAS: '^db1=main,^db2=other',
    ORC_BACKEND_TYPE: 'sqlite3',
    ORC_DISCOVERY_DEAD_INSTANCE_POLL_MULTIPLY_FACTOR: '1.5',
    ORC_DEBUG: '1',
    ORC_FAILURE_TYPE: 'DeadMaster',
    ORC_RECOVERY_UID: 'abc',
  });
  assert.equal(config.discovery.instancePollSeconds, 3);
  assert.equal(config.http.readOnly, true);
  assert.deepEqual(config.discovery.seeds, ['a:3306', 'b:3306']);
  assert.deepEqual(config.recovery.recoverPrimaryClusterFilters, ['alias=prod', '*']);
  assert.deepEqual(config.metadata.clusterNameToAlias, { '^db1': 'main', '^db2': 'other' });
  assert.equal(config.backend.type, 'sqlite');
  assert.equal(config.discovery.deadInstancePollMultiplyFactor, 1.5);
  assert.deepEqual(warnings, []);
});

void test('compile: a misspelt ORC_<AREA>_ variable is a warning with a suggestion', () => {
  const { warnings } = compile([], { ORC_DISCOVERY_SEEDZ: 'a:1' });
  assert.deepEqual(warnings, [
    'environment: unknown option "ORC_DISCOVERY_SEEDZ" ignored; did you mean "ORC_DISCOVERY_SEEDS"?',
  ]);
});

void test('compile: ${NAME} in passwords is replaced from the environment', () => {
  const { config } = compile(
    [{ MySQLTopologyPassword: '${TOPO_PW}', backend: { mysqlPassword: 'a${X}b' } }],
    { TOPO_PW: 's3cret', X: '-' },
  );
  assert.equal(config.topology.password, 's3cret');
  assert.equal(config.backend.mysqlPassword, 'a-b');
  assert.equal(compile([{ MySQLTopologyUser: '${TOPO_PW}' }]).config.topology.user, '${TOPO_PW}');
});

void test('compile: ${NAME} naming an unset variable is an error', () => {
  assert.deepEqual(issuesOf([{ MySQLOrchestratorPassword: '${ORC_TEST_UNSET}' }]), [
    'MySQLOrchestratorPassword (backend.mysqlPassword) refers to environment variable ORC_TEST_UNSET, which is not set',
  ]);
});

void test('compile: null means not set, an empty document sets nothing', () => {
  const { config, explicit } = compile([{ ListenAddress: null }, null, { discovery: null }]);
  assert.equal(config.http.listenAddress, ':3000');
  assert.deepEqual(explicit, []);
  assert.deepEqual(issuesOf([[1, 2]]), [
    'f1.json: expected a mapping of option names to values at the top level, got [1,2]',
  ]);
});
