import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasCode } from '../common/errors.js';
import { planPorts, portPurposes, PRIVATE_PORT_OFFSET } from './ports.js';

void test('ports: public ports follow the base, private ports sit 100 above', () => {
  assert.deepEqual(planPorts(23306, 3), [
    { publicPort: 23306, privatePort: 23406 },
    { publicPort: 23307, privatePort: 23407 },
    { publicPort: 23308, privatePort: 23408 },
  ]);
  assert.equal(PRIVATE_PORT_OFFSET, 100);
});

void test('ports: every planned port is named with its purpose', () => {
  const purposes = portPurposes(['s1', 's2'], planPorts(30000, 2));
  assert.deepEqual(purposes, [
    { port: 30000, purpose: 'public address of s1' },
    { port: 30100, purpose: 'private port of s1' },
    { port: 30001, purpose: 'public address of s2' },
    { port: 30101, purpose: 'private port of s2' },
  ]);
});

void test('ports: impossible plans are SANDBOX_BAD_OPTIONS', () => {
  const bad: [number, number][] = [
    [80, 2],
    [65_500, 2],
    [23306, 0],
    [23306, 101],
    [23306.5, 2],
  ];
  for (const [base, count] of bad) {
    assert.throws(
      () => planPorts(base, count),
      (err) => hasCode(err, 'SANDBOX_BAD_OPTIONS'),
      `${base}/${count}`,
    );
  }
  assert.equal(planPorts(65_535 - 100 - 1, 2).at(-1)?.privatePort, 65_535);
});
