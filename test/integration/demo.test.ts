import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

// `orc demo --check` end to end: a real sandbox, orc serve on SQLite, discovery compared
// with the sandbox's plan, everything stopped afterwards.

const orc = join(import.meta.dirname, '../../bin/orc.js');

async function demoCheck(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(
      process.execPath,
      [orc, 'demo', '--check', '--dir', dir, '--http-port', '0'],
      { timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

void test('demo: --check discovers the whole sandbox tree and stops everything', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'orc-demo-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const first = await demoCheck(dir);
  assert.equal(first.code, 0, first.stderr);
  // A second run in the same directory must not see the first run's (gone) instances.
  const run = await demoCheck(dir);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /demo check passed: orc discovered all 4 instances/);
  const tree = run.stdout.split('\n').filter((line) => /^\s*[+-]? ?127\.0\.0\.1:\d+/.test(line));
  assert.equal(tree.length, 4, run.stdout);
  assert.match(tree[0] ?? '', /^127\.0\.0\.1:\d+ +\[0s,ok,.*,rw,/);
  assert.equal(tree.filter((line) => line.startsWith('  + ')).length, 1, 'one chained replica');
  assert.ok(
    tree.slice(1).every((line) => /,ro,/.test(line)),
    'replicas are read-only',
  );
});
