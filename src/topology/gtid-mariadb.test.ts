import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hasCode } from '../common/errors.js';
import {
  compareMariaDbPositions,
  formatMariaDbGtidPosition,
  isMariaDbPositionAtLeast,
  mariaDbDomainsDiffering,
  mariaDbGtidInDomain,
  mariaDbTransactionsBehind,
  parseMariaDbBinlogState,
  parseMariaDbGtid,
  parseMariaDbGtidPosition,
} from './gtid-mariadb.js';

const pos = parseMariaDbGtidPosition;

void test('gtid-mariadb: positions parse to domain-sorted GTIDs and format canonically', () => {
  const cases: { name: string; input: string; canonical: string }[] = [
    { name: 'empty (gtid_slave_pos of a primary)', input: '', canonical: '' },
    { name: 'blank', input: '  \n', canonical: '' },
    { name: 'sandbox replica after 5 trx', input: '0-6-5', canonical: '0-6-5' },
    { name: 'multi-domain', input: '0-1-100,1-2-50', canonical: '0-1-100,1-2-50' },
    { name: 'domains out of order', input: '2-1-7,0-1-100', canonical: '0-1-100,2-1-7' },
    { name: 'spaces and newline', input: ' 1-2-50 ,\n0-1-100 ', canonical: '0-1-100,1-2-50' },
    {
      name: 'max values',
      input: '4294967295-4294967295-18446744073709551615',
      canonical: '4294967295-4294967295-18446744073709551615',
    },
  ];
  for (const c of cases) {
    assert.equal(formatMariaDbGtidPosition(pos(c.input)), c.canonical, c.name);
  }
  assert.deepEqual(parseMariaDbGtid('0-6-5'), { domain: 0, serverId: 6, seq: 5n });
  assert.deepEqual(mariaDbGtidInDomain(pos('0-1-100,1-2-50'), 1), {
    domain: 1,
    serverId: 2,
    seq: 50n,
  });
  assert.equal(mariaDbGtidInDomain(pos('0-1-100'), 3), undefined);
});

void test('gtid-mariadb: malformed positions are refused with INVALID_GTID_POSITION', () => {
  const cases: { name: string; input: string; says: RegExp }[] = [
    { name: 'two parts', input: '0-1', says: /"0-1" is not domain-server_id-seq/ },
    { name: 'letters', input: '0-a-1', says: /not domain-server_id-seq/ },
    {
      name: 'MySQL uuid set',
      input: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
      says: /not domain/,
    },
    { name: 'negative', input: '0--1-5', says: /not domain/ },
    {
      name: 'same domain twice',
      input: '0-1-5,0-2-6',
      says: /0-1-5 and 0-2-6 are both in domain 0/,
    },
    { name: 'trailing comma', input: '0-1-5,', says: /empty/ },
    { name: 'domain beyond 32 bits', input: '4294967296-1-1', says: /domain 4294967296/ },
    { name: 'server_id beyond 32 bits', input: '0-4294967296-1', says: /server_id/ },
    { name: 'seq beyond 64 bits', input: '0-1-18446744073709551616', says: /seq/ },
  ];
  for (const c of cases) {
    assert.throws(
      () => pos(c.input),
      (err: unknown) =>
        hasCode(err, 'INVALID_GTID_POSITION') &&
        err.message.includes(`"${c.input}"`) &&
        c.says.test(err.message) &&
        err.message.includes('expected domain-server_id-seq'),
      c.name,
    );
  }
});

void test('gtid-mariadb: binlog state allows one GTID per domain and server', () => {
  const state = parseMariaDbBinlogState('0-2-120,0-1-100,1-2-50');
  assert.equal(formatMariaDbGtidPosition(state), '0-1-100,0-2-120,1-2-50');
  assert.throws(
    () => parseMariaDbBinlogState('0-1-5,0-1-6'),
    (err: unknown) => hasCode(err, 'INVALID_GTID_POSITION') && /appear twice/.test(err.message),
  );
});

void test('gtid-mariadb: each domain compares as ahead, behind, equal, diverged or missing', () => {
  const result = compareMariaDbPositions(
    pos('0-1-100,1-2-50,2-3-7,3-1-9,4-4-4'),
    pos('0-1-90,1-2-60,2-3-7,3-2-9,5-1-1'),
  );
  assert.deepEqual(
    result.map((c) => [c.domain, c.relation]),
    [
      [0, 'ahead'],
      [1, 'behind'],
      [2, 'equal'],
      [3, 'diverged'],
      [4, 'only-in-a'],
      [5, 'only-in-b'],
    ],
  );
  assert.deepEqual(result[0]?.a, { domain: 0, serverId: 1, seq: 100n });
  assert.equal(result[4]?.b, undefined);
});

void test('gtid-mariadb: domains differing lists every domain not at the same GTID', () => {
  const cases: { a: string; b: string; differing: number[] }[] = [
    { a: '0-1-100', b: '0-1-100', differing: [] },
    { a: '', b: '', differing: [] },
    { a: '0-1-100,1-2-5', b: '0-1-100', differing: [1] },
    { a: '0-1-100', b: '0-2-100', differing: [0] },
    { a: '0-1-100,1-1-1', b: '0-1-99,1-1-1,2-1-1', differing: [0, 2] },
  ];
  for (const c of cases) {
    assert.deepEqual(mariaDbDomainsDiffering(pos(c.a), pos(c.b)), c.differing, `${c.a} vs ${c.b}`);
  }
});

void test('gtid-mariadb: isAtLeast holds per domain of the target, and fails on divergence', () => {
  const cases: { a: string; b: string; atLeast: boolean; why: string }[] = [
    { a: '0-1-100', b: '0-1-100', atLeast: true, why: 'same position' },
    { a: '0-1-101', b: '0-1-100', atLeast: true, why: 'ahead' },
    { a: '0-2-101', b: '0-1-100', atLeast: true, why: 'ahead with a later writer' },
    { a: '0-1-99', b: '0-1-100', atLeast: false, why: 'behind' },
    { a: '0-2-100', b: '0-1-100', atLeast: false, why: 'same seq, other server' },
    { a: '0-1-100,1-2-9', b: '0-1-100', atLeast: true, why: 'extra domain in a' },
    { a: '0-1-100', b: '0-1-100,1-2-9', atLeast: false, why: 'domain of b missing in a' },
    { a: '0-1-5', b: '', atLeast: true, why: 'empty target' },
    { a: '', b: '', atLeast: true, why: 'both empty' },
  ];
  for (const c of cases) {
    assert.equal(isMariaDbPositionAtLeast(pos(c.a), pos(c.b)), c.atLeast, c.why);
  }
});

void test('gtid-mariadb: transactions behind count seq differences per source domain', () => {
  const cases: { replica: string; source: string; behind: [number, bigint][] }[] = [
    { replica: '0-1-90', source: '0-1-100', behind: [[0, 10n]] },
    { replica: '0-1-100', source: '0-1-100', behind: [[0, 0n]] },
    { replica: '0-1-110', source: '0-1-100', behind: [[0, 0n]] },
    {
      replica: '0-1-100',
      source: '0-1-100,1-2-50',
      behind: [
        [0, 0n],
        [1, 50n],
      ],
    },
    { replica: '0-1-100,7-7-7', source: '0-2-130', behind: [[0, 30n]] },
    { replica: '0-6-5', source: '', behind: [] },
  ];
  for (const c of cases) {
    const got = mariaDbTransactionsBehind(pos(c.replica), pos(c.source)).map((l) => [
      l.domain,
      l.count,
    ]);
    assert.deepEqual(got, c.behind, `${c.replica} behind ${c.source}`);
  }
});

const gtidArb = fc
  .record({
    domain: fc.integer({ min: 0, max: 5 }),
    serverId: fc.integer({ min: 1, max: 4 }),
    seq: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
  })
  .map((g) => ({ ...g }));
const positionArb = fc.uniqueArray(gtidArb, { selector: (g) => g.domain, maxLength: 6 });

void test('gtid-mariadb: format then parse is the identity; a position is at least itself', () => {
  fc.assert(
    fc.property(positionArb, (gtids) => {
      const text = formatMariaDbGtidPosition(gtids);
      const parsed = pos(text);
      assert.equal(formatMariaDbGtidPosition(parsed), text);
      assert.deepEqual(
        parsed,
        [...gtids].sort((a, b) => a.domain - b.domain),
      );
      assert.ok(isMariaDbPositionAtLeast(parsed, parsed));
      assert.deepEqual(mariaDbDomainsDiffering(parsed, parsed), []);
    }),
  );
});

void test('gtid-mariadb: comparison is antisymmetric (ahead one way is behind the other)', () => {
  const flip = {
    ahead: 'behind',
    behind: 'ahead',
    'only-in-a': 'only-in-b',
    'only-in-b': 'only-in-a',
  };
  fc.assert(
    fc.property(positionArb, positionArb, (a, b) => {
      const ab = compareMariaDbPositions(a, b);
      const ba = compareMariaDbPositions(b, a);
      assert.deepEqual(
        ab.map((c) => (c.relation in flip ? flip[c.relation as keyof typeof flip] : c.relation)),
        ba.map((c) => c.relation),
      );
    }),
  );
});
