import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { hasCode } from '../../src/common/errors.js';
import { LinkProxy } from '../../src/sandbox/galera-proxy.js';
import {
  startGaleraCluster,
  type GaleraCluster,
  type GaleraMemberStatus,
} from '../../src/sandbox/galera.js';
import { reserveBasePort } from '../../src/sandbox/free-ports.js';

// One real 3-node Galera cluster (MariaDB 10.11 + galera-4) walked through its failure modes
// in order. Timings are printed as diagnostics, never asserted.

const WAIT_MS = 60_000;

function byName(all: GaleraMemberStatus[], name: string): GaleraMemberStatus {
  const s = all.find((x) => x.name === name);
  assert.ok(s, `no status for ${name}`);
  return s;
}

function primaryOf(all: GaleraMemberStatus[], names: string[], size: number): boolean {
  return names.every((n) => {
    const s = byName(all, n);
    return s.clusterStatus === 'Primary' && s.ready === true && s.clusterSize === size;
  });
}

function allSynced(all: GaleraMemberStatus[], size: number): boolean {
  return all.every(
    (s) =>
      s.clusterStatus === 'Primary' && s.localStateComment === 'Synced' && s.clusterSize === size,
  );
}

/** Galera's plan spans 40 ports from its base; reserve them like every other sandbox test. */
async function reserveGaleraPorts(t: TestContext): Promise<number> {
  const reservation = await reserveBasePort({ instances: 40 });
  t.after(() => reservation.release());
  return reservation.basePort;
}

async function startOnFreePorts(t: TestContext, dir: string): Promise<GaleraCluster> {
  const basePort = await reserveGaleraPorts(t);
  return startGaleraCluster({ dir: join(dir, 'c'), basePort });
}

async function query<T extends RowDataPacket>(port: number, sql: string): Promise<T[]> {
  const conn = await createConnection({ host: '127.0.0.1', port, user: 'orc', password: 'orc' });
  try {
    await conn.query('SET SESSION wsrep_sync_wait = 1');
    const [rows] = await conn.query<T[]>(sql);
    return rows;
  } finally {
    await conn.end();
  }
}

function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function timed<T>(t: TestContext, what: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await fn();
  t.diagnostic(`${what}: ${((performance.now() - start) / 1000).toFixed(2)} s`);
  return result;
}

void test('sandbox galera: a 3-member cluster survives kill, partition and lost quorum', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'orc-galera-test-'));
  await chmod(dir, 0o755); // rsync SST runs as mysql when the tests run as root
  const seenPids = new Set<number>();
  const remember = (c: GaleraCluster): void => {
    for (const m of c.members) if (m.pid !== undefined) seenPids.add(m.pid);
  };
  const started: { cluster?: GaleraCluster } = {};
  t.after(async () => {
    await started.cluster?.down({ purge: true });
    await rm(dir, { recursive: true, force: true });
  });
  const cluster = await timed(t, 'form 3 members', () => startOnFreePorts(t, dir));
  started.cluster = cluster;
  remember(cluster);
  const [n1, n2, n3] = cluster.members;
  assert.ok(n1 && n2 && n3);

  await t.test('every member is Synced in a Primary view of 3', async () => {
    const status = await cluster.status();
    assert.ok(allSynced(status, 3), JSON.stringify(status));
    assert.ok(cluster.members.every((m) => m.alive && m.pid !== undefined));
  });

  await t.test('a write on any member is visible on all, through the orc account', async () => {
    await query(n1.port, 'CREATE DATABASE galera_check');
    await query(
      n1.port,
      'CREATE TABLE galera_check.t (id INT AUTO_INCREMENT PRIMARY KEY, via INT)',
    );
    for (const m of cluster.members)
      await query(m.port, `INSERT INTO galera_check.t (via) VALUES (${m.port})`);
    for (const m of cluster.members) {
      const rows = await query<RowDataPacket>(
        m.port,
        'SELECT via FROM galera_check.t ORDER BY via',
      );
      assert.deepEqual(
        rows.map((r) => Number(r.via)),
        cluster.members.map((x) => x.port),
        `rows seen on ${m.name}`,
      );
    }
  });

  await t.test('a killed member leaves a Primary view of 2, and rejoins Synced', async () => {
    await cluster.kill('node3');
    assert.equal(cluster.members[2]?.alive, false);
    await timed(t, 'kill noticed (size 2)', () =>
      cluster.waitForStatus((s) => primaryOf(s, ['node1', 'node2'], 2), {
        timeoutMs: WAIT_MS,
        description: 'node1 and node2 Primary with size 2',
      }),
    );
    await query(n1.port, 'INSERT INTO galera_check.t (via) VALUES (1)');
    await timed(t, 'restart after kill (recover + IST)', () => cluster.start('node3'));
    remember(cluster);
    await cluster.waitForStatus((s) => allSynced(s, 3), {
      timeoutMs: WAIT_MS,
      description: 'all Synced with size 3',
    });
    const rows = await query<RowDataPacket>(n3.port, 'SELECT COUNT(*) AS n FROM galera_check.t');
    assert.equal(Number(rows[0]?.n), 4, 'the write made while node3 was down reached it');
  });

  for (const [victim, mode] of [
    ['node3', 'blackhole'],
    ['node1', 'reset'],
  ] as const) {
    await t.test(`a member cut off (${mode}) goes non-Primary, the rest stay Primary`, async () => {
      const others = cluster.members.map((m) => m.name).filter((n) => n !== victim);
      await cluster.cutMember(victim, mode);
      assert.equal(cluster.members.find((m) => m.name === victim)?.cut, mode);
      const status = await timed(t, `cut ${mode} -> non-Primary`, () =>
        cluster.waitForStatus((s) => byName(s, victim).ready === false && primaryOf(s, others, 2), {
          timeoutMs: WAIT_MS,
          description: `${victim} not ready, others Primary of 2`,
        }),
      );
      assert.notEqual(byName(status, victim).clusterStatus, 'Primary');
      assert.ok(byName(status, victim).reachable, 'the cut is on group traffic only');

      await cluster.healMember(victim);
      await timed(t, `heal ${mode} -> Synced`, () =>
        cluster.waitForStatus((s) => allSynced(s, 3), {
          timeoutMs: WAIT_MS,
          description: 'all Synced with size 3 after heal',
        }),
      );
    });
  }

  await t.test(
    'a lone survivor is non-Primary until pc.bootstrap, then others rejoin',
    async () => {
      await Promise.all([cluster.kill('node2'), cluster.kill('node3')]);
      const lost = await timed(t, 'quorum loss noticed', () =>
        cluster.waitForStatus((s) => byName(s, 'node1').ready === false, {
          timeoutMs: WAIT_MS,
          description: 'node1 not ready',
        }),
      );
      assert.equal(byName(lost, 'node1').clusterStatus, 'non-Primary');
      await timed(t, 'bootstrap survivor', () => cluster.bootstrapSurvivor('node1'));
      await query(n1.port, 'INSERT INTO galera_check.t (via) VALUES (2)');
      await timed(t, 'two members restart', async () => {
        await cluster.start('node2');
        await cluster.start('node3');
      });
      remember(cluster);
      await cluster.waitForStatus((s) => allSynced(s, 3), {
        timeoutMs: WAIT_MS,
        description: 'all Synced with size 3 after bootstrap',
      });
    },
  );

  await t.test('down stops every process it started', async () => {
    remember(cluster);
    await timed(t, 'down', () => cluster.down());
    assert.ok(seenPids.size >= 6, `pids seen: ${[...seenPids].join(', ')}`);
    for (const pid of seenPids) assert.ok(pidGone(pid), `process ${pid} still exists`);
    assert.ok(cluster.members.every((m) => !m.alive));
  });
});

void test('sandbox galera: a busy port is named in the error', async (t) => {
  const basePort = await reserveGaleraPorts(t);
  const blocker = createServer();
  await new Promise<void>((done) => blocker.listen(basePort + 11, '127.0.10.2', done));
  t.after(() => new Promise<void>((done) => blocker.close(() => done())));
  const dir = await mkdtemp(join(tmpdir(), 'orc-galera-test-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(startGaleraCluster({ dir, basePort }), (err: unknown) => {
    assert.ok(hasCode(err, 'SANDBOX_PORT_IN_USE'));
    assert.match(err.message, new RegExp(`127\\.0\\.10\\.2:${basePort + 11} \\(node2 gcomm\\)`));
    return true;
  });
});

void test(
  'sandbox galera: parents that user mysql cannot traverse are refused up front',
  {
    skip: process.getuid?.() === 0 ? false : 'only root runs the servers as mysql',
  },
  async (t) => {
    const closed = await mkdtemp(join(tmpdir(), 'orc-galera-test-')); // mode 0700
    t.after(() => rm(closed, { recursive: true, force: true }));
    await assert.rejects(
      startGaleraCluster({ dir: join(closed, 'c'), basePort: await reserveGaleraPorts(t) }),
      (err) => {
        assert.ok(hasCode(err, 'SANDBOX_DIR_NOT_TRAVERSABLE'));
        assert.ok(err.message.includes(`cannot traverse ${closed}`), err.message);
        return true;
      },
    );
  },
);

/** An echo server and a client through a LinkProxy in front of it, on loopback. */
async function proxied(t: TestContext, allowFrom?: string) {
  const echo: Server = createServer((s) => {
    s.on('error', () => {}); // the proxy may reset it
    s.pipe(s);
  });
  await new Promise<void>((done) => echo.listen(0, '127.0.0.1', done));
  const target = echo.address();
  assert.ok(target && typeof target === 'object');
  const proxy = await LinkProxy.open({
    listenHost: '127.0.0.1',
    listenPort: 0,
    targetHost: '127.0.0.1',
    targetPort: target.port,
    ...(allowFrom === undefined ? {} : { allowFrom }),
  });
  t.after(async () => {
    await proxy.close();
    await new Promise<void>((done) => echo.close(() => done()));
  });
  /** A client socket; listeners are attached by the caller before any event can fire. */
  const client = (): Socket =>
    connect({ host: '127.0.0.1', port: proxy.port }).on('error', () => {});
  return { proxy, client };
}

/** Resolves with the next chunk on `s`; rejects after 5 s. */
function nextData(s: Socket): Promise<string> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error('no data within 5 s')), 5_000);
    s.once('data', (c: Buffer) => {
      clearTimeout(timer);
      done(c.toString());
    });
  });
}

/** Resolves with the error code that ends `s` ("closed" for a clean end); 5 s deadline. */
function ending(s: Socket): Promise<string> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error('socket still open after 5 s')), 5_000);
    let code = 'closed';
    s.on('error', (e: NodeJS.ErrnoException) => (code = e.code ?? e.message));
    s.once('close', () => {
      clearTimeout(timer);
      done(code);
    });
  });
}

void test('galera proxy: pass forwards, blackhole drops but holds, heal resets damaged', async (t) => {
  const { proxy, client } = await proxied(t);
  const a = client();
  a.write('one');
  assert.equal(await nextData(a), 'one');

  proxy.setMode('blackhole');
  let leaked = '';
  a.on('data', (c: Buffer) => (leaked += c.toString()));
  a.write('two');
  // A silence can only be observed over a window; it cannot make the test fail spuriously.
  await new Promise((done) => setTimeout(done, 200));
  assert.equal(leaked, '');
  assert.equal(a.destroyed, false, 'a blackhole keeps the socket open');
  assert.equal(proxy.connections, 1);

  const ended = ending(a);
  proxy.setMode('pass');
  assert.equal(await ended, 'ECONNRESET', 'a stream with a hole is reset on heal');
  const b = client();
  b.write('three');
  assert.equal(await nextData(b), 'three');
});

void test('galera proxy: reset mode resets open and new connections', async (t) => {
  const { proxy, client } = await proxied(t);
  const a = client();
  a.write('up');
  assert.equal(await nextData(a), 'up', 'the connection is established through the proxy');
  const aEnded = ending(a);
  proxy.setMode('reset');
  assert.equal(await aEnded, 'ECONNRESET');
  assert.equal(await ending(client()), 'ECONNRESET');
});

void test('galera proxy: a connection from another source address is refused', async (t) => {
  const { client } = await proxied(t, '127.0.0.2');
  assert.equal(await ending(client()), 'ECONNRESET');
});
