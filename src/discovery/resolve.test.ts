import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../common/clock.js';
import { formatInstanceKey, instanceKey } from '../topology/index.js';
import { HostnameResolver, type DnsLookup } from './resolve.js';
import type { HostnameResolveMethod } from './settings.js';

const HOUR = 3_600_000;

function dnsTable(): DnsLookup & { asked: string[]; answers: Map<string, string> } {
  const answers = new Map([
    ['db1', '10.0.0.1'],
    ['db1-cname', 'db1.example'],
    ['flaky', '127.0.0.53'],
  ]);
  const asked: string[] = [];
  const answer = (host: string) => {
    asked.push(host);
    const a = answers.get(host);
    return a === undefined ? Promise.reject(new Error('ENOTFOUND')) : Promise.resolve(a);
  };
  return {
    asked,
    answers,
    lookup: answer,
    resolveCname: async (host) => [await answer(host)],
  };
}

function resolver(method: HostnameResolveMethod, dns = dnsTable(), reject?: RegExp) {
  const clock = new ManualClock();
  const stored: string[] = [];
  const r = new HostnameResolver({
    method,
    reject,
    ttlMs: HOUR,
    clock,
    dns,
    store: {
      putResolved: (h, t) => {
        stored.push(`${h}=${t}`);
        return Promise.resolve();
      },
      allResolved: () =>
        Promise.resolve([{ hostname: 'warm', target: 'warmed.example', at: clock.now() }]),
    },
  });
  return { r, dns, clock, stored };
}

void test('resolve: each method turns names into keys as orchestrator does', async () => {
  const cases: [HostnameResolveMethod, string, string][] = [
    ['default', 'db1', 'db1'],
    ['none', 'db1', 'db1'],
    ['ip', 'db1', '10.0.0.1'],
    ['ip', 'unknown-host', 'unknown-host'],
    ['ip', '192.168.1.9', '192.168.1.9'],
    ['cname', 'db1-cname', 'db1.example'],
    ['cname', 'plain', 'plain'],
  ];
  for (const [method, host, expected] of cases) {
    const { r } = resolver(method);
    const k = await r.resolveKey(instanceKey(host, 3306));
    assert.equal(formatInstanceKey(k), `${expected}:3306`, `${method} ${host}`);
  }
});

void test('resolve: results are cached for the TTL, persisted, and warmed at start', async () => {
  const { r, dns, clock, stored } = resolver('ip');
  await r.resolve('db1');
  await r.resolve('db1');
  assert.deepEqual(dns.asked, ['db1'], 'asked once within the TTL');
  assert.deepEqual(stored, ['db1=10.0.0.1']);
  clock.advance(HOUR);
  dns.answers.set('db1', '10.0.0.2');
  assert.equal(await r.resolve('db1'), '10.0.0.2', 'asked again after the TTL');

  await r.warm();
  assert.equal(await r.resolve('warm'), 'warmed.example', 'from the stored cache');
  assert.ok(!dns.asked.includes('warm'));
});

void test('resolve: a result matching RejectHostnameResolvePattern keeps the name', async () => {
  const { r } = resolver('ip', dnsTable(), /^127\./);
  assert.equal(await r.resolve('flaky'), 'flaky');
  assert.equal(await r.resolve('db1'), '10.0.0.1');
});
