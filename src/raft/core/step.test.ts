import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entriesBetween } from './log.js';
import type { RaftState } from './state.js';
import { step } from './step.js';
import { Checker } from '../simulator/checker.js';
import { TestCluster, writeDisk } from './testing.js';
import { EMPTY_PERSISTED_STATE, type PersistedState } from './types.js';

/** Everything a state shows, as plain data (the log's shared backing array excluded). */
function visible(state: RaftState): unknown {
  return {
    ...state,
    log: entriesBetween(state.log, 0, Infinity),
    role: JSON.stringify(state.role, replacer),
  };
}

function replacer(_key: string, value: unknown): unknown {
  return value instanceof Map ? [...value] : value;
}

void test('step: leaves its input state untouched and gives the same result for the same input', () => {
  const cluster = new TestCluster(['a', 'b', 'c']);
  cluster.start();
  cluster.elect('a');
  cluster.heartbeat('a');
  const before = cluster.state('a');
  const seen = visible(before);
  const inputs = [
    { type: 'client-propose', now: cluster.now + 1, requestId: 'r', data: 'x' },
    { type: 'tick', now: cluster.now + 500 },
    { type: 'remove-peer', now: cluster.now + 1, requestId: 'r', peer: 'c' },
  ] as const;
  for (const input of inputs) {
    const first = step(before, input);
    const second = step(before, input);
    assert.deepEqual(visible(second.state), visible(first.state), input.type);
    assert.deepEqual(second.effects, first.effects, input.type);
    assert.deepEqual(visible(before), seen, `${input.type} changed its input`);
  }
});

void test('step: every message leaves after the durable state it vouches for', () => {
  const cluster = new TestCluster(['a', 'b', 'c'], { snapshotThreshold: 3 });
  cluster.start();
  cluster.elect('a');
  cluster.cutBoth('a', 'c');
  for (let i = 0; i < 6; i++)
    cluster.input('a', { type: 'client-propose', requestId: `r${i}`, data: `d${i}` });
  cluster.heartbeat('a');
  cluster.input('a', { type: 'snapshot-taken', index: 5, data: new Uint8Array([5]) });
  cluster.heal();
  cluster.heartbeat('a');
  cluster.elect('b');
  cluster.heartbeat('b');

  // Replay each node's effects in order against an empty disk, checking every send.
  const checker = new Checker();
  let sends = 0;
  for (const [id, effects] of cluster.history) {
    let disk: PersistedState = EMPTY_PERSISTED_STATE;
    for (const effect of effects) {
      if (effect.type === 'persist') disk = writeDisk(disk, effect);
      if (effect.type === 'send') {
        checker.onSend(id, effect.to, effect.message, disk);
        sends++;
      }
    }
  }
  assert.ok(sends > 50, `checked ${sends} sends`);
});
