import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { startTestSandbox, statusOf, type Sandbox, type Shape } from '../../src/sandbox/index.js';

/** Every shape comes up replicating: Yes/Yes everywhere, and a write reaches every replica. */

const shapes: { shape: Shape; replicas: number; sources: Record<string, string | null> }[] = [
  { shape: 'star', replicas: 2, sources: { s1: null, s2: 's1', s3: 's1' } },
  { shape: 'chain', replicas: 3, sources: { s1: null, s2: 's1', s3: 's2', s4: 's3' } },
  { shape: 'tree', replicas: 3, sources: { s1: null, s2: 's1', s3: 's1', s4: 's2' } },
  { shape: 'co-primary', replicas: 2, sources: { s1: 's2', s2: 's1', s3: 's1' } },
];

async function writeAndSeeEverywhere(sb: Sandbox, table: string): Promise<void> {
  const primary = await sb.connect('s1', { user: 'app' });
  try {
    await primary.query(`CREATE TABLE orc_sandbox.${table} (id INT PRIMARY KEY)`);
    await primary.query(`INSERT INTO orc_sandbox.${table} VALUES (1), (2), (3)`);
  } finally {
    primary.destroy();
  }
  await sb.waitForCatchUp({ source: 's1' });
  for (const inst of sb.instances()) {
    const conn = await sb.connect(inst.name);
    try {
      const [rows] = await conn.query<RowDataPacket[]>(
        `SELECT COUNT(*) AS n FROM orc_sandbox.${table}`,
      );
      assert.equal(Number(rows[0]?.n), 3, `rows on ${inst.name}`);
    } finally {
      conn.destroy();
    }
  }
}

for (const { shape, replicas, sources } of shapes) {
  void test(`sandbox: ${shape} with ${replicas} replicas comes up replicating`, async (t) => {
    const sb = await startTestSandbox(t, { shape, replicas });
    const status = await sb.status();

    for (const [name, source] of Object.entries(sources)) {
      const inst = statusOf(status, name);
      assert.equal(inst.alive, true, `${name} alive`);
      assert.equal(inst.readOnly, name !== 's1', `${name} read_only`);
      if (source === null) {
        assert.equal(inst.replication, null, `${name} has no source`);
        assert.equal(inst.role, 'primary');
        continue;
      }
      assert.equal(inst.replication?.source, source, `${name}'s source`);
      assert.equal(inst.replication?.ioRunning, 'Yes', `${name} IO`);
      assert.equal(inst.replication?.sqlRunning, 'Yes', `${name} SQL`);
      const sourcePort = sb.instance(source).port;
      assert.equal(
        inst.replication?.sourceAddress,
        `127.0.0.1:${sourcePort}`,
        'via public address',
      );
    }
    await writeAndSeeEverywhere(sb, `t_${shape.replace('-', '_')}`);
  });
}

void describe('sandbox: accounts and semi-sync', () => {
  void test('the orc account has the grants orc needs; app is stopped by read_only', async (t) => {
    const sb = await startTestSandbox(t, { replicas: 1, orcPassword: 'secret' });
    const orc = await sb.connect('s2', { user: 'orc' });
    try {
      const [grants] = await orc.query<RowDataPacket[]>('SHOW GRANTS');
      const text = grants.map((g) => String(Object.values(g)[0])).join('\n');
      for (const privilege of [
        'SUPER',
        'REPLICATION SLAVE ADMIN',
        'READ_ONLY ADMIN',
        'SLAVE MONITOR',
      ]) {
        assert.match(text, new RegExp(privilege), privilege);
      }
      assert.match(text, /GRANT SELECT ON `mysql`\.\*/);
    } finally {
      orc.destroy();
    }
    const app = await sb.connect('s2', { user: 'app' });
    try {
      await assert.rejects(
        app.query('CREATE TABLE orc_sandbox.nope (id INT)'),
        (err: { errno?: number }) => err.errno === 1290,
      );
    } finally {
      app.destroy();
    }
  });

  void test('--semi-sync makes the primary wait for its replicas', async (t) => {
    const sb = await startTestSandbox(t, { replicas: 2, semiSync: true, semiSyncTimeoutMs: 5000 });
    const conn = await sb.connect('s1');
    try {
      await conn.query('CREATE TABLE orc_sandbox.semi (id INT PRIMARY KEY)');
      await conn.query('INSERT INTO orc_sandbox.semi VALUES (1)');
      const [rows] = await conn.query<RowDataPacket[]>(
        "SHOW GLOBAL STATUS WHERE Variable_name IN ('Rpl_semi_sync_master_status', " +
          "'Rpl_semi_sync_master_clients', 'Rpl_semi_sync_master_yes_tx')",
      );
      const vars = new Map(rows.map((r) => [String(r.Variable_name), String(r.Value)]));
      assert.equal(vars.get('Rpl_semi_sync_master_status'), 'ON');
      assert.equal(vars.get('Rpl_semi_sync_master_clients'), '2');
      assert.ok(Number(vars.get('Rpl_semi_sync_master_yes_tx')) >= 2);
    } finally {
      conn.destroy();
    }
  });
});
