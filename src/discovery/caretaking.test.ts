import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SqliteBackend } from '../backend/index.js';
import { ManualClock } from '../common/clock.js';
import { caretake } from './caretaking.js';
import { key } from './fixtures.js';
import { testSettings } from './settings.js';

const MINUTE = 60_000;

void test('caretaking: expires downtime, maintenance, candidates and resolves; forgets the unseen', async (t) => {
  const clock = new ManualClock();
  const backend = await SqliteBackend.open({ path: ':memory:', clock });
  t.after(() => backend.close());
  const node = { hostname: 'orc', token: 't' };
  await backend.downtime.begin({ key: key('a:1'), owner: 'o', reason: 'r', durationMs: MINUTE });
  await backend.maintenance.begin({
    key: key('a:1'),
    owner: 'o',
    reason: 'r',
    durationMs: MINUTE,
    node,
  });
  await backend.candidates.register({ key: key('a:1'), promotionRule: 'prefer' });
  await backend.hostnames.putResolved('a', 'a.example');
  await backend.instanceAliases.record(key('link:1'), key('a:1'));
  clock.advance(2 * MINUTE);
  await backend.downtime.begin({ key: key('b:1'), owner: 'o', reason: 'r', durationMs: MINUTE });

  let cutoff = 0;
  let reloaded = false;
  const errors: string[] = [];
  const removed = await caretake({
    store: backend,
    settings: testSettings({
      candidateExpiryMs: MINUTE,
      resolveExpiryMs: MINUTE,
      unseenForgetMs: MINUTE,
    }),
    clock,
    forgetUnseenBefore: (c) => {
      cutoff = c;
      return Promise.resolve(2);
    },
    reloadDecisions: () => {
      reloaded = true;
      return Promise.resolve();
    },
    onError: (operation) => errors.push(operation),
  });
  assert.deepEqual(removed, {
    downtime: 1,
    maintenance: 1,
    candidates: 1,
    resolves: 1,
    unresolves: 0,
    instances: 2,
    aliases: 1,
    clusterAliases: 0,
    clusterDomains: 0,
    decisions: 0,
  });
  assert.equal(cutoff, clock.now() - MINUTE);
  assert.ok(reloaded);
  assert.deepEqual(errors, []);
  assert.equal((await backend.downtime.listActive()).length, 1, 'running downtime stays');
});

void test('caretaking: UnseenInstanceForgetHours 0 never forgets', async (t) => {
  const clock = new ManualClock();
  const backend = await SqliteBackend.open({ path: ':memory:', clock });
  t.after(() => backend.close());
  let asked = false;
  const removed = await caretake({
    store: backend,
    settings: testSettings({ unseenForgetMs: 0 }),
    clock,
    forgetUnseenBefore: () => {
      asked = true;
      return Promise.resolve(0);
    },
    reloadDecisions: () => Promise.resolve(),
    onError: () => undefined,
  });
  assert.equal(asked, false);
  assert.equal(removed['instances'], undefined);
});
