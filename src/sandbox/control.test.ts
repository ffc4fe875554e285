import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasCode } from '../common/errors.js';
import { CONTROL_VERSION, controlSocketPath, parseRequest } from './control.js';

const line = (value: object): string => JSON.stringify({ v: CONTROL_VERSION, ...value });

void test('control: well-formed requests parse to typed requests', () => {
  const cases: [object, object][] = [
    [{ op: 'status' }, { op: 'status' }],
    [
      { op: 'kill', instance: 's1' },
      { op: 'kill', instance: 's1' },
    ],
    [
      { op: 'lag', instance: 's2', change: { delaySeconds: 5 } },
      { op: 'lag', instance: 's2', change: { delaySeconds: 5 } },
    ],
    [
      { op: 'lag', instance: 's2', change: { applier: 'stop' } },
      { op: 'lag', instance: 's2', change: { applier: 'stop' } },
    ],
    [
      { op: 'cut', from: 'orc', to: 's1', mode: 'reset', extra: 1 },
      { op: 'cut', from: 'orc', to: 's1', mode: 'reset' },
    ],
    [
      { op: 'heal', from: 's2', to: 's1' },
      { op: 'heal', from: 's2', to: 's1' },
    ],
    [{ op: 'down' }, { op: 'down' }],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parseRequest(line(input)), expected);
});

void test('control: anything else is SANDBOX_PROTOCOL', () => {
  const bad = [
    'not json',
    '42',
    JSON.stringify({ v: 99, op: 'status' }),
    line({ op: 'explode' }),
    line({ op: 'kill' }),
    line({ op: 'cut', from: 'orc', to: 's1', mode: 'drop' }),
    line({ op: 'lag', instance: 's2', change: { delaySeconds: -1 } }),
    line({ op: 'lag', instance: 's2' }),
  ];
  for (const text of bad) {
    assert.throws(
      () => parseRequest(text),
      (err) => hasCode(err, 'SANDBOX_PROTOCOL'),
      text,
    );
  }
});

void test('control: a directory too long for a unix socket is refused with a fix', () => {
  assert.equal(controlSocketPath('/tmp/sb'), '/tmp/sb/control.sock');
  assert.throws(
    () => controlSocketPath('/tmp/' + 'x'.repeat(120)),
    (err) => hasCode(err, 'SANDBOX_BAD_OPTIONS') && err.message.includes('shorter --dir'),
  );
});
