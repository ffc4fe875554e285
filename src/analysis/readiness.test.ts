import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatInstanceKey, instanceKey, parseServerVersion } from '../topology/index.js';
import { primary, replica, snapshot, withInstance, type ReplicaOptions } from './fixtures.js';
import type { ObservedInstance } from './input.js';
import { failoverReadiness, type FailoverReadiness } from './readiness.js';

const P = primary(23306);
const UUID = '3e11fa47-71ca-11e1-9e33-c80aa9429562';

/** A replica of P that has received up to `received` (MariaDB position text). */
function at(port: number, received: string, options: ReplicaOptions = {}): ObservedInstance {
  return replica(port, P, { ...options, link: { gtidIoPos: received, ...options.link } });
}

function readiness(servers: readonly ObservedInstance[], settings = {}): FailoverReadiness {
  const [r] = failoverReadiness(snapshot(servers, { settings }));
  assert.ok(r, 'a readiness entry for the primary');
  return r;
}

const show = (r: FailoverReadiness) => ({
  verdict: r.verdict,
  best: r.best === undefined ? undefined : formatInstanceKey(r.best),
  lost: r.lostReplicas.map((l) => `${l.key.port}: ${l.reason}`),
  atRisk: r.transactionsAtRisk?.total,
});

void test('readiness: a replica with everything the primary has makes failover lossless', () => {
  const r = readiness([P, at(23307, '0-23306-100'), at(23308, '0-23306-90')]);
  assert.deepEqual(show(r), { verdict: 'lossless', best: '127.0.0.1:23307', lost: [], atRisk: 0 });
  assert.deepEqual(
    r.candidates.map((c) => c.behindPrimary?.total),
    [0, 10],
  );
});

void test('readiness: when every replica lags the best one is chosen and the gap is at risk', () => {
  const r = readiness([P, at(23307, '0-23306-90'), at(23308, '0-23306-95')]);
  assert.deepEqual(show(r), { verdict: 'lossy', best: '127.0.0.1:23308', lost: [], atRisk: 5 });
  assert.deepEqual(r.transactionsAtRisk, {
    flavor: 'mariadb',
    perDomain: [{ domain: 0, count: 5 }],
    total: 5,
  });
});

void test('readiness: transactions at risk are counted per MariaDB domain', () => {
  const p = withInstance(P, {
    gtid: {
      flavor: 'mariadb',
      currentPos: '0-23306-100,1-23306-50',
      binlogPos: '0-23306-100,1-23306-50',
      slavePos: '',
      binlogState: undefined,
      domainId: 0,
      strictMode: true,
    },
  });
  const r = readiness([p, replica(23307, p, { link: { gtidIoPos: '0-23306-100,1-23306-40' } })]);
  assert.deepEqual(r.transactionsAtRisk, {
    flavor: 'mariadb',
    perDomain: [
      { domain: 0, count: 0 },
      { domain: 1, count: 10 },
    ],
    total: 10,
  });
});

void test('readiness: a banned replica ahead of the best candidate is lost', () => {
  const banned = at(23308, '0-23306-100', { over: { promotionRule: 'must_not' } });
  const r = readiness([P, at(23307, '0-23306-95'), banned]);
  assert.deepEqual(show(r), {
    verdict: 'lossy',
    best: '127.0.0.1:23307',
    lost: ['23308: has transactions the candidate lacks'],
    atRisk: 5,
  });
  assert.deepEqual(r.candidates[1]?.refusals, ['promotion rule is must_not']);
});

void test('readiness: replicas without binlog or GTID cannot take over and may be lost', () => {
  const noLog = at(23307, '0-23306-100', {
    over: { binlog: { ...P.instance.binlog, logReplicaUpdates: false } },
  });
  const filePos = at(23308, '0-23306-100', { link: { gtidUse: 'no' } });
  const ignored = at(23309, '0-23306-100');
  const r = readiness([P, noLog, filePos, ignored], {
    promotionIgnoreHostnameFilters: ['^127\\.0\\.0\\.1$'],
  });
  assert.equal(r.verdict, 'no-candidate');
  assert.deepEqual(
    r.candidates.map((c) => c.refusals),
    [
      ['log_slave_updates is off', 'matches PromotionIgnoreHostnameFilters'],
      ['does not replicate with GTID', 'matches PromotionIgnoreHostnameFilters'],
      ['matches PromotionIgnoreHostnameFilters'],
    ],
  );
  const open = readiness([P, at(23307, '0-23306-100'), filePos]);
  assert.deepEqual(show(open).lost, [
    '23308: replicates by binlog file:pos: cannot be moved once its primary is gone',
  ]);
});

void test('readiness: a replica on an older version than the candidate is lost', () => {
  const newer = at(23307, '0-23306-100', {
    over: { version: parseServerVersion('11.4.2-MariaDB') },
  });
  const r = readiness([P, newer, at(23308, '0-23306-90')]);
  assert.match(show(r).lost[0] ?? '', /^23308: replica version .* is older than source version/);
});

void test('readiness: MySQL candidates count GTIDs received but not yet applied', () => {
  const gtid = (executed: string) => ({
    version: parseServerVersion('8.0.36'),
    gtid: { flavor: 'mysql' as const, mode: 'ON' as const, executed, purged: '' },
    serverUuid: undefined,
  });
  const p = primary(23306, gtid(`${UUID}:1-100`));
  const r1 = replica(23307, p, {
    link: { gtidUse: 'auto_position', retrievedGtidSet: `${UUID}:1-98` },
    over: gtid(`${UUID}:1-90`),
  });
  const r = readiness([p, r1]);
  assert.deepEqual(r.transactionsAtRisk, { flavor: 'mysql', total: 2 });
  assert.equal(r.verdict, 'lossy');
});

void test('readiness: primaries without replicas are not listed', () => {
  const other = primary(23400);
  const list = failoverReadiness(snapshot([P, at(23307, '0-23306-100'), other]));
  assert.deepEqual(
    list.map((r) => r.primary),
    [instanceKey('127.0.0.1', 23306)],
  );
});
