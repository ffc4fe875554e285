import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import {
  isProcessAlive,
  startTestSandbox,
  statusOf,
  type Sandbox,
  type SandboxStatus,
} from '../../src/sandbox/index.js';

/** Kill, stop, start, restart and lag produce what MariaDB replicas really report. */

async function insert(sb: Sandbox, table: string, id: number): Promise<void> {
  const conn = await sb.connect('s1');
  try {
    await conn.query(`CREATE TABLE IF NOT EXISTS orc_sandbox.${table} (id INT PRIMARY KEY)`);
    await conn.query(`INSERT INTO orc_sandbox.${table} VALUES (?)`, [id]);
  } finally {
    conn.destroy();
  }
}

async function has(sb: Sandbox, name: string, table: string, id: number): Promise<boolean> {
  const conn = await sb.connect(name, { via: 'private' });
  try {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'orc_sandbox' AND table_name = ?`,
      [table],
    );
    if (Number(rows[0]?.n) === 0) return false;
    const [found] = await conn.query<RowDataPacket[]>(
      `SELECT id FROM orc_sandbox.${table} WHERE id = ?`,
      [id],
    );
    return found.length === 1;
  } finally {
    conn.destroy();
  }
}

const io = (s: SandboxStatus, name: string): string | undefined =>
  statusOf(s, name).replication?.ioRunning;

void test('faults: killing the primary makes its replicas report Connecting with errno 2003', async (t) => {
  const sb = await startTestSandbox(t, { shape: 'tree', replicas: 3 });
  const pid = sb.pid('s1');
  assert.ok(pid);

  const result = await sb.kill('127.0.0.1:' + String(sb.instance('s1').port));
  assert.equal(result.changed, true);
  assert.equal(isProcessAlive(pid), false);
  const status = await sb.waitForStatus(
    (s) =>
      ['s2', 's3'].every(
        (n) => io(s, n) === 'Connecting' && statusOf(s, n).replication?.lastIoErrno === 2003,
      ),
    { description: 's2 and s3 report Connecting with errno 2003', timeoutMs: 15_000 },
  );
  const s2 = statusOf(status, 's2');
  assert.match(s2.replication?.lastIoError ?? '', /Connection refused/);
  assert.equal(s2.replication?.sqlRunning, 'Yes');
  assert.equal(s2.replication?.secondsBehind, null);
  assert.equal(statusOf(status, 's1').alive, false);
  assert.equal(statusOf(status, 's1').role, 'down');
  // s4 replicates from s2, which is alive: its link is untouched.
  assert.equal(io(status, 's4'), 'Yes');
  assert.equal(statusOf(status, 's4').replication?.sqlRunning, 'Yes');
  assert.equal(statusOf(status, 's4').replication?.lastIoErrno, 0);

  // Started again, it comes back read-only (as a crashed primary must) and replicas reconnect.
  await sb.start('s1');
  const back = await sb.waitForStatus((s) => ['s2', 's3'].every((n) => io(s, n) === 'Yes'), {
    description: 's2 and s3 reconnect to s1',
    timeoutMs: 15_000,
  });
  assert.equal(statusOf(back, 's1').readOnly, true);
  assert.notEqual(sb.pid('s1'), pid);
});

void test('faults: stop, start and restart keep the topology replicating', async (t) => {
  const sb = await startTestSandbox(t, { replicas: 2 });
  const stopped = await sb.stop('s2');
  assert.equal(stopped.changed, true);
  assert.equal((await sb.stop('s2')).changed, false, 'stopping a stopped server is a no-op');
  assert.equal(statusOf(await sb.status(), 's2').alive, false);

  await insert(sb, 'while_down', 1);
  await sb.start('s2');
  await sb.waitForCatchUp({ source: 's1', replicas: ['s2'] });
  assert.equal(await has(sb, 's2', 'while_down', 1), true);

  const before = sb.pid('s3');
  await sb.restart('s3');
  assert.notEqual(sb.pid('s3'), before);
  await insert(sb, 'after_restart', 2);
  await sb.waitForCatchUp({ source: 's1', replicas: ['s2', 's3'] });
  assert.equal(await has(sb, 's3', 'after_restart', 2), true);
  await assert.rejects(sb.stop('s9'), /unknown instance "s9": valid instances are s1/);
});

void test('faults: lag delays a replica, or stops its applier while events still arrive', async (t) => {
  const sb = await startTestSandbox(t, { replicas: 2 });

  await sb.lag('s2', { applier: 'stop' });
  await insert(sb, 'lagged', 1);
  const stopped = await sb.waitForStatus(
    (s) => statusOf(s, 's2').replication?.sqlRunning === 'No' && io(s, 's2') === 'Yes',
    { description: 's2 SQL thread stopped, IO running' },
  );
  assert.equal(statusOf(stopped, 's2').replication?.secondsBehind, null);
  await sb.waitForCatchUp({ source: 's1', replicas: ['s3'] });
  assert.equal(await has(sb, 's2', 'lagged', 1), false, 'not applied on s2');
  assert.equal(await has(sb, 's3', 'lagged', 1), true, 'applied on s3');

  await sb.lag('s2', { applier: 'start' });
  await sb.waitForCatchUp({ source: 's1', replicas: ['s2'] });
  assert.equal(await has(sb, 's2', 'lagged', 1), true);

  await sb.lag('s3', { delaySeconds: 30 });
  await insert(sb, 'delayed', 2);
  const delayed = await sb.waitForStatus(
    (s) => statusOf(s, 's3').replication?.sqlDelay === 30 && io(s, 's3') === 'Yes',
    { description: 's3 delayed by 30 s' },
  );
  assert.equal(statusOf(delayed, 's3').replication?.sqlRunning, 'Yes');
  await sb.waitForCatchUp({ source: 's1', replicas: ['s2'] });
  assert.equal(await has(sb, 's3', 'delayed', 2), false, 'held back by the delay');

  await sb.lag('s3', { delaySeconds: 0 });
  await sb.waitForCatchUp({ source: 's1', replicas: ['s3'] });
  assert.equal(await has(sb, 's3', 'delayed', 2), true);
  await assert.rejects(sb.lag('s1', { delaySeconds: 1 }), /is not a replica/);
});
