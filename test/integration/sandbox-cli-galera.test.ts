import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  isProcessAlive,
  pollUntil,
  reserveBasePort,
  type GaleraSandboxState,
  type GaleraStatus,
} from '../../src/sandbox/index.js';

/** `orc sandbox up --galera 3` through the supervisor, end to end. */

const orcBin = join(import.meta.dirname, '..', '..', 'bin', 'orc.js');

function orc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [orcBin, 'sandbox', ...args],
      { timeout: 180_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

async function orcJson<T>(args: string[]): Promise<T> {
  const run = await orc([...args, '--json']);
  assert.equal(run.code, 0, `orc sandbox ${args.join(' ')}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

void test('cli galera: up --galera 3, kill and restart a member, down', async (t) => {
  const reservation = await reserveBasePort({ instances: 40 });
  // Galera members run as user mysql (rsync SST): every parent must be traversable.
  const dir = await mkdtemp(join(tmpdir(), 'orc-sandbox-galera-cli-'));
  const base = ['--dir', dir];
  t.after(async () => {
    await orc(['down', '--purge', ...base]);
    await rm(dir, { recursive: true, force: true });
    await reservation.release();
  });

  const state = await orcJson<GaleraSandboxState>([
    'up',
    ...base,
    '--galera',
    '3',
    '--base-port',
    String(reservation.basePort),
  ]);
  assert.equal(state.kind, 'galera');
  assert.deepEqual(
    state.instances.map((i) => i.name),
    ['node1', 'node2', 'node3'],
  );
  const synced = (s: GaleraStatus, size: number): boolean =>
    s.members
      .filter((m) => m.alive)
      .every((m) => m.clusterSize === size && m.localStateComment === 'Synced');

  const status = await orcJson<GaleraStatus>(['status', ...base]);
  assert.ok(synced(status, 3), JSON.stringify(status));

  assert.equal((await orc(['kill', 'node3', ...base])).code, 0);
  await pollUntil(
    async () => {
      const s = await orcJson<GaleraStatus>(['status', ...base]);
      return synced(s, 2) && s.members.filter((m) => m.alive).length === 2 ? s : undefined;
    },
    { description: 'node1 and node2 form a cluster of 2', timeoutMs: 60_000 },
  );
  assert.equal((await orc(['start', 'node3', ...base])).code, 0);
  assert.ok(synced(await orcJson<GaleraStatus>(['status', ...base]), 3));

  const lag = await orc(['lag', 'node2', '3', ...base]);
  assert.equal(lag.code, 2);
  assert.match(lag.stderr, /lag is not available for a galera sandbox/);

  const pids = [
    state.supervisorPid,
    ...(await orcJson<GaleraStatus>(['status', ...base])).members.map((m) => m.pid),
  ];
  const down = await orc(['down', ...base]);
  assert.equal(down.code, 0, down.stderr);
  for (const pid of pids) assert.equal(isProcessAlive(pid as number), false, `pid ${pid}`);
});
