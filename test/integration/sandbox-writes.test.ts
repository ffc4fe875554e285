import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import {
  pollUntil,
  startTestSandbox,
  statusOf,
  verifyWrites,
  WriteLoad,
  type Sandbox,
} from '../../src/sandbox/index.js';

/**
 * The write drill: a load that counts every acknowledged row, a failover under it, and a check
 * that no acknowledged row was lost. The failovers here are done by hand, as orc will do them.
 */

async function sql(sb: Sandbox, name: string, statements: string[]): Promise<void> {
  const conn = await sb.connect(name, { via: 'private' });
  try {
    for (const s of statements) await conn.query(s);
  } finally {
    conn.destroy();
  }
}

/** Promotes `name` and re-points `others` below it, through its public address. */
async function promote(sb: Sandbox, name: string, others: string[]): Promise<void> {
  await sql(sb, name, ['STOP SLAVE', 'RESET SLAVE ALL', 'SET GLOBAL read_only=OFF']);
  const port = sb.instance(name).port;
  for (const other of others) {
    await sql(sb, other, [
      'STOP SLAVE',
      'SET GLOBAL read_only=ON',
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${port}, MASTER_USER='repl', ` +
        "MASTER_PASSWORD='replpw', MASTER_USE_GTID=slave_pos",
      'START SLAVE',
    ]);
  }
}

async function ackedAtLeast(load: WriteLoad, n: number): Promise<void> {
  await pollUntil(() => (load.counts().acked >= n ? true : undefined), {
    description: `${n} writes acknowledged`,
    describeLast: () => JSON.stringify(load.counts()),
  });
}

void test('writes: a graceful switchover loses no acknowledged write', async (t) => {
  const sb = await startTestSandbox(t, { replicas: 2 });
  const load = WriteLoad.start({
    targets: sb.instances(),
    credentials: sb.users.app,
    ratePerSecond: 100,
  });
  t.after(() => load.stop());
  await ackedAtLeast(load, 20);
  assert.equal(load.counts().target, 's1');

  // Writes are refused once s1 is read-only, and nothing else is writable yet.
  await sql(sb, 's1', ['SET GLOBAL read_only=ON']);
  await pollUntil(
    () => (load.counts().rejected + load.counts().unavailable > 0 ? true : undefined),
    {
      description: 'writes refused',
    },
  );
  await sb.waitForCatchUp({ source: 's1', replicas: ['s2', 's3'] });
  const switched = once(load, 'target');
  await promote(sb, 's2', ['s1', 's3']);
  assert.deepEqual((await switched)[0], { from: 's1', to: 's2' });
  await ackedAtLeast(load, load.counts().acked + 20);

  const counts = await load.stop();
  assert.equal(counts.switches, 1);
  assert.equal(counts.inDoubt, 0);
  await sb.waitForCatchUp({ source: 's2', replicas: ['s1', 's3'] });
  for (const inst of sb.instances()) {
    const result = await verifyWrites({
      privatePort: inst.privatePort,
      run: load.run,
      acked: load.ackedIds(),
    });
    assert.deepEqual(result.missing, [], `missing on ${inst.name}`);
    assert.equal(result.present, counts.acked);
  }
});

void test('writes: with semi-sync, killing the primary loses no acknowledged write', async (t) => {
  const sb = await startTestSandbox(t, { replicas: 1, semiSync: true, semiSyncTimeoutMs: 30_000 });
  const load = WriteLoad.start({
    targets: sb.instances(),
    credentials: sb.users.app,
    ratePerSecond: 200,
    queryTimeoutMs: 1000,
  });
  t.after(() => load.stop());
  await ackedAtLeast(load, 50);

  await sb.kill('s1');
  await pollUntil(
    () => (load.counts().inDoubt + load.counts().unavailable > 0 ? true : undefined),
    {
      description: 'writes fail after the kill',
    },
  );
  // s2 applies everything it received before it is promoted.
  await sb.waitForStatus(
    (s) => {
      const r = statusOf(s, 's2').replication;
      return r?.ioRunning === 'Connecting' && r.sqlRunning === 'Yes' && r.secondsBehind === null;
    },
    { description: 's2 lost its source' },
  );
  await pollUntil(
    async () => {
      const conn = await sb.connect('s2', { via: 'private' });
      try {
        const [rows] = await conn.query('SHOW SLAVE STATUS');
        const r = (rows as Record<string, unknown>[])[0];
        return r && r.Read_Master_Log_Pos === r.Exec_Master_Log_Pos ? true : undefined;
      } finally {
        conn.destroy();
      }
    },
    { description: 's2 applied its relay log' },
  );
  await promote(sb, 's2', []);
  await pollUntil(() => (load.counts().target === 's2' ? true : undefined), {
    description: 'the load moved to s2',
  });
  const counts = await load.stop();
  const result = await verifyWrites({
    privatePort: sb.instance('s2').privatePort,
    run: load.run,
    acked: load.ackedIds(),
  });
  assert.deepEqual(result.missing, [], 'no acknowledged write lost');
  assert.equal(result.acked, counts.acked);
  assert.ok(counts.acked > 50);
});
