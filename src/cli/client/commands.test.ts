import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { hasCode } from '../../common/errors.js';
import {
  aliasesOf,
  callsOf,
  clientCommands,
  findClientCommand,
  needsOf,
} from './commands/index.js';
import { Inputs, type FlagValues } from './inputs.js';
import { commandHarness, failure } from './testing.js';

const harness = commandHarness();
before(harness.start);
after(harness.stop);
const run = harness.run;

void test('client commands: a missing value is a usage error before any request', async () => {
  const cases: [string, FlagValues, RegExp][] = [
    [
      'topology',
      {},
      /^topology needs -a <alias> or -i <host:port> \(or set ORCHESTRATOR_INSTANCE\)$/,
    ],
    ['which-master', { alias: 'main' }, /^which-master needs -i <host:port>/],
    ['relocate', { instance: 'db2' }, /^relocate needs -d <host:port>$/],
    ['begin-downtime', { instance: 'db2' }, /^begin-downtime needs -r <reason>$/],
    ['tag', { instance: 'db2' }, /^tag needs -t <tag>$/],
    ['api', {}, /^api needs -P <api path>$/],
    [
      'register-candidate',
      { instance: 'db2', promotionRule: 'maybe' },
      /^-R: invalid promotion rule/,
    ],
    ['which-master', { instance: 'db2:port' }, /^-i: /],
  ];
  harness.reply({});
  for (const [command, flags, message] of cases) {
    const err = await run(command, flags).catch((e: unknown) => e);
    assert.ok(hasCode(err, 'USAGE'), `${command}: ${String(err)}`);
    assert.match(err.message, message, command);
  }
  assert.equal(harness.requests().length, 0);
});

void test('client commands: -i defaults to ORCHESTRATOR_INSTANCE, the owner to the user', () => {
  const env = { ORCHESTRATOR_INSTANCE: 'local:3307' };
  const given = new Inputs({}, env, () => 'alice');
  assert.equal(given.instancePath(), 'local/3307');
  assert.equal(given.text('owner'), 'alice');
  assert.equal(given.text('duration'), '10m');
  assert.equal(given.promotionRule(), 'prefer');
  assert.equal(new Inputs({ instance: 'x' }, env, () => 'a').instancePath(), 'x/3306');
  assert.throws(
    () => new Inputs({ defaultPort: '0' }, {}),
    (e: unknown) => hasCode(e, 'USAGE'),
  );
});

void test('client commands: an API failure surfaces as its Message; api prints it and exits 1', async () => {
  harness.reply({ 'instance/db9/3306': failure('Cannot read instance: db9:3306') });
  const err = await run('which-master', { instance: 'db9' }).catch((e: unknown) => e);
  assert.ok(hasCode(err, 'API_ERROR'));
  assert.equal(err.message, 'Cannot read instance: db9:3306');

  const raw = await run('api', { path: 'instance/db9/3306' });
  assert.equal(raw.exitCode, 1);
  const body = JSON.parse(raw.stdout) as { Message?: unknown };
  assert.equal(body.Message, 'Cannot read instance: db9:3306');
});

void test('client commands: the table has unique names and every issue command', () => {
  const names = clientCommands.flatMap((c) => [c.name, ...aliasesOf(c)]);
  assert.equal(new Set(names).size, names.length, 'names and aliases are unique');
  const required = [
    'clusters',
    'clusters-alias',
    'all-clusters-masters',
    'all-instances',
    'topology',
    'topology-tabulated',
    'topology-tags',
    'which-instance',
    'which-master',
    'which-replicas',
    'which-broken-replicas',
    'which-cluster',
    'which-cluster-alias',
    'which-cluster-master',
    'which-cluster-instances',
    'instance-status',
    'search',
    'discover',
    'async-discover',
    'refresh',
    'forget',
    'forget-cluster',
    'begin-downtime',
    'end-downtime',
    'downtimed',
    'begin-maintenance',
    'end-maintenance',
    'in-maintenance',
    'register-candidate',
    'tag',
    'untag',
    'untag-all',
    'tags',
    'tag-value',
    'tagged',
    'set-cluster-alias',
    'problems',
    'api',
    'which-api',
    'leader-check',
    'raft-leader',
    'raft-health',
  ];
  for (const name of required) assert.ok(findClientCommand(name), name);
  for (const command of clientCommands) {
    assert.doesNotThrow(() => needsOf(command), command.name);
    assert.ok(callsOf(command) !== '', command.name);
  }
  assert.equal(findClientCommand('stop-slave-nice')?.name, 'stop-replica-nice');
  assert.equal(findClientCommand('replication-analysis')?.name, 'replication-analysis');
  assert.deepEqual(aliasesOf(findClientCommand('delay-replication') ?? clientCommands[0]!), []);
});

void test('client commands: docs/cli.md documents every command', async () => {
  const docs = await readFile(new URL('../../../docs/cli.md', import.meta.url), 'utf8');
  const undocumented = clientCommands.filter((c) => !docs.includes(`\`${c.name}\``));
  assert.deepEqual(
    undocumented.map((c) => c.name),
    [],
  );
});
