import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { pollUntil } from '../../src/sandbox/index.js';

// `orc serve` as a process: starts from the configuration files given, answers HTTP, and stops
// cleanly with exit code 0 on SIGTERM.

const orc = fileURLToPath(new URL('../../bin/orc.js', import.meta.url));

void test('serve: orc serve starts, answers /api/health, and exits 0 on SIGTERM', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'orc-serve-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(
    join(dir, 'orc.yaml'),
    'http:\n  listenAddress: 127.0.0.1:0\nbackend:\n  sqliteDataFile: orc.db\n',
  );
  const child = spawn(process.execPath, [orc, 'serve', '--config', 'orc.yaml'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
  t.after(() => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  const started = await pollUntil(
    () =>
      stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string; address?: string })
        .find((l) => l.msg === 'service started'),
    {
      description: 'orc serve logs "service started"',
      timeoutMs: 60_000,
      describeLast: () => stderr,
    },
  );
  const health = await fetch(`http://${started.address}/api/health`);
  assert.equal(health.status, 200);

  child.kill('SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0, stderr);
  assert.match(stderr, /"msg":"service stopped"/);
});
