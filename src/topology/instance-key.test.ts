import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../common/errors.js';
import {
  compareInstanceKeys,
  formatInstanceKey,
  instanceKey,
  instanceKeyId,
  instanceKeysEqual,
  parseInstanceKey,
} from './instance-key.js';

void test('instance-key: parse reads host:port, bare hosts and bracketed IPv6', () => {
  const cases: { input: string; host: string; port: number }[] = [
    { input: 'db1.example.com:3307', host: 'db1.example.com', port: 3307 },
    { input: 'db1', host: 'db1', port: 3306 },
    { input: '127.0.0.1:23306', host: '127.0.0.1', port: 23306 },
    { input: '  DB-1.Example.COM:3306 ', host: 'db-1.example.com', port: 3306 },
    { input: '[::1]:3306', host: '::1', port: 3306 },
    { input: '[fe80::1%eth0]:3310', host: 'fe80::1%eth0', port: 3310 },
    { input: '[::1]', host: '::1', port: 3306 },
    { input: '::1', host: '::1', port: 3306 },
    { input: '2001:DB8::7', host: '2001:db8::7', port: 3306 },
    { input: 'my_host:1', host: 'my_host', port: 1 },
    { input: '[::ffff:10.0.0.1]:3306', host: '::ffff:10.0.0.1', port: 3306 },
    { input: '[1:2:3:4:5:6:7:8]:3306', host: '1:2:3:4:5:6:7:8', port: 3306 },
    { input: 'fe80::', host: 'fe80::', port: 3306 },
    { input: 'h:65535', host: 'h', port: 65535 },
  ];
  for (const c of cases) {
    assert.deepEqual(parseInstanceKey(c.input, 3306), { host: c.host, port: c.port }, c.input);
  }
});

void test('instance-key: bad keys are refused with INVALID_INSTANCE_KEY and the form', () => {
  const cases: { input: string; says: RegExp }[] = [
    { input: '', says: /it is empty/ },
    { input: ':3306', says: /host is empty/ },
    { input: 'db1:', says: /port "" is not a number/ },
    { input: 'db1:abc', says: /port "abc" is not a number/ },
    { input: 'db1:0', says: /port 0 is not between 1 and 65535/ },
    { input: 'db1:65536', says: /port 65536/ },
    { input: 'db 1:3306', says: /is not a valid host name or IP address/ },
    { input: 'db1/x:3306', says: /not a valid host name/ },
    { input: '[::1', says: /not closed/ },
    { input: '[::1]3306', says: /unexpected "3306" after "\]"/ },
    { input: '[db1]:3306', says: /not an IPv6 address/ },
    { input: '[::1]:x', says: /port "x"/ },
    { input: 'db1:3306:aa', says: /is not a valid host name or IP address/ },
    { input: '[1:2:3:4:5:6:7]:3306', says: /not a valid host name/ },
    { input: '[1::2::3]:3306', says: /not a valid host name/ },
    { input: '[::ffff:10.0.0.300]:3306', says: /not a valid host name/ },
    { input: '[12345::1]:3306', says: /not a valid host name/ },
  ];
  for (const c of cases) {
    assert.throws(
      () => parseInstanceKey(c.input, 3306),
      (err: unknown) =>
        hasCode(err, 'INVALID_INSTANCE_KEY') &&
        err.message.includes(`"${c.input}"`) &&
        c.says.test(err.message) &&
        err.message.includes('expected host:port, host, or [ipv6]:port'),
      c.input,
    );
  }
  assert.throws(
    () => parseInstanceKey('db1', 0),
    (err: unknown) => hasCode(err, 'INVALID_INSTANCE_KEY'),
  );
});

void test('instance-key: format brackets IPv6 and parse reads it back unchanged', () => {
  const keys = [instanceKey('db1', 3306), instanceKey('::1', 3307), instanceKey('10.0.0.5', 1)];
  for (const key of keys) {
    assert.deepEqual(parseInstanceKey(formatInstanceKey(key), 9999), key);
  }
  assert.equal(formatInstanceKey(instanceKey('::1', 3307)), '[::1]:3307');
  assert.equal(instanceKeyId(instanceKey('DB1', 3306)), 'db1:3306');
});

void test('instance-key: equality ignores host case and compare orders by host then port', () => {
  assert.ok(instanceKeysEqual(instanceKey('DB1', 3306), parseInstanceKey('db1:3306', 1)));
  assert.ok(!instanceKeysEqual(instanceKey('db1', 3306), instanceKey('db1', 3307)));
  const sorted = ['b:1', 'a:3307', 'a:3306']
    .map((t) => parseInstanceKey(t, 3306))
    .sort(compareInstanceKeys)
    .map(formatInstanceKey);
  assert.deepEqual(sorted, ['a:3306', 'a:3307', 'b:1']);
  assert.throws(
    () => instanceKey('', 3306),
    (err: unknown) => hasCode(err, 'INVALID_INSTANCE_KEY'),
  );
});
