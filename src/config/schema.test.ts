import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coerceFileValue } from './coerce.js';
import { allOptions, orchestratorKeys, retiredOrchestratorKeys, toEnvWord } from './schema.js';
import { closest, editDistance } from './suggest.js';

void test('schema: every option is documented and its defaults pass its own checks', () => {
  for (const o of allOptions) {
    assert.match(o.spec.doc, /^[A-Z0-9`"].*[.)]$/s, `${o.path}: doc should be a sentence`);
    assert.equal(typeof o.spec.reload, 'boolean', o.path);
    for (const value of [o.spec.default, o.spec.orchestratorDefault]) {
      if (value === undefined) continue;
      assert.ok(coerceFileValue(o.spec, value).ok, `${o.path}: default ${JSON.stringify(value)}`);
    }
  }
});

void test('schema: option names, environment variables and orchestrator keys are unique', () => {
  const envs = allOptions.map((o) => o.env);
  assert.equal(new Set(envs).size, envs.length);
  const keys = allOptions.flatMap((o) => o.spec.orchestrator.map((k) => k.key));
  assert.equal(new Set(keys).size, keys.length);
  assert.equal(orchestratorKeys.size, keys.length);
  for (const key of retiredOrchestratorKeys) assert.ok(!orchestratorKeys.has(key), key);
  for (const o of allOptions) assert.match(o.env, /^ORC_[A-Z0-9_]+$/, o.path);
});

void test('schema: secrets are text, and only secrets hold passwords, secrets and tokens', () => {
  for (const o of allOptions) {
    const looksSecret = /password|secret|token/i.test(o.name) && !/expiry/i.test(o.name);
    assert.equal(o.spec.secret, looksSecret, o.path);
    if (o.spec.secret) assert.equal(o.spec.kind, 'string', o.path);
  }
});

void test('schema: environment names follow ORC_<AREA>_<OPTION>', () => {
  const cases: [string, string][] = [
    ['instancePollSeconds', 'INSTANCE_POLL_SECONDS'],
    ['pseudoGtid', 'PSEUDO_GTID'],
    ['sslCaFile', 'SSL_CA_FILE'],
    ['http', 'HTTP'],
  ];
  for (const [camel, env] of cases) assert.equal(toEnvWord(camel), env);
  const byPath = new Map(allOptions.map((o) => [o.path, o.env]));
  assert.equal(byPath.get('discovery.instancePollSeconds'), 'ORC_DISCOVERY_INSTANCE_POLL_SECONDS');
  assert.equal(byPath.get('raft.secret'), 'ORC_RAFT_SECRET');
});

void test('suggest: close names are suggested, far ones are not', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('ABC', 'abc'), 0);
  assert.equal(editDistance('ABC', 'abc', false), 3);
  const cases: [string, string[], string | undefined][] = [
    ['InstancePolSeconds', ['InstancePollSeconds', 'ListenAddress'], 'InstancePollSeconds'],
    ['listenaddress', ['InstancePollSeconds', 'ListenAddress'], 'ListenAddress'],
    ['Frobnicate', ['InstancePollSeconds', 'ListenAddress'], undefined],
    ['seedz', ['seeds', 'Seeds'], 'seeds'],
  ];
  for (const [word, candidates, expected] of cases) {
    assert.equal(closest(word, candidates), expected, word);
  }
});
