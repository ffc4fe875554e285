import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendToLog,
  compactTo,
  entriesBetween,
  firstIndexOfTermAt,
  lastIndex,
  lastIndexOfTerm,
  lastTerm,
  makeLog,
  termAt,
  truncateAfter,
} from './log.js';
import { cmd } from './testing.js';

const indexes = (log: ReturnType<typeof makeLog>) =>
  entriesBetween(log, 0, Infinity).map((e) => `${e.index}@${e.term}`);

void test('log: appending to an older value never changes what a newer value sees', () => {
  const base = makeLog(0, 0, [cmd(1, 1), cmd(2, 1)]);
  const grown = appendToLog(base, [cmd(3, 1)]);
  const cut = truncateAfter(grown, 1);
  const forked = appendToLog(cut, [cmd(2, 2)]);
  const regrown = appendToLog(base, [cmd(3, 3)]);
  assert.deepEqual(indexes(base), ['1@1', '2@1']);
  assert.deepEqual(indexes(grown), ['1@1', '2@1', '3@1']);
  assert.deepEqual(indexes(cut), ['1@1']);
  assert.deepEqual(indexes(forked), ['1@1', '2@2']);
  assert.deepEqual(indexes(regrown), ['1@1', '2@1', '3@3']);
});

void test('log: appending out of order is a bug and throws', () => {
  assert.throws(() => appendToLog(makeLog(0, 0, [cmd(1, 1)]), [cmd(3, 1)]), /entry 3 after 1/);
});

void test('log: terms are known for the base and retained entries only', () => {
  const log = makeLog(4, 2, [cmd(5, 2), cmd(6, 3)]);
  const cases: [number, number | undefined][] = [
    [3, undefined],
    [4, 2],
    [5, 2],
    [6, 3],
    [7, undefined],
  ];
  for (const [index, term] of cases) assert.equal(termAt(log, index), term, `index ${index}`);
  assert.equal(lastIndex(log), 6);
  assert.equal(lastTerm(log), 3);
  assert.equal(lastTerm(makeLog(4, 2, [])), 2);
});

void test('log: compaction keeps the tail only when the log holds the snapshot entry', () => {
  const log = makeLog(0, 0, [cmd(1, 1), cmd(2, 1), cmd(3, 2)]);
  assert.deepEqual(indexes(compactTo(log, 2, 1)), ['3@2']);
  assert.deepEqual(indexes(compactTo(log, 2, 9)), []);
  assert.equal(lastIndex(compactTo(log, 7, 4)), 7);
});

void test('log: conflict hints find the first index of a term and the last index of a term', () => {
  const log = makeLog(1, 1, [cmd(2, 1), cmd(3, 2), cmd(4, 2), cmd(5, 2), cmd(6, 4)]);
  assert.equal(firstIndexOfTermAt(log, 5), 3);
  assert.equal(firstIndexOfTermAt(log, 2), 2, 'never below base + 1');
  assert.equal(lastIndexOfTerm(log, 2), 5);
  assert.equal(lastIndexOfTerm(log, 3), undefined);
});
