import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileConfig, readDocument } from '../config/index.js';
import { defaultConfigFiles, logLevel } from './serve-command.js';

void test('serve: default configuration files are the existing ones, orchestrator first', () => {
  const present = new Set([
    '/etc/orchestrator.conf.json',
    '/srv/orchestrator.conf.json',
    '/srv/orc.yaml',
    '/srv/orc.json',
  ]);
  assert.deepEqual(
    defaultConfigFiles('/srv', (p) => present.has(p)),
    ['/etc/orchestrator.conf.json', 'orchestrator.conf.json', 'orc.yaml', 'orc.json'],
  );
  assert.deepEqual(
    defaultConfigFiles('/empty', () => false),
    [],
  );
});

void test('serve: the log level from --debug, log.debug and log.level', () => {
  const config = (doc: unknown) => compileConfig([readDocument(doc, 'test')], { env: {} }).config;
  const cases: [string, unknown, boolean, string][] = [
    ['default', {}, false, 'info'],
    ['--debug', {}, true, 'debug'],
    ['Debug: true lowers info', { Debug: true }, false, 'debug'],
    ['log.debug leaves warn alone', { log: { debug: true, level: 'warn' } }, false, 'warn'],
    ['--debug wins over warn', { log: { level: 'warn' } }, true, 'debug'],
  ];
  for (const [name, doc, flag, expected] of cases) {
    assert.equal(logLevel(config(doc), flag), expected, name);
  }
});
