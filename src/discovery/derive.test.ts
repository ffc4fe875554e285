import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { toInstance } from '../mysql/index.js';
import {
  formatInstanceKey,
  instanceKeyId,
  type Instance,
  type InstanceKey,
} from '../topology/index.js';
import {
  assembleInstance,
  effectiveClusterAlias,
  placementFromPatterns,
  type AssemblyLookups,
} from './derive.js';
import { FakeFleet, key } from './fixtures.js';
import { testSettings } from './settings.js';

void test('derive: placement from host name patterns takes the first group', () => {
  const patterns = {
    dataCenter: /^db-([a-z]+\d)-/,
    region: /^db-([a-z]+)/,
    environment: /\.(prod|test)\./,
  };
  const cases: [string, (string | undefined)[]][] = [
    ['db-ams1-17.prod.example', ['ams1', 'ams', 'prod']],
    ['db-fra2-3.test.example', ['fra2', 'fra', 'test']],
    ['cache-1.example', [undefined, undefined, undefined]],
  ];
  for (const [host, [dataCenter, region, environment]] of cases) {
    assert.deepEqual(
      placementFromPatterns(host, patterns),
      { dataCenter, region, environment },
      host,
    );
  }
  const none = { dataCenter: undefined, region: undefined, environment: undefined };
  assert.deepEqual(placementFromPatterns('db-ams1-1', none), none);
});

void test('derive: cluster alias — override, then detected, then the name map, then the name', () => {
  const map = [
    { pattern: /^db-orders/, alias: 'orders' },
    { pattern: /^db-/, alias: 'other' },
  ];
  const cases: [string, Parameters<typeof effectiveClusterAlias>[0], string][] = [
    ['override wins', { name: 'db-orders:1', alias: 'q', override: 'manual', map }, 'manual'],
    ['detected by query', { name: 'db-orders:1', alias: 'q', override: undefined, map }, 'q'],
    [
      'first map match',
      { name: 'db-orders:1', alias: 'db-orders:1', override: undefined, map },
      'orders',
    ],
    [
      'later map match',
      { name: 'db-users:1', alias: 'db-users:1', override: undefined, map },
      'other',
    ],
    ['the name', { name: 'x:1', alias: 'x:1', override: undefined, map }, 'x:1'],
  ];
  for (const [name, input, expected] of cases)
    assert.equal(effectiveClusterAlias(input), expected, name);
});

/** A primary at db:1001 and a replica reaching it through link db:2102. */
async function records(sourceServerId?: number) {
  const fleet = new FakeFleet(new ManualClock());
  fleet
    .add('p', { serverId: 1001, reportHost: 'db', reportPort: 1001 }, 'db:1001', 'db:2102')
    .add(
      'r',
      { serverId: 1002, source: 'db:2102', ...(sourceServerId ? { sourceServerId } : {}) },
      'db:1002',
    );
  const primary = toInstance(await fleet.probe(key('db:1001'))) as Instance;
  const byId = new Map<string, Instance>([[instanceKeyId(primary.key), primary]]);
  const lookups: AssemblyLookups = {
    recordOf: (k: InstanceKey) => byId.get(instanceKeyId(k)),
    canonicalOf: (k: InstanceKey) => (formatInstanceKey(k) === 'db:2102' ? key('db:1001') : k),
    promotionRule: undefined,
    aliasOverride: () => undefined,
    settings: testSettings(),
  };
  return { probe: await fleet.probe(key('db:1002')), lookups };
}

void test('derive: a replica reaching its source through an alias hangs under the source', async () => {
  const { probe, lookups } = await records();
  const replica = assembleInstance(probe, undefined, lookups) as Instance;
  assert.equal(formatInstanceKey(replica.replication?.sourceKey ?? key('x:1')), 'db:1001');
  assert.equal(replica.cluster.name, 'db:1001');
  assert.equal(replica.cluster.depth, 1);
});

void test('derive: an alias the replica contradicts (another Master_Server_Id) is not followed', async () => {
  const { probe, lookups } = await records(4242);
  const replica = assembleInstance(probe, undefined, lookups) as Instance;
  assert.equal(formatInstanceKey(replica.replication?.sourceKey ?? key('x:1')), 'db:2102');
  assert.equal(
    replica.cluster.name,
    'db:1002',
    'it heads its own cluster until its source is known',
  );
  assert.equal(replica.cluster.depth, 0);
});
