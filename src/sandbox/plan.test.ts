import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasCode } from '../common/errors.js';
import { MAX_REPLICAS, planTopology, type Shape } from './plan.js';

const cases: { shape: Shape; replicas: number; sources: (string | null)[]; loop: boolean }[] = [
  { shape: 'star', replicas: 0, sources: [null], loop: false },
  { shape: 'star', replicas: 3, sources: [null, 's1', 's1', 's1'], loop: false },
  { shape: 'chain', replicas: 3, sources: [null, 's1', 's2', 's3'], loop: false },
  { shape: 'tree', replicas: 2, sources: [null, 's1', 's2'], loop: false },
  { shape: 'tree', replicas: 3, sources: [null, 's1', 's1', 's2'], loop: false },
  { shape: 'tree', replicas: 5, sources: [null, 's1', 's1', 's1', 's1', 's2'], loop: false },
  { shape: 'co-primary', replicas: 1, sources: ['s2', 's1'], loop: true },
  { shape: 'co-primary', replicas: 3, sources: ['s2', 's1', 's1', 's1'], loop: true },
];

for (const c of cases) {
  void test(`plan: ${c.shape} with ${c.replicas} replicas wires ${c.sources.join(',')}`, () => {
    const plan = planTopology(c.shape, c.replicas);
    assert.deepEqual(
      plan.instances.map((i) => i.source),
      c.sources,
    );
    assert.equal(plan.primary, 's1');
    assert.equal(plan.instances[0]?.role, 'primary');
    assert.equal(
      plan.edges.some((e) => e.closesLoop),
      c.loop,
    );
    // Every edge whose source is a replica comes after that replica's own edge.
    const wired = new Set(['s1']);
    for (const edge of plan.edges.filter((e) => !e.closesLoop)) {
      assert.ok(wired.has(edge.source), `${edge.replica} wired before its source ${edge.source}`);
      wired.add(edge.replica);
    }
  });
}

void test('plan: co-primary gives s2 the co-primary role and closes the loop last', () => {
  const plan = planTopology('co-primary', 2);
  assert.deepEqual(
    plan.instances.map((i) => i.role),
    ['primary', 'co-primary', 'replica'],
  );
  assert.deepEqual(plan.edges.at(-1), { replica: 's1', source: 's2', closesLoop: true });
});

void test('plan: shapes reject too few replicas with SANDBOX_BAD_OPTIONS', () => {
  for (const [shape, replicas] of [
    ['tree', 1],
    ['co-primary', 0],
    ['star', -1],
    ['chain', 1.5],
  ] as const) {
    assert.throws(
      () => planTopology(shape, replicas),
      (err) => hasCode(err, 'SANDBOX_BAD_OPTIONS'),
    );
  }
});

void test('plan: more than MAX_REPLICAS replicas is refused up front with SANDBOX_BAD_OPTIONS', () => {
  assert.equal(planTopology('star', MAX_REPLICAS).instances.length, MAX_REPLICAS + 1);
  assert.throws(
    () => planTopology('star', MAX_REPLICAS + 1),
    (err) => hasCode(err, 'SANDBOX_BAD_OPTIONS') && /at most 40 replicas, got 41/.test(String(err)),
  );
});
