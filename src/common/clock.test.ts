import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './clock.js';

void test('clock: ManualClock fires due timers in time order and not before', () => {
  const clock = new ManualClock(0);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push('b'), 20);
  clock.setTimeout(() => fired.push('a'), 10);
  const cancel = clock.setTimeout(() => fired.push('never'), 15);
  cancel();
  clock.advance(9);
  assert.deepEqual(fired, []);
  clock.advance(11);
  assert.deepEqual(fired, ['a', 'b']);
  assert.equal(clock.now(), 20);
});
