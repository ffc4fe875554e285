import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasCode } from '../common/errors.js';
import {
  clusterAddress,
  planGalera,
  plannedSockets,
  providerOptions,
  renderMyCnf,
} from './galera-plan.js';

const base = { dir: '/srv/g', nodes: 3, basePort: 26000, clusterName: 'c1', gcommNet: '127.0.10' };

void test('galera plan: ports follow the documented blocks from basePort', () => {
  const plan = planGalera(base);
  assert.deepEqual(
    plan.members.map((m) => [m.name, m.port, m.gcommHost, m.gcommPort, m.istPort, m.sstPort]),
    [
      ['node1', 26000, '127.0.10.1', 26010, 26020, 26030],
      ['node2', 26001, '127.0.10.2', 26011, 26021, 26031],
      ['node3', 26002, '127.0.10.3', 26012, 26022, 26032],
    ],
  );
  assert.ok(plan.members.every((m) => m.host === '127.0.0.1'));
});

void test('galera plan: each member sees every peer at its own address and the peer port', () => {
  const plan = planGalera(base);
  assert.equal(plan.links.length, 6);
  for (const link of plan.links) {
    const from = plan.members.find((m) => m.name === link.from);
    const to = plan.members.find((m) => m.name === link.to);
    assert.ok(from && to);
    assert.equal(link.listenHost, from.gcommHost);
    assert.equal(link.allowFrom, from.gcommHost);
    assert.equal(link.listenPort, to.gcommPort);
    assert.equal(`${link.targetHost}:${link.targetPort}`, `${to.gcommHost}:${to.gcommPort}`);
    // The target records the source as (its own address, from's port): the reverse proxy.
    const reverse = plan.links.find((l) => l.from === link.to && l.to === link.from);
    assert.equal(
      `${link.localAddress}:${from.gcommPort}`,
      `${reverse?.listenHost}:${reverse?.listenPort}`,
    );
  }
  const [n1] = plan.members;
  assert.ok(n1);
  assert.equal(clusterAddress(plan, n1), 'gcomm://127.0.10.1:26011,127.0.10.1:26012');
});

void test('galera plan: no two planned sockets collide', () => {
  const sockets = plannedSockets(planGalera({ ...base, nodes: 9 }));
  const keys = sockets.map((s) => `${s.host}:${s.port}`);
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(sockets.every((s) => s.host.startsWith('127.')));
});

void test('galera plan: options that cannot work are refused with SANDBOX_BAD_OPTIONS', () => {
  const cases = [
    { nodes: 0 },
    { nodes: 10 },
    { nodes: 2.5 },
    { basePort: 80 },
    { basePort: 65500 },
    { gcommNet: '10.0.0' },
    { gcommNet: '127.0.0.1' },
    { clusterName: 'bad name' },
  ];
  for (const c of cases) {
    assert.throws(
      () => planGalera({ ...base, ...c }),
      (err: unknown) => hasCode(err, 'SANDBOX_BAD_OPTIONS'),
      JSON.stringify(c),
    );
  }
});

void test('galera plan: my.cnf carries the measured recipe and the member addresses', () => {
  const plan = planGalera(base);
  const m = plan.members[1];
  assert.ok(m);
  const asRoot = renderMyCnf(plan, m, { provider: '/lib/g.so', runAs: 'mysql' });
  for (const line of [
    'user=mysql',
    'bind-address=127.0.0.1',
    'port=26001',
    'wsrep_provider=/lib/g.so',
    'wsrep_cluster_address=gcomm://127.0.10.2:26010,127.0.10.2:26012',
    'wsrep_node_incoming_address=127.0.0.1:26001',
    'wsrep_sst_method=rsync',
    'wsrep_sst_receive_address=127.0.0.1:26031',
  ]) {
    assert.ok(asRoot.split('\n').includes(line), `missing "${line}"`);
  }
  assert.ok(!renderMyCnf(plan, m, { provider: '/lib/g.so', runAs: undefined }).includes('user='));
  const opts = providerOptions(m);
  assert.match(opts, /gmcast\.listen_addr=tcp:\/\/127\.0\.10\.2:26011/);
  assert.match(opts, /evs\.suspect_timeout=PT2S;evs\.inactive_timeout=PT3S/);
});
