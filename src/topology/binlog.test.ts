import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../common/errors.js';
import {
  binlogCoordinates,
  binlogCoordinatesComparable,
  binlogCoordinatesEqual,
  binlogFileBasename,
  binlogFileSequence,
  compareBinlogCoordinates,
  formatBinlogCoordinates,
  nextBinlogFile,
  parseBinlogCoordinates,
  previousBinlogFile,
} from './binlog.js';

const at = parseBinlogCoordinates;

void test('binlog: parse reads file:pos and format writes it back', () => {
  const cases = ['mysql-bin.000012:4567', 'mysqld-bin.000001:4', 'db1-relay-bin.000002:0'];
  for (const text of cases) assert.equal(formatBinlogCoordinates(at(text)), text);
  assert.deepEqual(at(' mysql-bin.000012:4567 '), { file: 'mysql-bin.000012', pos: 4567 });
  assert.equal(binlogFileSequence('mysql-bin.000012'), 12);
  assert.equal(binlogFileBasename('mysql-bin.000012'), 'mysql-bin');
});

void test('binlog: malformed coordinates are refused with INVALID_BINLOG_COORDINATES', () => {
  const cases: { input: string; says: RegExp }[] = [
    { input: 'mysql-bin.000012', says: /no ":"/ },
    { input: 'mysql-bin.000012:', says: /position "" is not a number/ },
    { input: 'mysql-bin.000012:-4', says: /position "-4"/ },
    { input: 'mysql-bin:4', says: /does not end in .NNNNNN/ },
    { input: ':4', says: /file ""/ },
  ];
  for (const c of cases) {
    assert.throws(
      () => at(c.input),
      (err: unknown) =>
        hasCode(err, 'INVALID_BINLOG_COORDINATES') &&
        err.message.includes(`"${c.input}"`) &&
        c.says.test(err.message) &&
        err.message.includes('expected basename.NNNNNN:position'),
      c.input,
    );
  }
  assert.throws(
    () => binlogCoordinates('mysql-bin.000001', 1.5),
    (err: unknown) => hasCode(err, 'INVALID_BINLOG_COORDINATES'),
  );
});

void test('binlog: compare orders by file sequence number, then position', () => {
  const cases: { a: string; b: string; sign: number }[] = [
    { a: 'mysql-bin.000012:4567', b: 'mysql-bin.000012:4567', sign: 0 },
    { a: 'mysql-bin.000012:100', b: 'mysql-bin.000012:4567', sign: -1 },
    { a: 'mysql-bin.000013:4', b: 'mysql-bin.000012:4567', sign: 1 },
    { a: 'mysql-bin.000009:999999', b: 'mysql-bin.000010:4', sign: -1 },
    { a: 'mysql-bin.999999:4', b: 'mysql-bin.1000000:4', sign: -1 },
    { a: 'mysql-bin.12:4', b: 'mysql-bin.000012:4', sign: 0 },
  ];
  for (const c of cases) {
    assert.equal(Math.sign(compareBinlogCoordinates(at(c.a), at(c.b))), c.sign, `${c.a} vs ${c.b}`);
  }
  assert.ok(binlogCoordinatesEqual(at('mysql-bin.12:4'), at('mysql-bin.000012:4')));
  assert.ok(!binlogCoordinatesEqual(at('a-bin.000001:4'), at('b-bin.000001:4')));
});

void test('binlog: files of different basenames are not comparable (BINLOG_NOT_COMPARABLE)', () => {
  const a = at('db1-bin.000012:4567');
  const b = at('db2-bin.000012:4567');
  assert.ok(!binlogCoordinatesComparable(a, b));
  assert.throws(
    () => compareBinlogCoordinates(a, b),
    (err: unknown) =>
      hasCode(err, 'BINLOG_NOT_COMPARABLE') &&
      err.message.includes('db1-bin.000012:4567 and db2-bin.000012:4567'),
  );
});

void test('binlog: next and previous file keep the zero padding', () => {
  const cases: { file: string; next: string; previous: string | undefined }[] = [
    { file: 'mysql-bin.000012', next: 'mysql-bin.000013', previous: 'mysql-bin.000011' },
    { file: 'mysql-bin.000001', next: 'mysql-bin.000002', previous: undefined },
    { file: 'mysql-bin.999999', next: 'mysql-bin.1000000', previous: 'mysql-bin.999998' },
    { file: 'relay.000100', next: 'relay.000101', previous: 'relay.000099' },
  ];
  for (const c of cases) {
    assert.equal(nextBinlogFile(c.file), c.next, c.file);
    assert.equal(previousBinlogFile(c.file), c.previous, c.file);
  }
});
