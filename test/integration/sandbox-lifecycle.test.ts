import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { hasCode } from '../../src/common/errors.js';
import {
  isProcessAlive,
  PRIVATE_PORT_OFFSET,
  readState,
  reserveBasePort,
  Sandbox,
  startTestSandbox,
} from '../../src/sandbox/index.js';

/** The programmatic API's lifecycle: down leaves nothing, failed ups leave nothing running. */

async function scratch(t: TestContext): Promise<{ dir: string; basePort: number }> {
  const reservation = await reserveBasePort({ instances: 3 });
  const dir = await mkdtemp(join(tmpdir(), 'orc-sandbox-life-'));
  t.after(async () => {
    await rm(dir, { recursive: true, force: true });
    await reservation.release();
  });
  return { dir, basePort: reservation.basePort };
}

void test('lifecycle: down stops every server by pid and records it; purge removes the dir', async (t) => {
  const { dir, basePort } = await scratch(t);
  const sb = await Sandbox.up({ dir, basePort, replicas: 2 });
  t.after(() => sb.down({ purge: true }));
  const pids = sb.pids();
  assert.equal(pids.length, 3);

  await sb.down();
  for (const pid of pids) assert.equal(isProcessAlive(pid), false, `pid ${pid}`);
  const state = await readState(dir);
  assert.ok(state.instances.every((i) => i.pid === null));
  assert.equal(existsSync(join(dir, 's1', 'error.log')), true, 'logs kept without purge');
  await sb.down(); // idempotent
  assert.throws(
    () => sb.cut('orc', 's1'),
    (err) => hasCode(err, 'SANDBOX_NOT_RUNNING'),
  );

  // A stopped sandbox's directory can be brought up again.
  const again = await Sandbox.up({ dir, basePort, replicas: 1 });
  assert.equal(again.instances().length, 2);
  await again.down({ purge: true });
  assert.equal(existsSync(dir), false);
});

void test('lifecycle: a taken private port fails up before anything starts', async (t) => {
  const { dir, basePort } = await scratch(t);
  const blocker = createServer().listen(basePort + PRIVATE_PORT_OFFSET, '127.0.0.1');
  t.after(() => blocker.close());
  await new Promise((resolve) => blocker.once('listening', resolve));
  await assert.rejects(
    Sandbox.up({ dir, basePort, replicas: 1 }),
    (err) =>
      hasCode(err, 'SANDBOX_PORT_IN_USE') &&
      err.message.includes(`port ${basePort + PRIVATE_PORT_OFFSET} (private port of s1) is in use`),
  );
  assert.equal(existsSync(join(dir, 's1')), false);
});

void test('lifecycle: a server that fails to start stops the others and says why', async (t) => {
  const { dir, basePort } = await scratch(t);
  // A mariadbd that refuses to run s2 and is the real one otherwise.
  const fake = join(dir, '..', `fake-mariadbd-${process.pid}`);
  await writeFile(
    fake,
    '#!/bin/sh\ncase "$1" in *"/s2/"*) echo "boom: s2 cannot start" >&2; exit 1;; esac\n' +
      'exec /usr/sbin/mariadbd "$@"\n',
  );
  await chmod(fake, 0o755);
  t.after(() => rm(fake, { force: true }));

  await assert.rejects(
    Sandbox.up({ dir, basePort, replicas: 2, mariadbd: fake }),
    (err) =>
      hasCode(err, 'SANDBOX_START_FAILED') &&
      /s2 \(127\.0\.0\.1:\d+\) exited during startup; its log .* boom/.test(err.message),
  );
  const state = await readState(dir);
  assert.deepEqual(
    state.instances.map((i) => i.pid),
    [null, null, null],
  );
  assert.deepEqual(processesMentioning(dir), [], 's1 and s3 were stopped');
});

/** Live pids whose command line mentions `dir`. */
function processesMentioning(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(isProcessAlive);
}

void test('lifecycle: a missing mariadbd is MARIADB_MISSING with the install command', async (t) => {
  const { dir, basePort } = await scratch(t);
  await assert.rejects(
    Sandbox.up({ dir, basePort, mariadbd: '/nonexistent/mariadbd' }),
    (err) =>
      hasCode(err, 'MARIADB_MISSING') && err.message.includes('apt-get install mariadb-server'),
  );
});

void test('lifecycle: the test helper cleans up after the test', async (t) => {
  let pids: number[] = [];
  let dir = '';
  await t.test('inner', async (inner) => {
    const sb = await startTestSandbox(inner, { replicas: 1 });
    pids = sb.pids();
    dir = sb.dir;
  });
  assert.equal(pids.length, 2);
  for (const pid of pids) assert.equal(isProcessAlive(pid), false);
  assert.equal(existsSync(dir), false);
});
