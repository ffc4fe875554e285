import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReplicaHost } from '../mysql/index.js';
import { formatInstanceKey, instanceKeyId } from '../topology/index.js';
import { crawlCandidates, planCrawl, type CrawlCandidate } from './crawl.js';
import { filterMatch, type FoundAs } from './filters.js';
import { channel, key } from './fixtures.js';
import { compileConfig, readDocument } from '../config/index.js';
import { discoverySettings, testSettings, type DiscoveryFilterSettings } from './settings.js';

const none: DiscoveryFilterSettings = { ignore: [], ignoreReplica: [], ignorePrimary: [] };
const show = (c: readonly CrawlCandidate[]) =>
  c.map((x) => `${x.foundAs} ${formatInstanceKey(x.key)}`);
const replica = (text: string): ReplicaHost => ({
  key: key(text),
  serverId: undefined,
  serverUuid: undefined,
  via: 'replica-hosts',
});

void test('crawl: candidates are every connection source, every replica and the preferred key', () => {
  const candidates = crawlCandidates(
    {
      replication: channel(key('link:1'), 1),
      otherChannels: [channel(key('other:1'), 9)],
      replicas: [replica('r:1'), replica('r:2')],
    },
    key('own:1'),
  );
  assert.deepEqual(show(candidates), [
    'source link:1',
    'source other:1',
    'replica r:1',
    'replica r:2',
    'direct own:1',
  ]);
  assert.deepEqual(crawlCandidates({}, undefined), []);
});

void test('crawl: the plan probes each unknown address once, skipping itself and known ones', () => {
  const known = new Set(['known:1', 'alias:1']);
  const plan = planCrawl(
    [
      { key: key('self:1'), foundAs: 'direct' },
      { key: key('known:1'), foundAs: 'source' },
      { key: key('alias:1'), foundAs: 'source' },
      { key: key('new:1'), foundAs: 'replica' },
      { key: key('new:1'), foundAs: 'replica' },
      { key: key('up:1'), foundAs: 'source' },
    ],
    { self: 'self:1', isKnown: (id) => known.has(id), filters: none },
  );
  assert.deepEqual(show(plan.probe), ['replica new:1', 'source up:1']);
  assert.deepEqual(plan.filtered, []);
});

void test('crawl: filters by the direction an address was found in', () => {
  const filters: DiscoveryFilterSettings = {
    ignore: [/^secret/],
    ignoreReplica: [/^backup/],
    ignorePrimary: [/:3307$/],
  };
  const cases: [string, FoundAs, string | undefined][] = [
    ['secret-db:3306', 'direct', 'ignore ^secret'],
    ['secret-db:3306', 'replica', 'ignore ^secret'],
    ['backup-1:3306', 'replica', 'ignore-replica ^backup'],
    ['backup-1:3306', 'source', undefined],
    ['backup-1:3306', 'direct', undefined],
    ['db:3307', 'source', 'ignore-primary :3307$'],
    ['db:3307', 'replica', undefined],
    ['db:3306', 'source', undefined],
  ];
  for (const [address, foundAs, expected] of cases) {
    const m = filterMatch(filters, key(address), foundAs);
    assert.equal(
      m === undefined ? undefined : `${m.filter} ${m.pattern}`,
      expected,
      `${foundAs} ${address}`,
    );
  }
  const plan = planCrawl(
    [
      { key: key('backup-1:3306'), foundAs: 'replica' },
      { key: key('db:3306'), foundAs: 'replica' },
    ],
    { self: instanceKeyId(key('p:1')), isKnown: () => false, filters },
  );
  assert.deepEqual(show(plan.probe), ['replica db:3306']);
  assert.deepEqual(show(plan.filtered), ['replica backup-1:3306']);
});

void test('crawl: settings refuse a seed that is no address and a pattern that does not parse', () => {
  assert.throws(() => testSettings({ seeds: ['db:99999'] }), { code: 'DISCOVERY_BAD_SEED' });
  const config = compileConfig([readDocument({ DiscoveryIgnoreHostnameFilters: ['('] }, 't')], {
    env: {},
  }).config;
  assert.throws(() => discoverySettings(config), { code: 'DISCOVERY_BAD_PATTERN' });
  const ok = compileConfig([readDocument({ DiscoverySeeds: ['db1', 'db2:3307'] }, 't')], {
    env: {},
  }).config;
  assert.deepEqual(discoverySettings(ok).seeds.map(formatInstanceKey), ['db1:3306', 'db2:3307']);
});
