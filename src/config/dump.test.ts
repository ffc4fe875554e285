import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileConfig } from './compile.js';
import { changedOptions, dumpConfig, MASK, toOrchestratorKeys } from './dump.js';
import { allOptions } from './schema.js';
import { readDocument } from './sources.js';

const secrets = {
  MySQLTopologyPassword: 'topology-pw',
  MySQLOrchestratorPassword: 'backend-pw',
  HTTPAuthPassword: 'http-pw',
  OAuthClientSecret: 'oauth-s3cret',
  ConsulAclToken: 'acl-t0ken',
  MySQLOrchestratorHost: 'db',
  raft: { secret: 'raft-secret' },
};
const { config } = compileConfig([readDocument(secrets, 'secrets.json')]);

void test('dump: set secrets are masked, empty ones stay empty, nothing else changes', () => {
  const dump = dumpConfig(config);
  assert.equal(dump.topology?.password, MASK);
  assert.equal(dump.backend?.mysqlPassword, MASK);
  assert.equal(dump.auth?.password, MASK);
  assert.equal(dump.auth?.oauthClientSecret, MASK);
  assert.equal(dump.kv?.consulAclToken, MASK);
  assert.equal(dump.raft?.secret, MASK);
  assert.equal(dump.backend?.mysqlHost, 'db');
  const empty = dumpConfig(compileConfig([]).config);
  assert.equal(empty.topology?.password, '');
  const text = JSON.stringify(dump);
  const hidden = [
    'topology-pw',
    'backend-pw',
    'http-pw',
    'oauth-s3cret',
    'acl-t0ken',
    'raft-secret',
  ];
  for (const value of hidden) {
    assert.ok(!text.includes(value), value);
  }
  assert.equal(Object.values(dump).flatMap((a) => Object.keys(a)).length, allOptions.length);
});

void test('dump: a dump reads back to the same configuration (apart from secrets)', () => {
  const source = compileConfig([
    readDocument(
      { discovery: { seeds: ['a:1'] }, metadata: { clusterNameToAlias: { x: 'y' } } },
      'a',
    ),
  ]).config;
  const again = compileConfig([readDocument(dumpConfig(source), 'dump.yaml')]);
  assert.deepEqual(again.warnings, []);
  assert.deepEqual(changedOptions(source, again.config), []);
});

void test('dump: orchestrator keys use current names and units, secrets masked', () => {
  const orc = compileConfig([
    readDocument({ SlaveLagQuery: 'select 1', RecoveryPeriodBlockMinutes: 2, ...secrets }, 'o'),
  ]).config;
  const keys = toOrchestratorKeys(orc);
  assert.equal(keys.ReplicationLagQuery, 'select 1');
  assert.equal(keys.RecoveryPeriodBlockSeconds, 120);
  assert.equal(keys.MySQLTopologyPassword, MASK);
  assert.equal(keys.BackendDB, 'mysql');
  for (const legacy of [
    'SlaveLagQuery',
    'RecoveryPeriodBlockMinutes',
    'DetachLostSlavesAfterMasterFailover',
  ]) {
    assert.ok(!(legacy in keys), legacy);
  }
  assert.ok(!('secret' in keys) && !Object.keys(keys).some((k) => k.startsWith('log')));
});

void test('dump: changed options say whether they apply live', () => {
  const a = compileConfig([]).config;
  const b = compileConfig([
    readDocument({ discovery: { instancePollSeconds: 9 }, http: { listenAddress: ':1' } }, 'b'),
  ]).config;
  assert.deepEqual(changedOptions(a, b), [
    { path: 'http.listenAddress', reload: false },
    { path: 'discovery.instancePollSeconds', reload: true },
  ]);
});
