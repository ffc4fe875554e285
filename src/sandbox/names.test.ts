import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasCode } from '../common/errors.js';
import { describeLink, linkId, listSome, resolveInstance, resolveLink } from './names.js';

const instances = [
  { name: 's1', publicPort: 23306 },
  { name: 's2', publicPort: 23307 },
];

void test('names: an instance is found by name, port, or loopback address', () => {
  const cases: [string, string][] = [
    ['s2', 's2'],
    ['S2', 's2'],
    ['23307', 's2'],
    ['127.0.0.1:23306', 's1'],
    ['localhost:23306', 's1'],
    [' s1 ', 's1'],
  ];
  for (const [ref, name] of cases) assert.equal(resolveInstance(ref, instances), name, ref);
});

void test('names: an unknown instance lists the valid ones', () => {
  for (const ref of ['s3', '23308', '10.0.0.1:23306', 'db1:23306', '']) {
    assert.throws(
      () => resolveInstance(ref, instances),
      (err) =>
        hasCode(err, 'SANDBOX_UNKNOWN_INSTANCE') &&
        err.message.includes('s1 (127.0.0.1:23306), s2 (127.0.0.1:23307)'),
      ref,
    );
  }
});

void test('names: links resolve both ends and reject impossible ones', () => {
  assert.deepEqual(resolveLink('orc', '23306', instances), { from: 'orc', to: 's1' });
  assert.deepEqual(resolveLink('127.0.0.1:23307', 's1', instances), { from: 's2', to: 's1' });
  assert.equal(linkId({ from: 's2', to: 's1' }), 's2>s1');
  assert.equal(describeLink({ from: 'orc', to: 's1' }, instances), 'orc → s1 (127.0.0.1:23306)');
  assert.throws(
    () => resolveLink('s1', 's1', instances),
    (e) => hasCode(e, 'SANDBOX_BAD_OPTIONS'),
  );
  assert.throws(
    () => resolveLink('s1', 'orc', instances),
    (e) => hasCode(e, 'SANDBOX_BAD_OPTIONS'),
  );
  assert.throws(
    () => resolveLink('s9', 's1', instances),
    (e) => hasCode(e, 'SANDBOX_UNKNOWN_INSTANCE'),
  );
});

void test('names: a long list names five items, then how many more', () => {
  const items = Array.from({ length: 60 }, (_, i) => `s${i + 2}: not caught up`);
  assert.equal(
    listSome(items),
    's2: not caught up; s3: not caught up; s4: not caught up; s5: not caught up; ' +
      's6: not caught up; and 55 more',
  );
  assert.equal(listSome(['s2: x']), 's2: x');
});
