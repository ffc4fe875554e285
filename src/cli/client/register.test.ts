import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Command, CommanderError } from 'commander';
import { hasCode } from '../../common/errors.js';
import { basicAuth, registerClientCommands, takeCommandName } from './register.js';
import { envelope, startFakeApi, type FakeApi } from './testing.js';

let api: FakeApi;
let follower: FakeApi;
before(async () => {
  api = await startFakeApi({
    'leader-check': { json: 'OK' },
    'topology/db2:3306': envelope('db1:3306 [0s,ok]\n+ db2:3306 [0s,ok]'),
    'topology/main': envelope('db1:3306 [0s,ok]'),
    'clusters-info': { json: [{ ClusterName: 'db1:3306', ClusterAlias: 'main' }] },
    'instance-replicas/db1/3306': { json: [{ Key: { Hostname: 'db2', Port: 3306 } }] },
    'begin-downtime/db2/3306/ops/maintenance%20window/1h': envelope({
      Hostname: 'db2',
      Port: 3306,
    }),
  });
  follower = await startFakeApi({ 'leader-check': { status: 404, json: 'Not leader' } });
});
after(async () => {
  await api.close();
  await follower.close();
});

interface Outcome {
  stdout: string;
  exitCode: number;
  configFiles?: string[];
}

/** Parses `args` like `orc args…` on a fresh program with the client commands registered. */
async function orc(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const outcome: Outcome = { stdout: '', exitCode: 0 };
  const program = new Command('orc').exitOverride().configureOutput({
    writeOut: (text) => (outcome.stdout += text),
    writeErr: () => undefined,
  });
  program
    .command('config')
    .command('dump')
    .option('-c, --config <files...>')
    .action((options: { config?: string[] }) => {
      outcome.configFiles = options.config ?? [];
    });
  registerClientCommands(program, {
    env,
    write: (text) => (outcome.stdout += text),
    setExitCode: (code) => (outcome.exitCode = code),
    username: () => 'tester',
  });
  await program.parseAsync(args, { from: 'user' });
  return outcome;
}

const drawing = 'db1:3306 [0s,ok]\n+ db2:3306 [0s,ok]\n';

void test('client cli: `orc topology -i X` and `orc -c topology -i X` print the same', async () => {
  const styles: string[][] = [
    ['topology', '-i', 'db2:3306', '--api', api.url],
    ['-c', 'topology', '-i', 'db2:3306', '--api', api.url],
    ['--api', api.url, '-c', 'topology', '-i', 'db2:3306'],
    ['--api', api.url, 'topology', '-i', 'db2:3306'],
    ['-i', 'db2:3306', '-c', 'topology', '-U', api.url],
    ['--command', 'topology', '--instance=db2:3306', `--api=${api.url}`],
    ['-command', 'topology', '-i', 'db2:3306', '-api', api.url],
    ['--command=topology', '-i', 'db2:3306', '--api', `${api.url}/api/`],
  ];
  for (const args of styles) {
    assert.deepEqual(await orc(args), { stdout: drawing, exitCode: 0 }, args.join(' '));
  }
});

void test('client cli: orchestrator-client single-dash long options are understood', async () => {
  const result = await orc(['-c', 'topology', '-alias', 'main', '-api', api.url]);
  assert.equal(result.stdout, 'db1:3306 [0s,ok]\n');
  const downtime = await orc([
    'begin-downtime',
    '-i',
    'db2',
    '-owner',
    'ops',
    '-reason',
    'maintenance window',
    '-duration=1h',
    '-api',
    api.url,
  ]);
  assert.equal(downtime.stdout, 'db2:3306\n');
});

void test('client cli: --json before or after the command name', async () => {
  const expected = `${JSON.stringify([{ ClusterName: 'db1:3306', ClusterAlias: 'main' }], null, 2)}\n`;
  for (const args of [
    ['--json', 'clusters', '--api', api.url],
    ['clusters', '--json', '--api', api.url],
    ['--json', '-c', 'clusters', '--api', api.url],
  ]) {
    assert.equal((await orc(args)).stdout, expected, args.join(' '));
  }
});

void test('client cli: "slave" names and the API from ORC_API or ORCHESTRATOR_API', async () => {
  const replicas = 'db2:3306\n';
  assert.equal((await orc(['which-slaves', '-i', 'db1'], { ORC_API: api.url })).stdout, replicas);
  assert.equal(
    (await orc(['-c', 'which-slaves', '-i', 'db1'], { ORCHESTRATOR_API: api.url })).stdout,
    replicas,
  );
  const both = { ORC_API: api.url, ORCHESTRATOR_API: 'http://127.0.0.1:9' };
  assert.equal((await orc(['-c', 'which-replicas', '-i', 'db1'], both)).stdout, replicas);
});

void test('client cli: with several APIs the leader is found; which-api prints it', async () => {
  const env = { ORCHESTRATOR_API: `${follower.url}/api ${api.url}/api` };
  assert.equal((await orc(['which-api'], env)).stdout, `${api.url}/api\n`);
  assert.equal((await orc(['-c', 'topology', '-i', 'db2:3306'], env)).stdout, drawing);
});

void test('client cli: leader-check lists each node and exits 1 without a leader', async () => {
  const one = await orc(['leader-check', '--api', follower.url]);
  assert.deepEqual(one, { stdout: `${follower.url}/api\t404 "Not leader"\n`, exitCode: 1 });
  const two = await orc(['-c', 'leader-check', '--api', `${follower.url},${api.url}`]);
  assert.equal(two.exitCode, 0);
  assert.equal(two.stdout.split('\n')[1], `${api.url}/api\t200 "OK"`);
});

void test('client cli: -c does not swallow the -c of another command', async () => {
  const result = await orc(['config', 'dump', '-c', 'a.yaml', 'b.yaml']);
  assert.deepEqual(result.configFiles, ['a.yaml', 'b.yaml']);
});

void test('client cli: unknown commands are usage errors with a suggestion', async () => {
  const cases: [string[], RegExp][] = [
    [['-c', 'topolgy'], /^unknown command "topolgy" \(did you mean "topology"\?\); see orc help$/],
    [['which-mastr', '-i', 'x'], /did you mean "which-master"/],
    [['confg'], /did you mean "config"/],
    [['-c', 'zzzzzzzzzz'], /^unknown command "zzzzzzzzzz"; see orc help$/],
    [['-i', 'db1'], /^no command given/],
  ];
  for (const [args, message] of cases) {
    const err = await orc(args).catch((e: unknown) => e);
    assert.ok(hasCode(err, 'USAGE'), `${args.join(' ')}: ${String(err)}`);
    assert.match(err.message, message);
  }
});

void test('client cli: no arguments shows help as an error; -c help shows it on stdout', async () => {
  const err = await orc([]).catch((e: unknown) => e);
  assert.ok(err instanceof CommanderError && err.exitCode !== 0);
  const help = await orc(['-c', 'help']);
  assert.match(help.stdout, /Information commands:\n {2}clusters /);
  assert.match(help.stdout, /Meta commands:/);
});

void test('client cli: missing -i is a usage error, whichever style', async () => {
  for (const args of [['which-master'], ['-c', 'which-master']]) {
    const err = await orc([...args, '--api', api.url]).catch((e: unknown) => e);
    assert.ok(hasCode(err, 'USAGE'), String(err));
    assert.equal(err.message, 'which-master needs -i <host:port> (or set ORCHESTRATOR_INSTANCE)');
  }
});

void test('client cli: -c is found anywhere, once; the rest keeps its order', () => {
  assert.deepEqual(takeCommandName(['-i', 'x', '-c', 'topology', '-a', 'y'], undefined), {
    name: 'topology',
    rest: ['-i', 'x', '-a', 'y'],
  });
  assert.deepEqual(takeCommandName(['-i', 'x'], 'clusters'), {
    name: 'clusters',
    rest: ['-i', 'x'],
  });
  assert.deepEqual(takeCommandName(['-i', 'x', '-c'], undefined), {
    name: undefined,
    rest: ['-i', 'x', '-c'],
  });
});

void test('client cli: basic auth from -b, else from the environment', () => {
  const env = { ORCHESTRATOR_AUTH_USER: 'env', ORCHESTRATOR_AUTH_PASSWORD: 'pw' };
  assert.deepEqual(basicAuth('me:a:b', env), { user: 'me', password: 'a:b' });
  assert.deepEqual(basicAuth(undefined, env), { user: 'env', password: 'pw' });
  assert.deepEqual(basicAuth(':', {}), undefined);
  assert.deepEqual(basicAuth('me', {}), { user: 'me', password: '' });
});
