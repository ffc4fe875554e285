import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gtidCovers, parseGtidPosition } from './gtid.js';

void test('gtid: positions parse per domain', () => {
  const pos = parseGtidPosition('0-23306-15, 1-23307-3');
  assert.deepEqual(pos.get(0), { server: 23306, seq: 15n });
  assert.deepEqual(pos.get(1), { server: 23307, seq: 3n });
  assert.equal(parseGtidPosition('').size, 0);
  assert.throws(() => parseGtidPosition('0-1'), /malformed/);
});

void test('gtid: a replica covers a position when every domain is at least as far', () => {
  const cases: [string, string, boolean][] = [
    ['0-1-5', '0-1-5', true],
    ['0-2-7', '0-1-5', true],
    ['0-1-4', '0-1-5', false],
    ['', '0-1-5', false],
    ['0-1-5', '', true],
    ['0-1-5,1-2-1', '0-1-5,1-2-2', false],
    ['0-1-9,1-2-2', '0-1-5,1-2-2', true],
  ];
  for (const [have, want, covers] of cases) {
    assert.equal(
      gtidCovers(parseGtidPosition(have), parseGtidPosition(want)),
      covers,
      `${have} ⊇ ${want}`,
    );
  }
});
