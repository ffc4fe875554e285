import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJson } from './compat-reply.js';

void test('compat reply: values are encoded as Go json.Marshal writes them', () => {
  const cases: [unknown, string][] = [
    ['OK', '"OK"'],
    ['Not leader', '"Not leader"'],
    [null, 'null'],
    [undefined, 'null'],
    [true, 'true'],
    [{ Code: 'OK', Message: 'm', Details: null }, '{"Code":"OK","Message":"m","Details":null}'],
    ['<b>&</b>', '"\\u003cb\\u003e\\u0026\\u003c/b\\u003e"'],
    ['line\u2028sep\u2029', '"line\\u2028sep\\u2029"'],
    ['quote " and \\', '"quote \\" and \\\\"'],
  ];
  for (const [value, json] of cases) assert.equal(goJson(value), json, String(value));
});
