import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const orc = fileURLToPath(new URL('../../bin/orc.js', import.meta.url));
let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orc-config-cli-'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/orc.js ...args` in the temp dir with only the given ORC_* variables. */
function run(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [orc, ...args], {
      cwd: dir,
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function write(name: string, text: string): Promise<string> {
  await writeFile(join(dir, name), text);
  return name;
}

void test('cli config check: a valid file exits 0, with warnings on stderr', async () => {
  const file = await write(
    'orchestrator.conf.json',
    JSON.stringify({ MySQLOrchestratorHost: 'db', InstancePolSeconds: 4, DiscoverySeeds: ['a:1'] }),
  );
  const result = await run(['config', 'check', file]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^configuration ok\n/);
  assert.match(result.stdout, /format: orchestrator/);
  assert.match(result.stdout, /backend: mysql db:3306\//);
  assert.equal(
    result.stderr,
    'orc: warning: orchestrator.conf.json: unknown option "InstancePolSeconds" ignored; did you mean "InstancePollSeconds"?\n',
  );
});

void test('cli config check: invalid values exit 2 and list every problem', async () => {
  const file = await write(
    'bad.yaml',
    'discovery:\n  instancePollSeconds: "5"\nFailMasterPromotionOnLagMinutes: 3\nFrobnicate: 1\n',
  );
  const result = await run(['config', 'check', file]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.equal(
    result.stderr,
    [
      'orc: warning: bad.yaml: unknown option "Frobnicate" ignored',
      'orc: invalid configuration, 2 problems:',
      '  - bad.yaml: discovery.instancePollSeconds is "5"; expected a whole number, 1 or more',
      '  - FailMasterPromotionOnLagMinutes (recovery.failPrimaryPromotionOnLagMinutes) is 3, which needs ReplicationLagQuery (topology.replicationLagQuery) to be set; it is empty',
      '',
    ].join('\n'),
  );
});

void test('cli config check: unreadable and unparsable files exit 2', async () => {
  const missing = await run(['config', 'check', 'missing.json']);
  assert.equal(missing.code, 2);
  assert.equal(missing.stderr, 'orc: cannot read configuration file missing.json: no such file\n');

  const file = await write('broken.json', '{\n  "ReadOnly": tru\n}\n');
  const broken = await run(['config', 'check', file]);
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /^orc: cannot parse configuration file broken\.json/);
});

void test('cli config dump: effective configuration with secrets masked', async () => {
  const file = await write('secret.yaml', 'topology:\n  password: ${PW}\n');
  const yaml = await run(['config', 'dump', '--config', file], {
    PW: 'hunter2',
    ORC_DISCOVERY_INSTANCE_POLL_SECONDS: '9',
  });
  assert.equal(yaml.code, 0, yaml.stderr);
  assert.match(yaml.stdout, /^ {2}password: "\*\*\*\*"$/m);
  assert.match(yaml.stdout, /^ {2}instancePollSeconds: 9$/m);
  assert.ok(!yaml.stdout.includes('hunter2'));

  const orchestrator = await run(['config', 'dump', '-c', file, '--format', 'orchestrator'], {
    PW: 'hunter2',
  });
  assert.equal(orchestrator.code, 0, orchestrator.stderr);
  const keys = JSON.parse(orchestrator.stdout) as Record<string, unknown>;
  assert.equal(keys.MySQLTopologyPassword, '****');
  assert.equal(keys.InstancePollSeconds, 5);

  const usage = await run(['config', 'dump', '--format', 'toml']);
  assert.equal(usage.code, 2);
  assert.equal(usage.stderr, 'orc: unknown --format "toml": use orc or orchestrator\n');
});
