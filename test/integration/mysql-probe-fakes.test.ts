import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MysqlPool,
  probeFailure,
  probeInstance,
  toInstance,
  type ProbeResult,
  type ProbeSuccess,
} from '../../src/mysql/index.js';
import { instanceKey, type Instance } from '../../src/topology/index.js';
import type { FakeFlavor } from '../fakes/fake-mysql-fixtures.js';
import { FakeMysqlServer } from '../fakes/fake-mysql-server.js';
import { fakeUuid, startFakeCluster } from '../fakes/fake-topology.js';

// MySQL flavors cannot run here: these fakes answer with the recorded outputs of each release
// (test/fixtures/mysql), so the probe meets the real statements, columns and errors.

function keyOf(server: FakeMysqlServer) {
  return instanceKey(server.host, server.port);
}

function succeeded(r: ProbeResult): ProbeSuccess {
  if (r.outcome !== 'ok') assert.fail(`probe ${r.outcome}: ${r.error.message}`);
  return r;
}

const flavors: [FakeFlavor, string][] = [
  ['mysql-5.7', 'mysql-5.7'],
  ['mysql-8.0.21', 'mysql-5.7'],
  ['mysql-8.0', 'mysql-8.0.22'],
  ['mysql-8.4', 'mysql-8.4'],
  ['mariadb-10.11', 'mariadb'],
];

for (const [flavor, vocabulary] of flavors) {
  void test(`fake ${flavor}: a primary and two replicas, one with errant writes`, async (t) => {
    const cluster = await startFakeCluster({
      flavor,
      replicas: 2,
      firstServerId: 11,
      tweak: (plan) => ({
        ...plan,
        replicas: plan.replicas.map((r, i) => (i === 1 ? { ...r, errant: 2 } : r)),
      }),
    });
    const pool = new MysqlPool({ user: 'orc', password: 'orc' });
    t.after(async () => {
      await pool.close();
      await cluster.close();
    });
    const maria = flavor.startsWith('mariadb');

    const [p, r1, r2] = await Promise.all(
      [cluster.primary, ...cluster.replicas].map((s) => probeInstance(pool, keyOf(s))),
    );
    const primary = succeeded(p as ProbeResult).facts;
    const clean = succeeded(r1 as ProbeResult).facts;
    assert.equal(primary.vocabulary, vocabulary);
    assert.equal(primary.identity.serverId, 11);
    assert.equal(primary.identity.serverUuid, maria ? undefined : fakeUuid(11));
    assert.equal(primary.replication, undefined);
    assert.deepEqual(
      primary.replicas.map((r) => [r.key.port, r.serverId]),
      cluster.replicas.map((r, i) => [r.port, 12 + i]),
    );
    assert.equal(clean.identity.readOnly, true);
    assert.equal(clean.replication?.sourceKey.port, cluster.primary.port);
    assert.equal(clean.replication?.sourceServerId, 11);
    assert.equal(clean.replication?.sourceUuid, maria ? undefined : fakeUuid(11));
    assert.equal(clean.replication?.gtidUse, maria ? 'slave_pos' : 'auto_position');
    assert.equal(clean.replication?.ioThread, 'running');

    const primaryInstance = toInstance(p as ProbeResult) as Instance;
    const [i1, i2] = [r1, r2].map(
      (r) => toInstance(r as ProbeResult, { source: primaryInstance }) as Instance,
    );
    assert.equal(i1?.cluster.name, primaryInstance.cluster.name);
    assert.equal(i1?.gtidErrant, '');
    const errant = maria ? '0-13-102' : `${fakeUuid(13)}:1-2`;
    assert.equal(i2?.gtidErrant, errant);
  });
}

void test('fake mysql-8.4: only new statements are sent (old ones fail with 1064)', async (t) => {
  const cluster = await startFakeCluster({ flavor: 'mysql-8.4', replicas: 1, firstServerId: 1 });
  const pool = new MysqlPool({ user: 'orc', password: 'orc' });
  t.after(async () => {
    await pool.close();
    await cluster.close();
  });
  for (const s of [cluster.primary, cluster.replicas[0] as FakeMysqlServer]) {
    succeeded(await probeInstance(pool, keyOf(s)));
    const seen = [...s.stats.seen];
    assert.ok(seen.includes('SHOW REPLICA STATUS'), seen.join(' | '));
    assert.ok(seen.includes('SHOW BINARY LOG STATUS'));
    assert.ok(seen.includes('SHOW REPLICAS'));
    assert.ok(!seen.some((sql) => /\b(SLAVE|MASTER)\b/.test(sql)), seen.join(' | '));
  }
});

void test('fake: a privilege missing on one statement makes a partial probe', async (t) => {
  const fake = await FakeMysqlServer.start({
    flavor: 'mysql-8.0',
    facts: { serverId: 5, serverUuid: fakeUuid(5), gtidExecuted: `${fakeUuid(5)}:1-3` },
    failures: {
      'SHOW REPLICAS': {
        errno: 1227,
        message: 'Access denied; you need (at least one of) the REPLICATION SLAVE privilege(s)',
      },
    },
  });
  const pool = new MysqlPool({ user: 'orc', password: 'orc' });
  t.after(async () => {
    await pool.close();
    await fake.close();
  });
  const r = await probeInstance(pool, keyOf(fake));
  assert.equal(r.outcome, 'partial');
  if (r.outcome !== 'partial') return;
  assert.equal(r.error.code, 'MYSQL_PRIVILEGE_MISSING');
  assert.equal(r.facts.identity?.serverId, 5);
  assert.ok(r.facts.binlog, 'the other parts were still read');
  assert.equal(r.facts.replicas, undefined);
  assert.equal(toInstance(r)?.timing.lastSeenAt, undefined);
  assert.equal(probeFailure(r)?.kind, 'other');
});

void test('fake: optional queries give lag and placement; a broken one warns', async (t) => {
  const cluster = await startFakeCluster({ flavor: 'mysql-8.0', replicas: 1, firstServerId: 1 });
  const replica = cluster.replicas[0] as FakeMysqlServer;
  replica.update({
    answers: {
      'SELECT absolute_lag FROM meta.heartbeat_view': '1.25',
      'SELECT rule FROM meta.promotion': 'prefer_not',
      'SELECT priority FROM meta.semi': 0,
    },
  });
  const pool = new MysqlPool({ user: 'orc', password: 'orc' });
  t.after(async () => {
    await pool.close();
    await cluster.close();
  });
  const options = {
    replicationLagQuery: 'SELECT absolute_lag FROM meta.heartbeat_view;',
    detectDataCenterQuery: "SELECT 'eu-1' AS dc",
    detectPromotionRuleQuery: 'SELECT rule FROM meta.promotion',
    detectSemiSyncEnforcedQuery: 'SELECT priority FROM meta.semi',
    detectRegionQuery: 'SELECT region FROM meta.missing',
    detectClusterAliasQuery: "SELECT 'never asked of a replica'",
  };
  const r = succeeded(await probeInstance(pool, keyOf(replica), options));
  assert.equal(r.facts.replicationLagSeconds, 1.25);
  assert.equal(r.facts.metadata.dataCenter, 'eu-1');
  assert.equal(r.facts.metadata.promotionRule, 'prefer_not');
  assert.equal(r.facts.metadata.semiSyncPriority, 0);
  assert.equal(r.facts.metadata.region, undefined);
  assert.equal(r.facts.metadata.clusterAlias, undefined);
  assert.deepEqual(
    r.warnings.map((w) => [w.query, w.error.code]),
    [['detectRegionQuery', 'MYSQL_QUERY_FAILED']],
  );
  assert.ok(!replica.stats.seen.has("SELECT 'NEVER ASKED OF A REPLICA'"));

  const p = succeeded(await probeInstance(pool, keyOf(cluster.primary), options));
  assert.equal(p.facts.replicationLagSeconds, undefined, 'the lag query runs on replicas only');
  assert.equal(p.facts.metadata.clusterAlias, 'never asked of a replica');
});
