import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../common/errors.js';
import {
  canReplicateFrom,
  compareServerVersions,
  isMariaDB,
  parseServerVersion,
  versionSeries,
  type ServerFlavor,
} from './version.js';

void test('version: real version strings give numbers and flavor', () => {
  const cases: {
    raw: string;
    comment?: string;
    numbers: [number, number, number];
    flavor: ServerFlavor;
    suffix: string;
  }[] = [
    {
      raw: '10.11.19-MariaDB-0+deb12u1',
      numbers: [10, 11, 19],
      flavor: 'mariadb',
      suffix: '-MariaDB-0+deb12u1',
    },
    { raw: '11.4.2-MariaDB-log', numbers: [11, 4, 2], flavor: 'mariadb', suffix: '-MariaDB-log' },
    {
      raw: '5.5.5-10.11.6-MariaDB-1:10.11.6+maria~ubu2204',
      numbers: [10, 11, 6],
      flavor: 'mariadb',
      suffix: '-MariaDB-1:10.11.6+maria~ubu2204',
    },
    { raw: '8.0.36-28', numbers: [8, 0, 36], flavor: 'percona', suffix: '-28' },
    { raw: '8.0.36-28.1', numbers: [8, 0, 36], flavor: 'percona', suffix: '-28.1' },
    { raw: '5.7.44-48-log', numbers: [5, 7, 44], flavor: 'percona', suffix: '-48-log' },
    { raw: '5.7.44-log', numbers: [5, 7, 44], flavor: 'mysql', suffix: '-log' },
    { raw: '8.4.0', numbers: [8, 4, 0], flavor: 'mysql', suffix: '' },
    {
      raw: '8.0.36-0ubuntu0.22.04.1',
      numbers: [8, 0, 36],
      flavor: 'mysql',
      suffix: '-0ubuntu0.22.04.1',
    },
    {
      raw: '8.0.36-28',
      comment: 'MySQL Community Server - GPL',
      numbers: [8, 0, 36],
      flavor: 'mysql',
      suffix: '-28',
    },
    {
      raw: '8.0.36',
      comment: 'Percona Server (GPL), Release 28, Revision 47601f19',
      numbers: [8, 0, 36],
      flavor: 'percona',
      suffix: '',
    },
  ];
  for (const c of cases) {
    const v = parseServerVersion(c.raw, c.comment);
    assert.deepEqual([v.major, v.minor, v.patch], c.numbers, c.raw);
    assert.equal(v.flavor, c.flavor, c.raw);
    assert.equal(v.suffix, c.suffix, c.raw);
    assert.equal(v.raw, c.raw);
  }
  assert.ok(isMariaDB(parseServerVersion('10.6.16-MariaDB')));
  assert.ok(!isMariaDB(parseServerVersion('8.0.36')));
  assert.equal(versionSeries(parseServerVersion('10.11.19-MariaDB')), '10.11');
});

void test('version: text without major.minor.patch is refused with INVALID_VERSION', () => {
  for (const raw of ['', 'MariaDB', '8.0', 'v8.0.36']) {
    assert.throws(
      () => parseServerVersion(raw),
      (err: unknown) =>
        hasCode(err, 'INVALID_VERSION') &&
        err.message.includes(`"${raw}"`) &&
        err.message.includes('expected major.minor.patch'),
      raw,
    );
  }
});

void test('version: compare orders by major, minor, then patch', () => {
  const sorted = ['8.0.36', '5.7.44-log', '8.4.0', '8.0.4', '10.11.19-MariaDB']
    .map((t) => parseServerVersion(t))
    .sort(compareServerVersions)
    .map((v) => v.raw);
  assert.deepEqual(sorted, ['5.7.44-log', '8.0.4', '8.0.36', '8.4.0', '10.11.19-MariaDB']);
});

void test('version: replication needs a replica not older than its source, in one family', () => {
  const cases: { replica: string; source: string; gtid: boolean; refused?: RegExp }[] = [
    { replica: '8.0.36', source: '8.0.30', gtid: true },
    { replica: '8.0.30', source: '8.0.36', gtid: true },
    { replica: '8.4.0', source: '8.0.36', gtid: true },
    {
      replica: '5.7.44-log',
      source: '8.0.36',
      gtid: false,
      refused: /5\.7\.44-log \(5\.7\) is older than source version 8\.0\.36 \(8\.0\)/,
    },
    { replica: '11.4.2-MariaDB', source: '10.11.19-MariaDB', gtid: true },
    { replica: '10.11.19-MariaDB', source: '11.4.2-MariaDB', gtid: true, refused: /is older/ },
    { replica: '8.0.36-28', source: '8.0.36', gtid: true },
    {
      replica: '8.0.36',
      source: '10.11.19-MariaDB',
      gtid: false,
      refused: /cannot replicate from MariaDB/,
    },
    { replica: '10.11.19-MariaDB', source: '5.7.44-log', gtid: false },
    {
      replica: '10.11.19-MariaDB',
      source: '5.7.44-log',
      gtid: true,
      refused: /GTIDs are incompatible/,
    },
  ];
  for (const c of cases) {
    const verdict = canReplicateFrom(parseServerVersion(c.replica), parseServerVersion(c.source), {
      usingGtid: c.gtid,
    });
    const name = `${c.replica} from ${c.source}${c.gtid ? ' with GTID' : ''}`;
    if (c.refused === undefined) {
      assert.deepEqual(verdict, { ok: true }, name);
    } else {
      assert.ok(
        !verdict.ok && c.refused.test(verdict.reason),
        `${name}: ${JSON.stringify(verdict)}`,
      );
    }
  }
});
