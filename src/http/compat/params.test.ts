import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../../common/errors.js';
import { compatNumericId } from './ids.js';
import { keyFromPath, parsePage, parseSimpleDuration } from './params.js';
import { parseTagExpression, requestedTag, selectTagged, type TagIndex } from './tag-expression.js';

void test('compat params: simple durations as orchestrator SimpleTimeToSeconds reads them', () => {
  const ok: [string, number][] = [
    ['30s', 30_000],
    ['45m', 2_700_000],
    ['4h', 14_400_000],
    ['6d', 518_400_000],
    ['2w', 1_209_600_000],
    ['0m', 0],
  ];
  for (const [text, ms] of ok) assert.equal(parseSimpleDuration(text), ms, text);
  for (const text of ['', '10', '1h30m', '-5m', '5 m', 'm', '1y']) {
    assert.throws(
      () => parseSimpleDuration(text),
      (err: unknown) =>
        hasCode(err, 'INVALID_ARGUMENT') && err.message === `Cannot parse simple time: ${text}`,
      text,
    );
  }
});

void test('compat params: :host/:port keys, refused with orchestrator wording', () => {
  assert.deepEqual(keyFromPath('DB1.example.com', '3306'), { host: 'db1.example.com', port: 3306 });
  const bad: [string, string, RegExp][] = [
    ['db1', 'abc', /: Invalid port: abc$/],
    ['db1', '', /: Invalid port: $/],
    ['db1', '70000', /port 70000 is not between 1 and 65535/],
    ['db 1', '3306', /is not a valid host name/],
  ];
  for (const [host, port, message] of bad) {
    assert.throws(() => keyFromPath(host, port), message, `${host}/${port}`);
  }
});

void test('compat params: audit pages default to 0 for anything but a whole number', () => {
  const cases: [string | undefined, number][] = [
    [undefined, 0],
    ['3', 3],
    ['-1', 0],
    ['x', 0],
  ];
  for (const [text, page] of cases) assert.equal(parsePage(text), page, String(text));
});

void test('compat params: numeric ids keep decimal ids and hash the others stably', () => {
  assert.equal(compatNumericId('1700000000000123'.slice(0, 15)), 170000000000012);
  const id = compatNumericId('6f1c3d2e-8b7a-4c5d-9e0f-112233445566');
  assert.ok(Number.isSafeInteger(id) && id >= 0);
  assert.equal(compatNumericId('6f1c3d2e-8b7a-4c5d-9e0f-112233445566'), id);
});

void test('compat tags: expressions parse as orchestrator ParseTag does', () => {
  const cases: [string, { name: string; value: string | undefined; negate: boolean }[]][] = [
    ['role', [{ name: 'role', value: undefined, negate: false }]],
    ['role=backup', [{ name: 'role', value: 'backup', negate: false }]],
    ['role=', [{ name: 'role', value: '', negate: false }]],
    ['!role', [{ name: 'role', value: undefined, negate: true }]],
    ['~role', [{ name: 'role', value: undefined, negate: true }]],
    ['~role=backup', [{ name: 'role', value: 'backup', negate: true }]],
    [
      'dc=east,~role',
      [
        { name: 'dc', value: 'east', negate: false },
        { name: 'role', value: undefined, negate: true },
      ],
    ],
  ];
  for (const [text, terms] of cases) assert.deepEqual(parseTagExpression(text), terms, text);
  for (const text of ['', '=x', '~', 'a,']) {
    assert.throws(() => parseTagExpression(text), /Unable to parse tag/);
  }
});

void test('compat tags: a request names its tag by ?tag= first, else by the path', () => {
  assert.deepEqual(requestedTag('dc=east', { tagName: 'x', tagValue: 'y' }), {
    name: 'dc',
    value: 'east',
  });
  assert.deepEqual(requestedTag(undefined, { tagName: 'dc', tagValue: 'west' }), {
    name: 'dc',
    value: 'west',
  });
  assert.throws(() => requestedTag('', {}), /NewTag: empty tag name/);
});

void test('compat tags: terms select by name, value, absence and other value; comma intersects', () => {
  const tags: Record<string, Record<string, string>> = {
    a: { role: 'backup', dc: 'east' },
    b: { role: 'reporting', dc: 'east' },
    c: { dc: 'west', role: '' },
    d: {},
  };
  const index: TagIndex = {
    all: Object.keys(tags),
    withName: (n) => new Set(Object.keys(tags).filter((id) => tags[id]?.[n] !== undefined)),
    withValue: (n, v) => new Set(Object.keys(tags).filter((id) => tags[id]?.[n] === v)),
  };
  const cases: [string, string[]][] = [
    ['role', ['a', 'b', 'c']],
    ['role=backup', ['a']],
    ['role=', ['c']],
    ['!role', ['d']],
    ['~role', ['d']],
    ['~role=backup', ['b', 'c']],
    ['dc=east,~role=backup', ['b']],
    ['dc=east,role=backup', ['a']],
    ['nosuch', []],
  ];
  for (const [text, ids] of cases) {
    const got = selectTagged(parseTagExpression(text), index, (x, y) => x.localeCompare(y));
    assert.deepEqual(got, ids, text);
  }
});
