import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import {
  isProcessAlive,
  pollUntil,
  readState,
  reserveBasePort,
  type ReplicationSandboxState,
  type SandboxStatus,
} from '../../src/sandbox/index.js';

/** `orc sandbox …` end to end, as a user runs it, and what it does with bad input. */

const orcBin = join(import.meta.dirname, '..', '..', 'bin', 'orc.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function orc(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [orcBin, 'sandbox', ...args],
      { env: { ...process.env, ...env }, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function orcJson<T>(args: string[]): Promise<T> {
  const run = await orc([...args, '--json']);
  assert.equal(run.code, 0, `orc sandbox ${args.join(' ')}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** Pids of processes whose command line mentions `dir` (none may survive a down). */
function processesMentioning(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
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

async function scratch(t: TestContext): Promise<{ dir: string; basePort: number }> {
  const reservation = await reserveBasePort({ instances: 3 });
  const dir = await mkdtemp(join(tmpdir(), 'orc-sandbox-cli-'));
  t.after(async () => {
    // Last resort if an assertion failed half-way: the sandbox's own down, then the dir.
    if (processesMentioning(dir).length > 0) await orc(['down', '--dir', dir]);
    await rm(dir, { recursive: true, force: true });
    await reservation.release();
  });
  return { dir, basePort: reservation.basePort };
}

void test('cli: up, status, cut, heal, write, verify, kill and down on a real sandbox', async (t) => {
  const { dir, basePort } = await scratch(t);
  const base = ['--dir', dir];

  const state = await orcJson<ReplicationSandboxState>([
    'up',
    ...base,
    '--base-port',
    String(basePort),
    '--replicas',
    '2',
  ]);
  assert.deepEqual(
    state.instances.map((i) => [i.name, i.publicPort, i.plannedSource]),
    [
      ['s1', basePort, null],
      ['s2', basePort + 1, 's1'],
      ['s3', basePort + 2, 's1'],
    ],
  );
  const recorded = [state.supervisorPid, ...state.instances.map((i) => i.pid)];
  assert.ok(
    recorded.every((pid) => pid !== null && isProcessAlive(pid)),
    'all processes run',
  );

  const status = await orcJson<SandboxStatus>(['status', ...base]);
  for (const name of ['s2', 's3']) {
    const inst = status.instances.find((i) => i.name === name);
    assert.equal(inst?.replication?.ioRunning, 'Yes');
    assert.equal(inst?.replication?.sqlRunning, 'Yes');
  }
  const text = await orc(['status', ...base]);
  assert.match(text.stdout, /^NAME\s+ADDRESS\s+ROLE/m);
  assert.match(text.stdout, /links: all pass/);

  assert.equal((await orc(['cut', 's2', String(basePort), '--mode', 'reset', ...base])).code, 0);
  await pollUntil(
    async () => {
      const s = await orcJson<SandboxStatus>(['status', ...base]);
      const s2 = s.instances.find((i) => i.name === 's2');
      return s2?.replication?.ioRunning === 'Connecting' && s.cuts.length === 1 ? s : undefined;
    },
    { description: 's2 reports Connecting after `cut s2 s1 --mode reset`', timeoutMs: 15_000 },
  );
  const healed = await orc(['heal', 's2', 's1', ...base]);
  assert.match(healed.stdout, /healed s2 → s1/);

  const write = await orcJson<{ acked: number; run: string }>([
    'write',
    ...base,
    '--rate',
    '50',
    '--duration',
    '1.5',
  ]);
  assert.ok(write.acked > 0, 'some writes acknowledged');
  await pollUntil(
    async () => ((await orc(['verify-writes', 's2', ...base])).code === 0 ? true : undefined),
    { description: 'every acknowledged write is on s2', timeoutMs: 15_000 },
  );
  const verified = await orcJson<{ missing: number[]; acked: number }>([
    'verify-writes',
    's3',
    ...base,
    '--run',
    write.run,
  ]);
  assert.deepEqual(verified.missing, []);
  assert.equal(verified.acked, write.acked);

  assert.match(
    (await orc(['kill', 's1', ...base])).stdout,
    /s1 \(127\.0\.0\.1:\d+, pid \d+\) killed/,
  );
  await pollUntil(
    async () => {
      const s = await orcJson<SandboxStatus>(['status', ...base]);
      const s2 = s.instances.find((i) => i.name === 's2')?.replication;
      return s2?.ioRunning === 'Connecting' && s2.lastIoErrno === 2003 ? s : undefined;
    },
    { description: 's2 reports Connecting, errno 2003, after kill s1', timeoutMs: 15_000 },
  );

  const down = await orc(['down', ...base]);
  assert.equal(down.code, 0, down.stderr);
  for (const pid of recorded) assert.equal(isProcessAlive(pid as number), false, `pid ${pid}`);
  assert.deepEqual(processesMentioning(dir), []);
  const after = await readState(dir);
  assert.ok(after.instances.every((i) => i.pid === null));
  assert.match((await orc(['status', ...base])).stderr, /no sandbox is running in/);

  const purge = await orc(['down', '--purge', ...base]);
  assert.equal(purge.code, 0, purge.stderr);
  assert.match((await orc(['status', ...base])).stderr, /is not a sandbox directory/);
});

void test('cli: down stops the recorded servers even when the supervisor was killed', async (t) => {
  const { dir, basePort } = await scratch(t);
  const base = ['--dir', dir];
  const state = await orcJson<ReplicationSandboxState>([
    'up',
    ...base,
    '--base-port',
    String(basePort),
    '--replicas',
    '1',
  ]);
  const supervisor = state.supervisorPid as number;
  process.kill(supervisor, 'SIGKILL');
  await pollUntil(() => (isProcessAlive(supervisor) ? undefined : true), {
    description: 'the supervisor is gone',
  });
  const servers = state.instances.map((i) => i.pid as number);
  assert.ok(servers.every(isProcessAlive), 'its servers outlive it');
  assert.match(
    (await orc(['status', ...base])).stderr,
    /no sandbox is running in .* \(no supervisor answered/,
  );

  const down = await orc(['down', ...base]);
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /no supervisor answered: stopped the recorded pids/);
  for (const pid of servers) assert.equal(isProcessAlive(pid), false, `pid ${pid}`);
  assert.deepEqual(processesMentioning(dir), []);
});

/** Starts `orc sandbox up`, sends SIGINT once `ready(dir)` holds, and returns how it ended. */
async function interruptedUp(
  dir: string,
  basePort: number,
  ready: (dir: string) => boolean,
): Promise<Run> {
  const child = spawn(
    process.execPath,
    [orcBin, 'sandbox', 'up', '--dir', dir, '--base-port', String(basePort), '--replicas', '2'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');
  await pollUntil(() => (ready(dir) ? true : undefined), {
    description: 'up reaches the point to interrupt',
    timeoutMs: 60_000,
    intervalMs: 10,
  });
  child.kill('SIGINT');
  const [code] = (await exited) as [number | null];
  return { code: code ?? 1, stdout, stderr };
}

const mentions = (what: string) => (dir: string) =>
  processesMentioning(dir).some((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(what);
    } catch {
      return false;
    }
  });

for (const [when, ready] of [
  ['as soon as the supervisor exists', mentions('supervise')],
  ['once a server runs', mentions('--defaults-file')],
] as const) {
  void test(`cli: Ctrl-C during up ${when} stops everything it started`, async (t) => {
    const { dir, basePort } = await scratch(t);
    const run = await interruptedUp(dir, basePort, ready);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /interrupted: nothing left running/);
    assert.deepEqual(processesMentioning(dir), []);
    assert.equal(existsSync(join(dir, 's1')), false, 'no datadir is left behind');
  });
}

void describe('cli: bad input gives a clear message, a non-zero exit, and nothing running', () => {
  void test('a taken public port is named before anything starts', async (t) => {
    const { dir, basePort } = await scratch(t);
    const blocker = createServer().listen(basePort + 1, '127.0.0.1');
    await once(blocker, 'listening');
    t.after(() => blocker.close());
    const run = await orc(['up', '--dir', dir, '--base-port', String(basePort)]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(`port ${basePort + 1} \\(public address of s2\\) is in use`),
    );
    assert.deepEqual(processesMentioning(dir), []);
  });

  const cases: { name: string; args: (dir: string) => string[]; code: number; message: RegExp }[] =
    [
      {
        name: 'status of a directory that is not a sandbox',
        args: (dir) => ['status', '--dir', dir],
        code: 2,
        message: /is not a sandbox directory \(no sandbox\.json\): start one with `orc sandbox up/,
      },
      {
        name: 'down of a directory that is not a sandbox',
        args: (dir) => ['down', '--dir', dir],
        code: 2,
        message: /is not a sandbox directory/,
      },
      {
        name: 'an unknown shape',
        args: (dir) => ['up', '--dir', dir, '--shape', 'ring'],
        code: 2,
        message: /--shape must be one of star, chain, tree, co-primary, got "ring"/,
      },
      {
        name: 'a tree with too few replicas',
        args: (dir) => ['up', '--dir', dir, '--shape', 'tree', '--replicas', '1'],
        code: 2,
        message: /shape tree needs at least 2 replicas, got 1/,
      },
      {
        name: 'lag without an amount',
        args: (dir) => ['lag', 's2', '--dir', dir],
        code: 2,
        message: /lag needs exactly one of SECONDS, --stop-applier, --start-applier/,
      },
      {
        name: 'a run name that is a path is refused',
        args: (dir) => ['write', '--dir', dir, '--run', '../../evil'],
        code: 2,
        message: /bad run name "\.\.\/\.\.\/evil": use 1 to 64 letters, digits, "-" or "_"/,
      },
      {
        name: 'more replicas than known to work are refused up front',
        args: (dir) => ['up', '--dir', dir, '--replicas', '60'],
        code: 2,
        message: /a sandbox has at most 40 replicas, got 60/,
      },
      {
        name: 'replication options do not apply with --galera',
        args: (dir) => ['up', '--dir', dir, '--galera', '3', '--shape', 'chain', '--semi-sync'],
        code: 2,
        message: /--shape, --semi-sync do not apply with --galera/,
      },
    ];
  for (const c of cases) {
    void test(c.name, async (t) => {
      const { dir } = await scratch(t);
      const run = await orc(c.args(dir));
      assert.equal(run.code, c.code, run.stderr);
      assert.match(run.stderr, c.message);
      assert.deepEqual(processesMentioning(dir), []);
    });
  }

  void test('a --dir that is a regular file is named as a file', async (t) => {
    const { dir } = await scratch(t);
    const file = join(dir, 'plain');
    await writeFile(file, 'x');
    const run = await orc(['up', '--dir', file]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /plain is a file, not a directory/);
    assert.doesNotMatch(run.stderr, /ENOTDIR/);
  });

  void test('up --help describes --galera as working', async () => {
    const run = await orc(['up', '--help']);
    assert.doesNotMatch(run.stdout, /not wired yet/);
    assert.match(run.stdout, /--galera <nodes>\s+a Galera cluster of N nodes/);
  });

  void test('a directory holding other files is refused and left alone', async (t) => {
    const { dir, basePort } = await scratch(t);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const run = await orc(['up', '--dir', dir, '--base-port', String(basePort)]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /holds files that are not a sandbox's: choose an empty or new directory/,
    );
    assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine');
  });

  void test('a missing mariadbd says how to install it', async (t) => {
    const { dir, basePort } = await scratch(t);
    const run = await orc(['up', '--dir', dir, '--base-port', String(basePort)], {
      ORC_MARIADBD: '/nonexistent/mariadbd',
    });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /mariadbd not found at \/nonexistent\/mariadbd: .*apt-get install mariadb-server/,
    );
    assert.deepEqual(processesMentioning(dir), []);
  });

  void test('an unknown instance lists the valid names; a second up is refused', async (t) => {
    const { dir, basePort } = await scratch(t);
    const base = ['--dir', dir];
    assert.equal(
      (await orc(['up', ...base, '--base-port', String(basePort), '--replicas', '1'])).code,
      0,
    );
    t.after(async () => {
      await orc(['down', ...base]);
    });

    const kill = await orc(['kill', 's7', ...base]);
    assert.equal(kill.code, 2);
    assert.match(
      kill.stderr,
      new RegExp(
        `unknown instance "s7": valid instances are s1 \\(127\\.0\\.0\\.1:${basePort}\\), s2`,
      ),
    );
    const cut = await orc(['cut', 's1', 'orc', ...base]);
    assert.equal(cut.code, 2);
    assert.match(cut.stderr, /a link ends at a server, not at orc/);

    const first = await orc(['write', ...base, '--run', 'r1', '--duration', '0.3']);
    assert.equal(first.code, 0, first.stderr);
    const reused = await orc(['write', ...base, '--run', 'r1', '--duration', '0.3']);
    assert.equal(reused.code, 2);
    assert.match(reused.stderr, /run "r1" already exists in .*: choose another --run/);
    const nope = await orc(['verify-writes', 's2', ...base, '--run', 'nope']);
    assert.equal(nope.code, 2);
    assert.match(nope.stderr, /write run "nope" does not exist in .*: existing runs are r1/);

    assert.equal((await orc(['stop', 's1', ...base])).code, 0);
    const stopped = await orc(['verify-writes', 's1', ...base, '--run', 'r1']);
    assert.equal(stopped.code, 1);
    assert.match(
      stopped.stderr,
      /s1 \(127\.0\.0\.1:\d+\) is down: start it with `orc sandbox start s1/,
    );
    const nowhere = await orc(['write', ...base, '--duration', '0.5']);
    assert.equal(nowhere.code, 1);
    assert.match(nowhere.stderr, /no server is writable \(all are read_only or down\)/);
    assert.equal((await orc(['start', 's1', ...base])).code, 0);

    const again = await orc(['up', ...base, '--base-port', String(basePort + 50)]);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /a sandbox is already running in .*: stop it with `orc sandbox down/,
    );

    const state = await readState(dir);
    const down = await orc(['down', ...base]);
    assert.equal(down.code, 0, down.stderr);
    for (const pid of [state.supervisorPid, ...state.instances.map((i) => i.pid)]) {
      assert.equal(isProcessAlive(pid as number), false);
    }
  });
});
