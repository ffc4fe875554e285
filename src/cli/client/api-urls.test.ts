import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../../common/errors.js';
import { normaliseApiUrl, parseApiList, pickApiSetting, redactUrl } from './api-urls.js';

void test('api urls: normalised like orchestrator-client, ending in /api', () => {
  const cases: [string, string][] = [
    ['http://orc:3000', 'http://orc:3000/api'],
    ['http://orc:3000/', 'http://orc:3000/api'],
    ['http://orc:3000/api', 'http://orc:3000/api'],
    ['http://orc:3000/api/', 'http://orc:3000/api'],
    ['http://orc:3000/api//', 'http://orc:3000/api'],
    ['http://lb.example.com/orc', 'http://lb.example.com/orc/api'],
    ['https://lb.example.com/orc/api', 'https://lb.example.com/orc/api'],
    ['orc:3000', 'http://orc:3000/api'],
    ['127.0.0.1:3000/api', 'http://127.0.0.1:3000/api'],
    ['http://[::1]:3000', 'http://[::1]:3000/api'],
    ['HTTP://Orc:3000', 'http://orc:3000/api'],
  ];
  for (const [input, url] of cases) assert.equal(normaliseApiUrl(input).url, url, input);
});

void test('api urls: credentials in a URL are lifted out and never kept in the URL', () => {
  const base = normaliseApiUrl('http://alice:s%40cret@orc:3000/api');
  assert.equal(base.url, 'http://orc:3000/api');
  assert.deepEqual(base.credentials, { user: 'alice', password: 's@cret' });
  assert.equal(normaliseApiUrl('http://orc:3000').credentials, undefined);
});

void test('api urls: lists are split on spaces and commas, duplicates dropped', () => {
  const urls = (text: string) => parseApiList(text).map((base) => base.url);
  assert.deepEqual(urls('http://a:3000/api http://b:3000/api  http://c:3000'), [
    'http://a:3000/api',
    'http://b:3000/api',
    'http://c:3000/api',
  ]);
  assert.deepEqual(urls('http://a:3000,http://b:3000, http://a:3000/api'), [
    'http://a:3000/api',
    'http://b:3000/api',
  ]);
  assert.deepEqual(urls(' http://a:3000\n'), ['http://a:3000/api']);
});

void test('api urls: unusable values are usage errors that do not print credentials', () => {
  const cases = ['', '   ', 'ftp://orc:21', 'http://orc:3000/api?x=1', 'http://u:pw@orc:notaport'];
  for (const text of cases) {
    assert.throws(
      () => parseApiList(text, 'ORCHESTRATOR_API'),
      (err: unknown) => hasCode(err, 'USAGE') && !err.message.includes('pw@'),
      text,
    );
  }
});

void test('api urls: --api wins over ORC_API, which wins over ORCHESTRATOR_API', () => {
  const env = { ORC_API: 'http://orc:1', ORCHESTRATOR_API: 'http://orch:2' };
  assert.deepEqual(pickApiSetting('http://flag:0', env), {
    value: 'http://flag:0',
    source: '--api',
  });
  assert.deepEqual(pickApiSetting(undefined, env), { value: 'http://orc:1', source: 'ORC_API' });
  assert.deepEqual(pickApiSetting('', { ORCHESTRATOR_API: 'http://orch:2', ORC_API: ' ' }), {
    value: 'http://orch:2',
    source: 'ORCHESTRATOR_API',
  });
  assert.deepEqual(pickApiSetting(undefined, {}), {
    value: 'http://localhost:3000',
    source: 'default',
  });
});

void test('api urls: redactUrl removes user:password@ wherever a URL appears', () => {
  assert.equal(
    redactUrl('cannot reach http://u:p@a:1/api and https://x@b/api'),
    'cannot reach http://a:1/api and https://b/api',
  );
  assert.equal(redactUrl('http://a:1/api'), 'http://a:1/api');
});
