import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrcError } from '../common/errors.js';
import { loadConfig, parseClientCredentials, parseConfigText } from './load.js';

let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orc-config-test-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** The OrcError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<OrcError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof OrcError, String(err));
    return err;
  }
  assert.fail('expected an OrcError');
}

/** An orchestrator configuration as people deploy it (keys from its sample files). */
const orchestratorSample = `{
  "Debug": false,
  "ListenAddress": ":3000",
  "MySQLTopologyUser": "orchestrator",
  "MySQLTopologyPassword": "\${TOPOLOGY_PASSWORD}",
  "MySQLOrchestratorHost": "127.0.0.1",
  "MySQLOrchestratorPort": 3306,
  "MySQLOrchestratorDatabase": "orchestrator",
  "MySQLOrchestratorUser": "orc_server_user",
  "MySQLOrchestratorPassword": "orc_server_password",
  "SlaveLagQuery": "",
  "DetectClusterAliasQuery": "SELECT SUBSTRING_INDEX(@@hostname, '.', 1)",
  "RecoveryPeriodBlockSeconds": 3600,
  "RecoverMasterClusterFilters": ["_master_pattern_"],
  "PostFailoverProcesses": ["echo '(for all types) Recovered from {failureType} on {failureCluster}' >> /tmp/recovery.log"],
  "ClusterNameToAlias": { "127.0.0.1": "test suite" },
  "RaftEnabled": false
}
`;

void test('load: an unchanged orchestrator JSON file loads', async () => {
  const file = await write('orchestrator.conf.json', orchestratorSample);
  const result = await loadConfig({ files: [file], env: { TOPOLOGY_PASSWORD: 'pw' }, cwd: dir });
  assert.equal(result.format, 'orchestrator');
  assert.deepEqual(result.warnings, []);
  assert.equal(result.config.backend.type, 'mysql');
  assert.equal(result.config.backend.mysqlDatabase, 'orchestrator');
  assert.equal(result.config.topology.password, 'pw');
  assert.deepEqual(result.config.recovery.recoverPrimaryClusterFilters, ['_master_pattern_']);
  assert.deepEqual(result.config.metadata.clusterNameToAlias, { '127.0.0.1': 'test suite' });
});

void test('load: YAML and JSON files, detected by name or by content, later ones win', async () => {
  await write('a.yaml', 'discovery:\n  instancePollSeconds: 4\n  seeds: [a:3306]\n');
  await write('b.yml', 'http:\n  listenAddress: ":3001"\n');
  await write('c.conf', '{ "DiscoverySeeds": ["c:3306"] }');
  await write('d', 'log:\n  level: debug\n');
  const files = ['a.yaml', 'b.yml', 'c.conf', 'd'];
  const result = await loadConfig({ files, env: { ORC_HTTP_LISTEN_ADDRESS: ':4000' }, cwd: dir });
  assert.equal(result.config.discovery.instancePollSeconds, 4);
  assert.deepEqual(result.config.discovery.seeds, ['c:3306']);
  assert.equal(result.config.http.listenAddress, ':4000');
  assert.equal(result.config.log.level, 'debug');
  assert.equal(result.format, 'mixed');
});

void test('load: unparsable files name the file, line and column', async () => {
  const cases: [string, string, string][] = [
    [
      'broken.json',
      '{\n  "ListenAddress": ":3000"\n  "ReadOnly": true\n}\n',
      "at line 3, column 3: Expected ',' or '}' after property value",
    ],
    ['broken.yaml', 'discovery:\n  seeds: [a\n', 'at line 3, column 1: '],
    ['broken.yml', 'a: 1\n  b: 2\n', 'at line 1, column 4: Nested mappings are not allowed'],
  ];
  for (const [name, text, expected] of cases) {
    const file = await write(name, text);
    const err = await failure(loadConfig({ files: [file], env: {}, cwd: dir }));
    assert.equal(err.code, 'CONFIG_UNREADABLE', name);
    assert.ok(err.message.startsWith(`cannot parse configuration file ${file} `), err.message);
    assert.ok(err.message.includes(expected), err.message);
  }
});

void test('load: a missing file is CONFIG_UNREADABLE naming it', async () => {
  const err = await failure(loadConfig({ files: ['nope.json'], env: {}, cwd: dir }));
  assert.equal(err.code, 'CONFIG_UNREADABLE');
  assert.equal(err.message, 'cannot read configuration file nope.json: no such file');
});

void test('load: invalid values in a file are CONFIG_INVALID naming the file', async () => {
  const file = await write('bad.json', '{ "InstancePollSeconds": "5" }');
  const err = await failure(loadConfig({ files: [file], env: {}, cwd: dir }));
  assert.equal(err.code, 'CONFIG_INVALID');
  assert.equal(
    err.message,
    `invalid configuration: ${file}: InstancePollSeconds is "5"; expected a whole number, 1 or more`,
  );
});

void test('load: credentials files override user and password, as in orchestrator', async () => {
  await write('topology.cnf', '[client]\nuser = probe\npassword = "p w#1"\n');
  await write('backend.cnf', '# backend\n[client]\nuser=orc\npassword=${BACKEND_PW}\n');
  await write(
    'creds.json',
    JSON.stringify({
      MySQLTopologyUser: 'ignored',
      MySQLTopologyCredentialsConfigFile: 'topology.cnf',
      MySQLOrchestratorCredentialsConfigFile: 'backend.cnf',
      MySQLOrchestratorHost: 'db',
    }),
  );
  const env = { BACKEND_PW: 'from-env' };
  const { config } = await loadConfig({ files: ['creds.json'], env, cwd: dir });
  assert.equal(config.topology.user, 'probe');
  assert.equal(config.topology.password, 'p w#1');
  assert.equal(config.backend.mysqlUser, 'orc');
  assert.equal(config.backend.mysqlPassword, 'from-env');

  await write('missing-creds.json', '{ "MySQLTopologyCredentialsConfigFile": "none.cnf" }');
  const err = await failure(loadConfig({ files: ['missing-creds.json'], env, cwd: dir }));
  assert.equal(err.message, 'cannot read credentials file none.cnf: no such file');
});

void test('load: my.cnf [client] sections are read like gcfg does', () => {
  const cases: [string, { user: string; password: string }][] = [
    ['[client]\nuser=a\npassword=b\n', { user: 'a', password: 'b' }],
    ['[mysqld]\nuser=x\n[client]\nuser = a ; comment\n', { user: 'a', password: '' }],
    ['[Client]\nUSER=a\nPassword="q\\"t"\n', { user: 'a', password: 'q"t' }],
    ['user=a\n', { user: '', password: '' }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseClientCredentials(text), expected);
});

void test('load: parsing text needs no file', () => {
  assert.deepEqual(parseConfigText('{"ReadOnly": true}', 'x.json'), { ReadOnly: true });
  assert.deepEqual(parseConfigText('ReadOnly: true', 'x.yaml'), { ReadOnly: true });
  assert.deepEqual(parseConfigText('\uFEFF{"a": 1}', 'x'), { a: 1 });
  assert.equal(parseConfigText('  \n', 'x.json'), null);
});
