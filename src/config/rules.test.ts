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

void test("rules: orchestrator's load-time errors, with messages naming the keys", () => {
  const cases: [Record<string, unknown>, string][] = [
    [
      { ReplicationLagQuery: 'select 1', SlaveLagQuery: 'select 2' },
      'f1.json: ReplicationLagQuery and SlaveLagQuery are synonyms but set to different values ("select 1" and "select 2"); keep one',
    ],
    [
      { PostponeReplicaRecoveryOnLagMinutes: 3, PostponeSlaveRecoveryOnLagMinutes: 5 },
      'f1.json: PostponeReplicaRecoveryOnLagMinutes and PostponeSlaveRecoveryOnLagMinutes are synonyms but set to different values (3 and 5); keep one',
    ],
    [
      {
        FailMasterPromotionIfSQLThreadNotUpToDate: true,
        DelayMasterPromotionIfSQLThreadNotUpToDate: true,
      },
      'FailMasterPromotionIfSQLThreadNotUpToDate (recovery.failPrimaryPromotionIfSqlThreadNotUpToDate) and DelayMasterPromotionIfSQLThreadNotUpToDate (recovery.delayPrimaryPromotionIfSqlThreadNotUpToDate) cannot both be true; choose failing or delaying the promotion',
    ],
    [
      { FailMasterPromotionOnLagMinutes: 5 },
      'FailMasterPromotionOnLagMinutes (recovery.failPrimaryPromotionOnLagMinutes) is 5, which needs ReplicationLagQuery (topology.replicationLagQuery) to be set; it is empty',
    ],
    [
      { BackendDB: 'sqlite3' },
      'BackendDB (backend.type) is "sqlite" but SQLite3DataFile (backend.sqliteDataFile) is empty; set the SQLite database file',
    ],
    [
      { RaftEnabled: true, RaftBind: '10.0.0.1' },
      'RaftEnabled (raft.enabled) is true but RaftDataDir (raft.dataDir) is empty; set the directory for the Raft log',
    ],
    [
      { RaftEnabled: true, RaftDataDir: '/var/lib/orc', RaftBind: '' },
      'RaftEnabled (raft.enabled) is true but RaftBind (raft.bind) is empty; set the address Raft listens on',
    ],
    [
      { HTTPAdvertise: '10.0.0.1:3000' },
      'HTTPAdvertise (raft.httpAdvertise) is "10.0.0.1:3000", which must look like http://host:port: the scheme (http:// or https://) is missing',
    ],
    [
      { HTTPAdvertise: 'http://:3000' },
      'HTTPAdvertise (raft.httpAdvertise) is "http://:3000", which must look like http://host:port: the host name is missing',
    ],
    [
      { HTTPAdvertise: 'http://10.0.0.1' },
      'HTTPAdvertise (raft.httpAdvertise) is "http://10.0.0.1", which must look like http://host:port: the port number is missing',
    ],
    [
      { HTTPAdvertise: 'https://orc1:3000/api' },
      'HTTPAdvertise (raft.httpAdvertise) is "https://orc1:3000/api", which must look like http://host:port: it must not have a path ("/api")',
    ],
    [
      { raft: { enabled: true, dataDir: '' } },
      'raft.enabled (RaftEnabled) is true but raft.dataDir (RaftDataDir) is empty; set the directory for the Raft log',
    ],
  ];
  for (const [doc, expected] of cases) {
    assert.deepEqual(issuesOf([doc]), [expected], JSON.stringify(doc));
  }
});

void test('rules: valid HTTPAdvertise values pass', () => {
  for (const url of [
    'http://10.0.0.1:3000',
    'https://orc-1.example.com:443',
    'http://[::1]:3000',
  ]) {
    assert.equal(compile([{ HTTPAdvertise: url }]).config.raft.httpAdvertise, url);
  }
});

void test('rules: wrong types and values name the key, the value and what is allowed', () => {
  const cases: [Record<string, unknown>, string][] = [
    [
      { InstancePollSeconds: '5' },
      'f1.json: InstancePollSeconds is "5"; expected a whole number, 1 or more',
    ],
    [
      { InstancePollSeconds: 0 },
      'f1.json: InstancePollSeconds is 0; expected a whole number, 1 or more',
    ],
    [
      { InstancePollSeconds: 2.5 },
      'f1.json: InstancePollSeconds is 2.5; expected a whole number, 1 or more',
    ],
    [
      { MySQLOrchestratorPort: 70000 },
      'f1.json: MySQLOrchestratorPort is 70000; expected a whole number from 1 to 65535',
    ],
    [{ ReadOnly: 'yes' }, 'f1.json: ReadOnly is "yes"; expected true or false'],
    [
      { DiscoverySeeds: 'a:3306' },
      'f1.json: DiscoverySeeds is "a:3306"; expected a list of text values',
    ],
    [
      { DiscoverySeeds: ['a:3306', 3306] },
      'f1.json: DiscoverySeeds is ["a:3306",3306]; expected a list of text values',
    ],
    [
      { ClusterNameToAlias: { a: 1 } },
      'f1.json: ClusterNameToAlias is {"a":1}; expected a mapping of text to text',
    ],
    [
      { BackendDB: 'postgres' },
      'f1.json: BackendDB is "postgres"; expected one of "sqlite", "mysql" (or "sqlite3")',
    ],
    [
      { HostnameResolveMethod: 'IP' },
      'f1.json: HostnameResolveMethod is "IP"; expected one of "default", "none", "cname", "ip"',
    ],
    [{ ListenAddress: 3000 }, 'f1.json: ListenAddress is 3000; expected text'],
    [
      { MySQLTopologyPassword: 1234 },
      'f1.json: MySQLTopologyPassword is (hidden number); expected text',
    ],
    [
      { DeadInstancePollSecondsMultiplyFactor: 0.5 },
      'f1.json: DeadInstancePollSecondsMultiplyFactor is 0.5; expected a number, 1 or more',
    ],
    [
      { discovery: { seeds: {} } },
      'f1.json: discovery.seeds is {}; expected a list of text values',
    ],
    [{ discovery: 5 }, 'f1.json: "discovery" must be a mapping of discovery options, got 5'],
    [
      { log: { level: 'verbose' } },
      'f1.json: log.level is "verbose"; expected one of "trace", "debug", "info", "warn", "error", "fatal", "silent"',
    ],
  ];
  for (const [doc, expected] of cases) {
    assert.deepEqual(issuesOf([doc]), [expected], JSON.stringify(doc));
  }
});

void test('rules: every problem of every source is reported at once', () => {
  let error: unknown;
  try {
    compile([{ InstancePollSeconds: 'x', ReadOnly: 1 }, { DiscoverySeeds: 'a' }], {
      ORC_DISCOVERY_MAX_CONCURRENCY: 'many',
    });
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof OrcError);
  assert.equal(error.code, 'CONFIG_INVALID');
  assert.equal(
    error.message,
    [
      'invalid configuration, 4 problems:',
      '  - f1.json: InstancePollSeconds is "x"; expected a whole number, 1 or more',
      '  - f1.json: ReadOnly is 1; expected true or false',
      '  - f2.json: DiscoverySeeds is "a"; expected a list of text values',
      '  - environment: ORC_DISCOVERY_MAX_CONCURRENCY is "many"; expected a whole number, 1 or more',
    ].join('\n'),
  );
});

void test("rules: orchestrator's normalisations", () => {
  const cases: [Record<string, unknown>, (c: LoadResult['config']) => unknown, unknown][] = [
    [{ URLPrefix: 'orc/' }, (c) => c.http.urlPrefix, '/orc'],
    [{ URLPrefix: '//orc//' }, (c) => c.http.urlPrefix, '/orc'],
    [{ RaftBind: '10.0.0.1' }, (c) => c.raft.bind, '10.0.0.1:10008'],
    [{ RaftBind: '10.0.0.1' }, (c) => c.raft.advertise, '10.0.0.1:10008'],
    [{ RaftBind: 'a', RaftAdvertise: 'b:99' }, (c) => c.raft.advertise, 'b:99'],
    [
      { RaftNodes: ['n1', 'n2:10010', '::1', '[::2]'], DefaultRaftPort: 7000 },
      (c) => c.raft.nodes,
      ['n1:7000', 'n2:10010', '[::1]:7000', '[::2]:7000'],
    ],
    [{ ConsulMaxKVsPerTransaction: 1 }, (c) => c.kv.consulMaxKvsPerTransaction, 5],
    [{ ConsulMaxKVsPerTransaction: 65 }, (c) => c.kv.consulMaxKvsPerTransaction, 64],
    [{ ConsulMaxKVsPerTransaction: 20 }, (c) => c.kv.consulMaxKvsPerTransaction, 20],
    [
      { ReasonableReplicationLagSeconds: 30 },
      (c) => c.analysis.reasonableLockedSemiSyncPrimarySeconds,
      30,
    ],
    [
      { ReasonableLockedSemiSyncMasterSeconds: 4 },
      (c) => c.analysis.reasonableLockedSemiSyncPrimarySeconds,
      4,
    ],
    [{ BackendDB: 'sqlite3', SQLite3DataFile: 'x.db' }, (c) => c.backend.type, 'sqlite'],
    [{ KVClusterMasterPrefix: 'db/master//' }, (c) => c.kv.clusterPrimaryPrefix, 'db/master/'],
    [{ KVClusterMasterPrefix: '/' }, (c) => c.kv.clusterPrimaryPrefix, '/'],
    [{ Debug: true }, (c) => c.log.level, 'debug'],
    [{ Debug: true, log: { level: 'warn' } }, (c) => c.log.level, 'warn'],
    [{ AutoPseudoGTID: true }, (c) => c.pseudoGtid.monotonicHint, 'asc:'],
    [
      { InstanceWriteBufferSize: 0, BufferInstanceWrites: true },
      (c) => c.discovery.bufferInstanceWrites,
      false,
    ],
  ];
  for (const [doc, pick, expected] of cases) {
    assert.deepEqual(pick(compile([doc]).config), expected, JSON.stringify(doc));
  }
});

void test('rules: clamping and likely mistakes are warnings', () => {
  assert.deepEqual(compile([{ ConsulMaxKVsPerTransaction: 100 }]).warnings, [
    'ConsulMaxKVsPerTransaction (kv.consulMaxKvsPerTransaction) is 100; using 64 (allowed: 5 to 64)',
    'BackendDB (backend.type) is "mysql" but MySQLOrchestratorHost (backend.mysqlHost) is empty; orc cannot reach its backend',
  ]);
  const raft = { enabled: true, dataDir: '/d', nodes: ['a', 'b', 'c'] };
  assert.deepEqual(compile([{ raft }]).warnings, [
    'raft.secret is empty: Raft peers are not authenticated; set the same secret on every node',
  ]);
});
