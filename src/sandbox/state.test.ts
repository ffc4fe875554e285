import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasCode } from '../common/errors.js';
import { inspectDir, isSandboxEntry, readState } from './state.js';

void test('state: a directory is missing, empty, a sandbox, or foreign', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'orc-state-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  assert.equal(await inspectDir(join(root, 'nope')), 'missing');
  assert.equal(await inspectDir(root), 'empty');

  await mkdir(join(root, 's1'));
  await writeFile(join(root, 'supervisor.log'), '');
  assert.equal(await inspectDir(root), 'empty', 'only leftovers a sandbox makes');
  await writeFile(join(root, 'sandbox.json'), '{}');
  assert.equal(await inspectDir(root), 'sandbox');
  await rm(join(root, 'sandbox.json'));
  await writeFile(join(root, 'thesis.tex'), '');
  assert.equal(await inspectDir(root), 'foreign');

  assert.deepEqual(
    ['s12', 'writes', 'control.sock', 'sandbox.json.123.tmp', 'data', 'sx'].map(isSandboxEntry),
    [true, true, true, true, false, false],
  );
});

void test('state: reading a directory without a state file is SANDBOX_NOT_FOUND', async () => {
  await assert.rejects(
    readState('/nonexistent-orc-dir'),
    (err) => hasCode(err, 'SANDBOX_NOT_FOUND') && err.message.includes('orc sandbox up --dir'),
  );
});
