import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatInstanceKey } from '../topology/index.js';
import { fingerprint, IdentityIndex, preferredKey, type IdentityFacts } from './identity.js';
import type { ServerNameMethod } from './settings.js';

const maria = (over: Partial<IdentityFacts> = {}): IdentityFacts => ({
  serverId: 23306,
  serverUuid: undefined,
  hostname: 'vm',
  reportHost: '127.0.0.1',
  reportPort: 23306,
  ...over,
});

void test('identity: fingerprints are equal exactly for the same server, whatever the address', () => {
  const cases: [string, IdentityFacts, IdentityFacts, boolean][] = [
    ['same variables', maria(), maria(), true],
    ['another server_id', maria(), maria({ serverId: 23307 }), false],
    ['another report port', maria(), maria({ reportPort: 23307 }), false],
    ['another host', maria(), maria({ hostname: 'vm2' }), false],
    ['host name case', maria(), maria({ hostname: 'VM' }), true],
    [
      'MySQL: the uuid decides, whatever server_id says',
      maria({ serverUuid: 'AAAA-1', serverId: 1 }),
      maria({ serverUuid: 'aaaa-1', serverId: 2 }),
      true,
    ],
    [
      'MySQL: another uuid is another server',
      maria({ serverUuid: 'aaaa-1' }),
      maria({ serverUuid: 'aaaa-2' }),
      false,
    ],
  ];
  for (const [name, a, b, same] of cases) {
    assert.equal(fingerprint(a) === fingerprint(b), same, name);
  }
});

void test('identity: the preferred key is report_host:report_port, else @@hostname', () => {
  const cases: [string, IdentityFacts, ServerNameMethod, string | undefined][] = [
    ['report address', maria(), '@@hostname', '127.0.0.1:23306'],
    ['report address with @@report_host', maria(), '@@report_host', '127.0.0.1:23306'],
    [
      'report_port unset: the probed port',
      maria({ reportPort: undefined }),
      '@@hostname',
      '127.0.0.1:3306',
    ],
    ['no report_host: @@hostname', maria({ reportHost: undefined }), '@@hostname', 'vm:3306'],
    [
      'no report_host with @@report_host',
      maria({ reportHost: undefined }),
      '@@report_host',
      undefined,
    ],
    ['none', maria(), 'none', undefined],
    ['an invalid name', maria({ reportHost: 'not a host!' }), '@@hostname', undefined],
  ];
  for (const [name, identity, method, expected] of cases) {
    const key = preferredKey(identity, 3306, method);
    assert.equal(key === undefined ? undefined : formatInstanceKey(key), expected, name);
  }
});

void test('identity: judging a probe — new server, another name, a better name, a silent holder', () => {
  const index = new IdentityIndex();
  const never = () => false;
  assert.deepEqual(index.judge('a:1', 'P', { preferred: undefined, failing: never }), {
    kind: 'self',
  });
  index.claim('a:1', 'P');
  assert.deepEqual(index.judge('a:1', 'P', { preferred: undefined, failing: never }), {
    kind: 'self',
  });
  assert.deepEqual(index.judge('link:1', 'P', { preferred: 'a:1', failing: never }), {
    kind: 'alias',
    canonical: 'a:1',
  });
  assert.deepEqual(index.judge('own:1', 'P', { preferred: 'own:1', failing: never }), {
    kind: 'takeover',
    from: 'a:1',
  });
  assert.deepEqual(index.judge('b:1', 'P', { preferred: undefined, failing: () => true }), {
    kind: 'takeover',
    from: 'a:1',
  });
  assert.deepEqual(index.judge('b:1', 'P', { preferred: 'a:1', failing: () => true }), {
    kind: 'alias',
    canonical: 'a:1',
  });
});

void test('identity: takeover moves the old name and its aliases to the new canonical', () => {
  const index = new IdentityIndex();
  index.claim('ip:1', 'P');
  index.addAlias('vip:1', 'ip:1');
  const moved = index.takeover('name:1', 'ip:1');
  assert.deepEqual(moved.sort(), ['ip:1', 'vip:1']);
  assert.equal(index.canonicalOf('ip:1'), 'name:1');
  assert.equal(index.canonicalOf('vip:1'), 'name:1');
  assert.equal(index.canonicalOf('name:1'), 'name:1');
  assert.deepEqual(index.judge('ip:1', 'P', { preferred: undefined, failing: () => false }), {
    kind: 'alias',
    canonical: 'name:1',
  });
});

void test('identity: a canonical address now answering as another server drops its aliases', () => {
  const index = new IdentityIndex();
  index.claim('a:1', 'P');
  index.addAlias('vip:1', 'a:1');
  assert.deepEqual(index.claim('a:1', 'Q'), ['vip:1']);
  assert.equal(index.canonicalOf('vip:1'), undefined);
  assert.deepEqual(index.judge('b:1', 'P', { preferred: undefined, failing: () => false }), {
    kind: 'self',
  });
  index.releaseCanonical('a:1');
  assert.equal(index.canonicalOf('a:1'), undefined);
});
