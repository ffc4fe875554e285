import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { startTestSandbox, statusOf, type Sandbox } from '../../src/sandbox/index.js';

/**
 * Cutting one link at a time: a replica's link to its source (blackhole or reset) and orc's
 * link to a server, each without touching the others; healing lets replicas catch up.
 */

async function insert(sb: Sandbox, table: string, id: number): Promise<void> {
  const conn = await sb.connect('s1', { via: 'private' });
  try {
    await conn.query(`CREATE TABLE IF NOT EXISTS orc_sandbox.${table} (id INT PRIMARY KEY)`);
    await conn.query(`INSERT INTO orc_sandbox.${table} VALUES (?)`, [id]);
  } finally {
    conn.destroy();
  }
}

async function count(sb: Sandbox, name: string, table: string): Promise<number> {
  const conn = await sb.connect(name, { via: 'private' });
  try {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'orc_sandbox' AND table_name = ?`,
      [table],
    );
    if (Number(rows[0]?.n) === 0) return 0;
    const [n] = await conn.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM orc_sandbox.${table}`);
    return Number(n[0]?.n);
  } finally {
    conn.destroy();
  }
}

void test('links: a blackholed replica link times out silently; heal catches up', async (t) => {
  // slave_net_timeout 2 s (heartbeat 1 s) so the silent partition shows within seconds.
  const sb = await startTestSandbox(t, { replicas: 2, slaveNetTimeout: 2 });
  const cut = sb.cut('s2', '127.0.0.1:' + String(sb.instance('s1').port), 'blackhole');
  assert.deepEqual(
    { from: cut.from, to: cut.to, mode: cut.mode },
    { from: 's2', to: 's1', mode: 'blackhole' },
  );
  await insert(sb, 'during_cut', 1);

  // Nothing arrives, no error at first; after slave_net_timeout the IO thread gives up the
  // stalled link, and its reconnect through the blackhole never gets a greeting.
  const timedOut = await sb.waitForStatus(
    (s) => {
      const r = statusOf(s, 's2').replication;
      return r?.ioRunning === 'Connecting' && r.lastIoErrno === 2013;
    },
    { description: 's2 reports Connecting with errno 2013', timeoutMs: 30_000 },
  );
  const r = statusOf(timedOut, 's2').replication;
  assert.match(r?.lastIoError ?? '', /initial communication packet.*(110|timed out)/i);
  assert.equal(r?.secondsBehind, null);
  assert.equal(await count(sb, 's2', 'during_cut'), 0, 'nothing reached s2');

  // The other replica's link and orc's link to s1 are untouched.
  await sb.waitForCatchUp({ source: 's1', replicas: ['s3'] });
  assert.equal(await count(sb, 's3', 'during_cut'), 1);
  const orc = await sb.connect('s1', { user: 'orc', connectTimeoutMs: 2000 });
  orc.destroy();
  assert.deepEqual(
    timedOut.cuts.map((c) => `${c.from}>${c.to}:${c.mode}`),
    ['s2>s1:blackhole'],
  );

  assert.equal(sb.heal('s2', 's1'), true);
  assert.equal(sb.heal('s2', 's1'), false, 'healing a healed link is a no-op');
  await sb.waitForCatchUp({ source: 's1', replicas: ['s2'] });
  assert.equal(await count(sb, 's2', 'during_cut'), 1);
  assert.deepEqual((await sb.status()).cuts, []);
});

void test('links: a reset replica link reports Connecting at once; heal catches up', async (t) => {
  const sb = await startTestSandbox(t, { replicas: 2 });
  sb.cut('s3', 's1', 'reset');
  const status = await sb.waitForStatus(
    (s) => statusOf(s, 's3').replication?.ioRunning === 'Connecting',
    { description: 's3 reports Connecting', timeoutMs: 10_000 },
  );
  assert.equal(statusOf(status, 's2').replication?.ioRunning, 'Yes', 's2 untouched');
  await sb.waitForStatus((s) => statusOf(s, 's3').replication?.lastIoErrno === 2013, {
    description: 's3 reports errno 2013 (connection reset)',
    timeoutMs: 10_000,
  });
  assert.match(
    statusOf(await sb.status(), 's3').replication?.lastIoError ?? '',
    /reset by peer|Lost connection/,
  );

  await insert(sb, 'reset_cut', 1);
  sb.heal('s3', 's1');
  await sb.waitForCatchUp({ source: 's1', replicas: ['s2', 's3'] });
  assert.equal(await count(sb, 's3', 'reset_cut'), 1);
});

void test('links: cutting orc from a server leaves its replication working', async (t) => {
  const sb = await startTestSandbox(t, { shape: 'tree', replicas: 3 });
  const before: Connection = await sb.connect('s2', { user: 'orc' });
  t.after(() => before.destroy());
  sb.cut('orc', 's2', 'blackhole');

  // New connections hang until the client's own timeout; open ones stall silently.
  await assert.rejects(
    sb.connect('s2', { user: 'orc', connectTimeoutMs: 1000 }),
    /ETIMEDOUT|timed out|timeout/i,
  );
  await assert.rejects(before.query({ sql: 'SELECT 1', timeout: 1000 }), /timeout|timed out/i);

  // s2 still replicates from s1, and s4 from s2.
  await insert(sb, 'orc_cut', 1);
  await sb.waitForCatchUp({ source: 's1', replicas: ['s2', 's3', 's4'] });
  assert.equal(await count(sb, 's4', 'orc_cut'), 1);
  assert.equal(statusOf(await sb.status(), 's4').replication?.ioRunning, 'Yes');

  // Other servers stay reachable for orc; reset mode refuses at once.
  (await sb.connect('s3', { user: 'orc', connectTimeoutMs: 2000 })).destroy();
  sb.cut('orc', 's3', 'reset');
  await assert.rejects(
    sb.connect('s3', { user: 'orc', connectTimeoutMs: 5000 }),
    /ECONNRESET|Connection lost|closed/i,
  );

  sb.healAll();
  const after = await sb.connect('s2', { user: 'orc', connectTimeoutMs: 2000 });
  after.destroy();
  (await sb.connect('s3', { user: 'orc', connectTimeoutMs: 2000 })).destroy();
});

void test('links: a cut follows a replica that was re-pointed to another source', async (t) => {
  const sb = await startTestSandbox(t, { replicas: 2 });
  // What orc does in a failover: s3 moves below s2, through s2's public address.
  const s3 = await sb.connect('s3', { via: 'private' });
  try {
    await s3.query('STOP SLAVE');
    await s3.query(
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${sb.instance('s2').port}`,
    );
    await s3.query('START SLAVE');
  } finally {
    s3.destroy();
  }
  await sb.waitForStatus((s) => statusOf(s, 's3').replication?.source === 's2', {
    description: 's3 replicates from s2',
  });
  await sb.waitForCatchUp({ source: 's1', replicas: ['s2', 's3'] });

  sb.cut('s3', 's2', 'reset');
  await sb.waitForStatus((s) => statusOf(s, 's3').replication?.ioRunning === 'Connecting', {
    description: 's3 loses its new source',
    timeoutMs: 10_000,
  });
  const status = await sb.status();
  assert.equal(statusOf(status, 's2').replication?.ioRunning, 'Yes', "s2's own link passes");
  (await sb.connect('s2', { user: 'orc', connectTimeoutMs: 2000 })).destroy();
  sb.heal('s3', 's2');
  await sb.waitForCatchUp({ source: 's1', replicas: ['s3'] });
});
