import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import {
  MysqlPool,
  probeInstance,
  toInstance,
  type ProbeResult,
  type ProbeSuccess,
} from '../../src/mysql/index.js';
import { startTestSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { instanceKey, type Instance, type InstanceKey } from '../../src/topology/index.js';

// Probes of a real MariaDB 10.11 tree (s1 → s2 → s4, s1 → s3) through the sandbox's public
// addresses, as user orc. One sandbox for the whole file; the steps run in order and the
// primary is killed last. Timings are printed as diagnostics, never asserted.

function succeeded(r: ProbeResult): ProbeSuccess {
  if (r.outcome !== 'ok') assert.fail(`probe of ${r.key.port} ${r.outcome}: ${r.error.message}`);
  return r;
}

async function asRoot(sb: Sandbox, name: string, statements: string[]): Promise<RowDataPacket[]> {
  const conn = await sb.connect(name, { via: 'private' });
  try {
    let last: RowDataPacket[] = [];
    for (const sql of statements) [last] = await conn.query<RowDataPacket[]>(sql);
    return last;
  } finally {
    conn.destroy();
  }
}

/** Polls `probe` until `done` holds (diagnostic, bounded); returns the last result. */
async function until<T>(probe: () => Promise<T>, done: (r: T) => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await probe();
    if (done(r) || Date.now() > deadline) return r;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

void test('mysql probe, real MariaDB: tree, domains, multi-source, timeouts, limits, death', async (t) => {
  const sb = await startTestSandbox(t, { shape: 'tree', replicas: 3 });
  const pool = new MysqlPool({ user: 'orc', password: 'orc' });
  t.after(() => pool.close());
  const key = (name: string): InstanceKey => instanceKey('127.0.0.1', sb.instance(name).port);
  const probe = (name: string, options = {}) => probeInstance(pool, key(name), options);
  const id = (name: string) => sb.instance(name).serverId;
  const instances = new Map<string, Instance>();
  const assemble = (name: string, r: ProbeResult, source?: string) => {
    const i = toInstance(r, { source: source === undefined ? undefined : instances.get(source) });
    assert.ok(i);
    instances.set(name, i);
    return i;
  };

  await t.test('primary, replicas and a chained replica', async () => {
    const [s1, s2, s3, s4] = (await Promise.all(['s1', 's2', 's3', 's4'].map((n) => probe(n)))).map(
      succeeded,
    ) as [ProbeSuccess, ProbeSuccess, ProbeSuccess, ProbeSuccess];
    assert.equal(s1.facts.vocabulary, 'mariadb');
    assert.equal(s1.facts.identity.serverId, id('s1'));
    assert.equal(s1.facts.identity.readOnly, false);
    assert.equal(s1.facts.replication, undefined);
    assert.deepEqual(
      s1.facts.replicas.map((r) => r.key.port).sort(),
      [sb.instance('s2').port, sb.instance('s3').port].sort(),
    );
    assert.ok(s1.facts.binlog.selfCoordinates);
    assert.equal(s1.facts.gtid?.flavor, 'mariadb');

    for (const [r, source] of [
      [s2, 's1'],
      [s3, 's1'],
      [s4, 's2'],
    ] as const) {
      const edge = r.facts.replication;
      assert.equal(edge?.sourceKey.port, sb.instance(source).port);
      assert.equal(edge?.sourceServerId, id(source), 'identity confirmed by Master_Server_Id');
      assert.equal(edge?.ioThread, 'running');
      assert.equal(edge?.sqlThread, 'running');
      assert.equal(edge?.gtidUse, 'slave_pos');
      assert.equal(r.facts.identity.readOnly, true);
      assert.equal(r.facts.replicationLagSeconds, 0);
    }
    assert.deepEqual(
      s2.facts.replicas.map((r) => r.serverId),
      [id('s4')],
    );

    assemble('s1', s1);
    assemble('s2', s2, 's1');
    assemble('s3', s3, 's1');
    const leaf = assemble('s4', s4, 's2');
    assert.equal(leaf.cluster.name, `127.0.0.1:${sb.instance('s1').port}`);
    assert.equal(leaf.cluster.depth, 2);
    assert.deepEqual(leaf.cluster.ancestryServerIds, [id('s2'), id('s1')]);
    assert.equal(leaf.gtidErrant, '');
  });

  await t.test('several GTID domains replicate and are read canonically', async () => {
    await asRoot(sb, 's1', [
      'CREATE TABLE orc_sandbox.domains (id INT PRIMARY KEY)',
      'SET SESSION gtid_domain_id=1',
      'INSERT INTO orc_sandbox.domains VALUES (1)',
    ]);
    await sb.waitForCatchUp();
    const s1 = succeeded(await probe('s1')).facts;
    const s4 = succeeded(await probe('s4')).facts;
    const domains = (pos: string | undefined) => pos?.split(',').map((g) => g.split('-')[0]);
    assert.deepEqual(domains(s1.gtid?.flavor === 'mariadb' ? s1.gtid.currentPos : ''), ['0', '1']);
    assert.equal(
      s4.gtid?.flavor === 'mariadb' && s4.gtid.currentPos,
      s1.gtid?.flavor === 'mariadb' && s1.gtid.currentPos,
    );
    assert.deepEqual(domains(s4.replication?.gtidIoPos), ['0', '1']);
    const leaf = assemble('s4', succeeded(await probe('s4')), 's2');
    assert.equal(leaf.gtidErrant, '');
  });

  await t.test('a second, named connection is listed in otherChannels', async () => {
    await asRoot(sb, 's3', [
      `CHANGE MASTER 'other' TO MASTER_HOST='127.0.0.1', MASTER_PORT=${sb.instance('s4').port}, ` +
        "MASTER_USER='repl', MASTER_PASSWORD='replpw', MASTER_USE_GTID=slave_pos",
    ]);
    const s3 = succeeded(await probe('s3')).facts;
    assert.equal(s3.replication?.name, '');
    assert.equal(s3.replication?.sourceKey.port, sb.instance('s1').port);
    assert.equal(s3.otherChannels.length, 1);
    const other = s3.otherChannels[0];
    assert.equal(other?.name, 'other');
    assert.equal(other?.sourceKey.port, sb.instance('s4').port);
    assert.equal(other?.ioThread, 'stopped');
    assert.equal(other?.sqlThread, 'stopped');
  });

  await t.test('a local write in its own domain is errant', async () => {
    await asRoot(sb, 's3', [
      'SET SESSION gtid_domain_id=5',
      'CREATE TABLE orc_sandbox.local_only (id INT PRIMARY KEY)',
    ]);
    assemble('s1', succeeded(await probe('s1')));
    const s3 = assemble('s3', succeeded(await probe('s3')), 's1');
    assert.equal(s3.gtidErrant, `5-${id('s3')}-1`);
  });

  await t.test('N concurrent probes never open more than the limit', async () => {
    const limited = new MysqlPool({ user: 'orc', password: 'orc', maxConnectionsPerServer: 2 });
    t.after(() => limited.close());
    let open = 0;
    let peak = 0;
    limited.on('connection-opened', () => (peak = Math.max(peak, ++open)));
    limited.on('connection-closed', () => open--);
    const results = await Promise.all(
      Array.from({ length: 16 }, () => probeInstance(limited, key('s2'))),
    );
    assert.deepEqual(new Set(results.map((r) => r.outcome)), new Set(['ok']));
    assert.ok(peak <= 2, `peak ${peak}`);
    const rows = await asRoot(sb, 's2', [
      "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER = 'orc'",
    ]);
    assert.ok(Number(rows[0]?.['n']) <= 2 + 1, `orc has ${String(rows[0]?.['n'])} connections`);
  });

  await t.test('a query past its timeout is killed on the server', async () => {
    // No server-side guard here: the kill alone must stop the statement.
    const strict = new MysqlPool({ user: 'orc', password: 'orc', serverSideGuard: false });
    t.after(() => strict.close());
    const started = Date.now();
    const r = await probeInstance(strict, key('s2'), {
      replicationLagQuery: 'SELECT SLEEP(5)',
      timeoutMs: 500,
    });
    assert.equal(r.outcome, 'ok');
    assert.deepEqual(
      r.warnings.map((w) => [w.query, w.error.code, w.error.context['killed']]),
      [['replicationLagQuery', 'MYSQL_QUERY_TIMEOUT', true]],
    );
    const sleeping =
      "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(5)'";
    const rows = await until(
      () => asRoot(sb, 's2', [sleeping]),
      (rs) => Number(rs[0]?.['n']) === 0,
      3_000,
    );
    assert.equal(Number(rows[0]?.['n']), 0, 'the SLEEP still runs on the server');
    assert.ok(Date.now() - started < 5_000, 'gone before SLEEP(5) could have ended by itself');
  });

  await t.test('figure: one full probe of a replica (median of 50)', async (st) => {
    const times: number[] = [];
    for (let i = 0; i < 50; i++) times.push(succeeded(await probe('s4')).durationMs);
    times.sort((a, b) => a - b);
    st.diagnostic(`public port (through the sandbox proxy): ${times[25]?.toFixed(2)} ms`);
    const direct = instanceKey('127.0.0.1', sb.instance('s4').privatePort);
    const privateTimes: number[] = [];
    for (let i = 0; i < 50; i++)
      privateTimes.push(succeeded(await probeInstance(pool, direct)).durationMs);
    privateTimes.sort((a, b) => a - b);
    st.diagnostic(`private port (mariadbd itself): ${privateTimes[25]?.toFixed(2)} ms`);
  });

  await t.test(
    'a killed primary is unreachable; its replicas connect with errno 2003',
    async (st) => {
      await sb.kill('s1');
      const r = await probe('s1');
      st.diagnostic(`probe of the dead primary failed in ${r.durationMs.toFixed(1)} ms`);
      assert.equal(r.outcome, 'failed');
      assert.equal(r.outcome === 'failed' && r.error.code, 'MYSQL_UNREACHABLE');
      assert.equal(r.outcome === 'failed' && r.error.liveness, 'unreachable');

      const s2 = await until(
        async () => succeeded(await probe('s2')).facts.replication,
        (edge) => edge?.ioThread === 'connecting' && edge.lastIoError?.errno === 2003,
      );
      assert.equal(s2?.ioThread, 'connecting');
      assert.equal(s2?.lastIoError?.errno, 2003);
      assert.equal(s2?.sqlThread, 'running');
      assert.equal(s2?.secondsBehindSource, undefined);
      const s4 = succeeded(await probe('s4')).facts.replication;
      assert.equal(s4?.ioThread, 'running', 'below the intermediate primary nothing changed');
    },
  );
});
