import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TimeHeap } from './time-heap.js';

void test('time-heap: pops by time, ties in insertion order, whatever the push order', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
      const heap = new TimeHeap<number>();
      times.forEach((at, i) => heap.push(at, i));
      const expected = times.map((at, i) => ({ at, item: i })).sort((a, b) => a.at - b.at);
      const popped: { at: number; item: number }[] = [];
      assert.equal(heap.peek()?.item, expected[0]?.item);
      for (let top = heap.pop(); top !== undefined; top = heap.pop()) {
        popped.push({ at: top.at, item: top.item });
      }
      assert.deepEqual(popped, expected);
      assert.equal(heap.size, 0);
    }),
  );
});
