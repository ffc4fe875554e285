import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LinkMode } from './flow.js';
import { LinkTable } from './links.js';
import type { LinkKey } from './names.js';

const instances = [
  { name: 's1', publicPort: 23306 },
  { name: 's2', publicPort: 23307 },
  { name: 's3', publicPort: 23308 },
];

void test('links: a cut affects exactly its link, and heal restores it', () => {
  const changes: [LinkKey, LinkMode][] = [];
  const table = new LinkTable(
    () => instances,
    (link, mode) => changes.push([link, mode]),
  );
  table.cut('s2', '23306', 'blackhole');
  table.cut('orc', 's3', 'reset');
  assert.equal(table.modeOf('s2', 's1'), 'blackhole');
  assert.equal(table.modeOf('s3', 's1'), 'pass');
  assert.equal(table.modeOf('orc', 's1'), 'pass');
  assert.equal(table.modeOf('s1', 's2'), 'pass', 'links are directed');
  assert.equal(table.modeOf('orc', 's3'), 'reset');

  table.cut('s2', 's1', 'reset');
  assert.equal(table.modeOf('s2', 's1'), 'reset', 're-cutting changes the mode');
  assert.deepEqual(table.heal('s2', 's1'), { from: 's2', to: 's1' });
  assert.equal(table.heal('s2', 's1'), null);
  assert.equal(table.modeOf('s2', 's1'), 'pass');
  assert.deepEqual(
    table.list(() => 7),
    [{ from: 'orc', to: 's3', mode: 'reset', flows: 7 }],
  );
  assert.deepEqual(table.healAll(), [{ from: 'orc', to: 's3' }]);
  assert.deepEqual(
    changes.map(([l, m]) => `${l.from}>${l.to}:${m}`),
    ['s2>s1:blackhole', 'orc>s3:reset', 's2>s1:reset', 's2>s1:pass', 'orc>s3:pass'],
  );
});
