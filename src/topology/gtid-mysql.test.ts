import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hasCode } from '../common/errors.js';
import {
  countGtids,
  EMPTY_GTID_SET,
  formatMysqlGtidSet,
  gtidSetContains,
  gtidSetsEqual,
  gtidSetUuids,
  intersectGtidSets,
  isEmptyGtidSet,
  mysqlErrantGtids,
  mysqlGtidSetFrom,
  parseMysqlGtidSet,
  removeGtidUuids,
  subtractGtidSets,
  unionGtidSets,
  type GtidSetEntry,
  type MysqlGtidSet,
} from './gtid-mysql.js';

const A = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
const B = '4ad3e0a2-5c31-11ef-9a0b-0242ac120002';
const C = 'f1b4c6d2-0000-11ef-8000-000000000003';

const fmt = (text: string): string => formatMysqlGtidSet(parseMysqlGtidSet(text));

void test('gtid-mysql: parse and format give canonical text for real-world sets', () => {
  const cases: { name: string; input: string; canonical: string }[] = [
    { name: 'empty', input: '', canonical: '' },
    { name: 'blank with newline', input: ' \n', canonical: '' },
    { name: 'one transaction', input: `${A}:23`, canonical: `${A}:23` },
    { name: 'range', input: `${A}:1-5`, canonical: `${A}:1-5` },
    {
      name: 'SHOW MASTER STATUS with ",\\n" separators',
      input: `${B}:1-1023:1025-2000,\n${A}:1-5`,
      canonical: `${A}:1-5,${B}:1-1023:1025-2000`,
    },
    { name: 'upper-case uuid', input: `${A.toUpperCase()}:1-3`, canonical: `${A}:1-3` },
    { name: 'uuid without hyphens', input: `${A.replaceAll('-', '')}:7`, canonical: `${A}:7` },
    { name: 'adjacent intervals merge', input: `${A}:1-3:4-6:8`, canonical: `${A}:1-6:8` },
    { name: 'overlap and disorder merge', input: `${A}:5-9:1-6`, canonical: `${A}:1-9` },
    { name: 'repeated uuid merges', input: `${A}:1-2, ${A}:3`, canonical: `${A}:1-3` },
    { name: 'spaces around separators', input: ` ${A} : 1 - 3 : 5 `, canonical: `${A}:1-3:5` },
    { name: 'uuid with no interval adds nothing', input: `${A},${B}:1`, canonical: `${B}:1` },
    { name: 'single number written as range', input: `${A}:4-4`, canonical: `${A}:4` },
  ];
  for (const c of cases) assert.equal(fmt(c.input), c.canonical, c.name);
});

void test('gtid-mysql: tagged GTIDs of MySQL 8.3+ are kept, lower-cased and ordered', () => {
  const cases: { name: string; input: string; canonical: string }[] = [
    { name: 'tag after untagged', input: `${A}:1-4:aaaa:1`, canonical: `${A}:1-4:aaaa:1` },
    { name: 'tag only', input: `${A}:dba:1-3`, canonical: `${A}:dba:1-3` },
    {
      name: 'docs form: uuid repeated per tag',
      input: `${A.toUpperCase()}:Domain_1:1-3:15-21, ${A}:Domain_2:8-52`,
      canonical: `${A}:domain_1:1-3:15-21:domain_2:8-52`,
    },
    {
      name: 'tags sorted, untagged first',
      input: `${A}:x:1:abc:1-3,${A}:2-9`,
      canonical: `${A}:2-9:abc:1-3:x:1`,
    },
    { name: 'underscore tag', input: `${A}:_t:5`, canonical: `${A}:_t:5` },
  ];
  for (const c of cases) assert.equal(fmt(c.input), c.canonical, c.name);
  const sticky = parseMysqlGtidSet(`${A}:x:1:abc:1-3:5`);
  assert.equal(formatMysqlGtidSet(sticky), `${A}:abc:1-3:5:x:1`, 'a tag applies until the next');
  const tagged = parseMysqlGtidSet(`${A}:1-2:t:1-2`);
  assert.equal(countGtids(tagged), 4n, 'tagged and untagged transactions are distinct');
});

void test('gtid-mysql: malformed sets are refused with INVALID_GTID_SET quoting the text', () => {
  const cases: { name: string; input: string; says: RegExp }[] = [
    { name: 'not a uuid', input: 'abc:1-3', says: /"abc" is not a server uuid/ },
    { name: 'zero', input: `${A}:0-3`, says: /start at 1/ },
    { name: 'reversed range', input: `${A}:5-3`, says: /5-3 ends before it starts/ },
    { name: 'beyond 2^63-1', input: `${A}:9223372036854775808`, says: /beyond/ },
    { name: 'empty element', input: `${A}::3`, says: /empty element/ },
    { name: 'bad tag', input: `${A}:9x:1`, says: /not an interval/ },
    { name: 'tag too long', input: `${A}:${'t'.repeat(33)}:1`, says: /not a tag/ },
    { name: 'garbage interval', input: `${A}:1-`, says: /not an interval/ },
  ];
  for (const c of cases) {
    assert.throws(
      () => parseMysqlGtidSet(c.input),
      (err: unknown) =>
        hasCode(err, 'INVALID_GTID_SET') &&
        err.message.includes(`"${c.input}"`) &&
        c.says.test(err.message) &&
        err.message.includes('expected uuid:'),
      c.name,
    );
  }
});

void test('gtid-mysql: the largest transaction number 2^63-1 is accepted exactly', () => {
  const set = parseMysqlGtidSet(`${A}:9223372036854775806-9223372036854775807`);
  assert.equal(countGtids(set), 2n);
  assert.equal(formatMysqlGtidSet(set), `${A}:9223372036854775806-9223372036854775807`);
});

void test('gtid-mysql: union, intersect, subtract and contains on worked examples', () => {
  const cases: { a: string; b: string; union: string; inter: string; minus: string }[] = [
    { a: `${A}:1-10`, b: `${A}:5-15`, union: `${A}:1-15`, inter: `${A}:5-10`, minus: `${A}:1-4` },
    {
      a: `${A}:1-10`,
      b: `${A}:3-4:7`,
      union: `${A}:1-10`,
      inter: `${A}:3-4:7`,
      minus: `${A}:1-2:5-6:8-10`,
    },
    {
      a: `${A}:1-5`,
      b: `${B}:1-5`,
      union: `${A}:1-5,${B}:1-5`,
      inter: '',
      minus: `${A}:1-5`,
    },
    { a: `${A}:1-3`, b: `${A}:4-6`, union: `${A}:1-6`, inter: '', minus: `${A}:1-3` },
    {
      a: `${A}:1-5:t:1-5`,
      b: `${A}:t:1-5`,
      union: `${A}:1-5:t:1-5`,
      inter: `${A}:t:1-5`,
      minus: `${A}:1-5`,
    },
    { a: '', b: `${A}:1`, union: `${A}:1`, inter: '', minus: '' },
  ];
  for (const c of cases) {
    const a = parseMysqlGtidSet(c.a);
    const b = parseMysqlGtidSet(c.b);
    const name = `${c.a} vs ${c.b}`;
    assert.equal(formatMysqlGtidSet(unionGtidSets(a, b)), c.union, `union ${name}`);
    assert.equal(formatMysqlGtidSet(intersectGtidSets(a, b)), c.inter, `intersect ${name}`);
    assert.equal(formatMysqlGtidSet(subtractGtidSets(a, b)), c.minus, `subtract ${name}`);
  }
  assert.ok(gtidSetContains(parseMysqlGtidSet(`${A}:1-10`), parseMysqlGtidSet(`${A}:3-4:7`)));
  assert.ok(!gtidSetContains(parseMysqlGtidSet(`${A}:1-10`), parseMysqlGtidSet(`${A}:10-11`)));
  assert.ok(!gtidSetContains(parseMysqlGtidSet(`${A}:1-10`), parseMysqlGtidSet(`${A}:t:1`)));
  assert.ok(gtidSetContains(parseMysqlGtidSet(`${A}:1`), EMPTY_GTID_SET));
});

void test('gtid-mysql: count, emptiness, equality, uuids and uuid removal', () => {
  const set = parseMysqlGtidSet(`${B}:1-1023:1025-2000,\n${A}:1-5:t:1`);
  assert.equal(countGtids(set), 1023n + 976n + 5n + 1n);
  assert.ok(isEmptyGtidSet(parseMysqlGtidSet('')));
  assert.ok(!isEmptyGtidSet(set));
  assert.ok(gtidSetsEqual(parseMysqlGtidSet(`${A}:1-2:3`), parseMysqlGtidSet(`${A}:1-3`)));
  assert.deepEqual(gtidSetUuids(set), [A, B]);
  assert.equal(
    formatMysqlGtidSet(removeGtidUuids(set, [A.toUpperCase()])),
    `${B}:1-1023:1025-2000`,
  );
  assert.equal(formatMysqlGtidSet(removeGtidUuids(set, ['not-a-uuid'])), formatMysqlGtidSet(set));
});

void test('gtid-mysql: mysqlGtidSetFrom validates hand-built entries', () => {
  const bad: GtidSetEntry = { uuid: A, tag: '', intervals: [{ start: 4n, end: 2n }] };
  assert.throws(
    () => mysqlGtidSetFrom([bad]),
    (err: unknown) => hasCode(err, 'INVALID_GTID_SET'),
  );
  const set = mysqlGtidSetFrom([{ uuid: A.toUpperCase(), tag: 'T', intervals: [] }]);
  assert.deepEqual(set, [], 'an entry without intervals disappears');
});

void test('gtid-mysql: errant ignores ancestors, and own uuid on co-primaries', () => {
  const replicaUuid = B;
  const cases: {
    name: string;
    replica: string;
    primary: string;
    ancestry?: string[];
    coPrimary?: boolean;
    errant: string;
  }[] = [
    {
      name: 'caught up replica',
      replica: `${A}:1-100`,
      primary: `${A}:1-100`,
      ancestry: [A],
      errant: '',
    },
    {
      name: 'lagging replica',
      replica: `${A}:1-90`,
      primary: `${A}:1-100`,
      ancestry: [A],
      errant: '',
    },
    {
      name: 'local write on the replica',
      replica: `${A}:1-100,${B}:1-2`,
      primary: `${A}:1-100`,
      ancestry: [A],
      errant: `${B}:1-2`,
    },
    {
      name: 'primary probed earlier than replica: newer primary GTIDs are not errant',
      replica: `${A}:1-120`,
      primary: `${A}:1-100`,
      ancestry: [A],
      errant: '',
    },
    {
      name: 'no ancestry given: plain replica minus primary',
      replica: `${A}:1-120`,
      primary: `${A}:1-100`,
      errant: `${A}:101-120`,
    },
    {
      name: 'transactions of a foreign server the primary lacks',
      replica: `${A}:1-100,${C}:1-7`,
      primary: `${A}:1-100,${C}:1-5`,
      ancestry: [A],
      errant: `${C}:6-7`,
    },
    {
      name: 'co-primary: own fresh writes not applied by the peer yet',
      replica: `${A}:1-100,${B}:1-9`,
      primary: `${A}:1-100,${B}:1-5`,
      ancestry: [A],
      coPrimary: true,
      errant: '',
    },
    {
      name: 'own uuid in ancestry (circular) is still checked unless co-primary',
      replica: `${A}:1-10,${B}:1-3`,
      primary: `${A}:1-10`,
      ancestry: [A, B],
      errant: `${B}:1-3`,
    },
  ];
  for (const c of cases) {
    const errant = mysqlErrantGtids({
      replicaExecuted: parseMysqlGtidSet(c.replica),
      primaryExecuted: parseMysqlGtidSet(c.primary),
      replicaUuid,
      ...(c.ancestry === undefined ? {} : { ancestryUuids: c.ancestry }),
      ...(c.coPrimary === undefined ? {} : { isCoPrimary: c.coPrimary }),
    });
    assert.equal(formatMysqlGtidSet(errant), c.errant, c.name);
  }
});

// ---- properties, checked against a naive model: a set of "uuid:tag:n" strings ----

const uuids = [A, B, C];
const tags = ['', 'aa', 'b_1'];
const entryArb = fc.record({
  uuid: fc.constantFrom(...uuids),
  tag: fc.constantFrom(...tags),
  start: fc.integer({ min: 1, max: 40 }),
  length: fc.integer({ min: 0, max: 6 }),
});
const setArb = fc.array(entryArb, { maxLength: 8 }).map((entries) =>
  mysqlGtidSetFrom(
    entries.map((e) => ({
      uuid: e.uuid,
      tag: e.tag,
      intervals: [{ start: BigInt(e.start), end: BigInt(e.start + e.length) }],
    })),
  ),
);

function model(set: MysqlGtidSet): Set<string> {
  const out = new Set<string>();
  for (const e of set) {
    for (const iv of e.intervals) {
      for (let n = iv.start; n <= iv.end; n++) out.add(`${e.uuid}:${e.tag}:${n}`);
    }
  }
  return out;
}

function sorted(s: Set<string>): string[] {
  return [...s].sort();
}

function isCanonical(set: MysqlGtidSet): boolean {
  for (let i = 0; i < set.length; i++) {
    const e = set[i] as GtidSetEntry;
    const prev = set[i - 1];
    if (prev && `${prev.uuid}:${prev.tag}` >= `${e.uuid}:${e.tag}`) return false;
    if (e.intervals.length === 0) return false;
    for (let j = 1; j < e.intervals.length; j++) {
      const a = e.intervals[j - 1];
      const b = e.intervals[j];
      if (!a || !b || a.end + 1n >= b.start) return false;
    }
  }
  return true;
}

void test('gtid-mysql: union, intersect and subtract agree with a naive set model', () => {
  fc.assert(
    fc.property(setArb, setArb, (a, b) => {
      const ma = model(a);
      const mb = model(b);
      const union = unionGtidSets(a, b);
      const inter = intersectGtidSets(a, b);
      const minus = subtractGtidSets(a, b);
      assert.deepEqual(sorted(model(union)), sorted(new Set([...ma, ...mb])));
      assert.deepEqual(sorted(model(inter)), sorted(new Set([...ma].filter((g) => mb.has(g)))));
      assert.deepEqual(sorted(model(minus)), sorted(new Set([...ma].filter((g) => !mb.has(g)))));
      assert.ok(isCanonical(union) && isCanonical(inter) && isCanonical(minus));
      assert.equal(countGtids(union), BigInt(new Set([...ma, ...mb]).size));
    }),
  );
});

void test('gtid-mysql: set laws hold (commutative union, a = (a−b) ∪ (a∩b), contains)', () => {
  fc.assert(
    fc.property(setArb, setArb, setArb, (a, b, c) => {
      assert.deepEqual(unionGtidSets(a, b), unionGtidSets(b, a));
      assert.deepEqual(
        unionGtidSets(unionGtidSets(a, b), c),
        unionGtidSets(a, unionGtidSets(b, c)),
      );
      assert.deepEqual(unionGtidSets(subtractGtidSets(a, b), intersectGtidSets(a, b)), a);
      assert.ok(isEmptyGtidSet(intersectGtidSets(subtractGtidSets(a, b), b)));
      assert.ok(gtidSetContains(unionGtidSets(a, b), a));
      assert.ok(gtidSetContains(a, intersectGtidSets(a, b)));
      const mb = model(b);
      const contained = [...model(a)].every((g) => mb.has(g));
      assert.equal(gtidSetContains(b, a), contained);
    }),
  );
});

void test('gtid-mysql: format then parse is the identity on canonical sets', () => {
  fc.assert(
    fc.property(setArb, (set) => {
      const text = formatMysqlGtidSet(set);
      assert.deepEqual(parseMysqlGtidSet(text), set);
      assert.equal(formatMysqlGtidSet(parseMysqlGtidSet(text)), text);
    }),
  );
});

void test('gtid-mysql: any case, order or newlines MySQL prints parse to one set', () => {
  fc.assert(
    fc.property(fc.array(entryArb, { maxLength: 8 }), fc.boolean(), (entries, upper) => {
      const text = entries
        .map((e) => {
          const uuid = upper ? e.uuid.toUpperCase() : e.uuid;
          const tag = e.tag === '' ? '' : `:${upper ? e.tag.toUpperCase() : e.tag}`;
          return `${uuid}${tag}:${e.start}-${e.start + e.length}`;
        })
        .join(',\n');
      const expected = mysqlGtidSetFrom(
        entries.map((e) => ({
          uuid: e.uuid,
          tag: e.tag,
          intervals: [{ start: BigInt(e.start), end: BigInt(e.start + e.length) }],
        })),
      );
      assert.deepEqual(parseMysqlGtidSet(text), expected);
    }),
  );
});

void test('gtid-mysql: errant set is inside the replica set, outside the primary set', () => {
  fc.assert(
    fc.property(setArb, setArb, fc.subarray(uuids), (replica, primary, ancestry) => {
      const errant = mysqlErrantGtids({
        replicaExecuted: replica,
        primaryExecuted: primary,
        ancestryUuids: ancestry,
      });
      assert.ok(gtidSetContains(replica, errant));
      assert.ok(isEmptyGtidSet(intersectGtidSets(errant, primary)));
      for (const uuid of ancestry) assert.ok(!gtidSetUuids(errant).includes(uuid));
    }),
  );
});
