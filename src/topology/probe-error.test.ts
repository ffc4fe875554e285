import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyProbeError, isAliveButRefusing, PROBE_ERROR_KINDS } from './probe-error.js';

void test('probe-error: server refusals and socket failures are told apart', () => {
  const cases: { err: { errno?: number; code?: string }; kind: string }[] = [
    { err: { errno: 1040, code: 'ER_CON_COUNT_ERROR' }, kind: 'too-many-connections' },
    { err: { errno: 1203 }, kind: 'too-many-connections' },
    { err: { errno: 1045, code: 'ER_ACCESS_DENIED_ERROR' }, kind: 'access-denied' },
    { err: { errno: 1130 }, kind: 'access-denied' },
    { err: { errno: 4151 }, kind: 'access-denied' },
    { err: { errno: 1129, code: 'ER_HOST_IS_BLOCKED' }, kind: 'host-blocked' },
    { err: { code: 'ER_HOST_IS_BLOCKED' }, kind: 'host-blocked' },
    { err: { code: 'ECONNREFUSED' }, kind: 'unreachable' },
    { err: { code: 'EHOSTUNREACH' }, kind: 'unreachable' },
    { err: { errno: 2003 }, kind: 'unreachable' },
    { err: { code: 'ETIMEDOUT' }, kind: 'timeout' },
    { err: { errno: 1064, code: 'ER_PARSE_ERROR' }, kind: 'other' },
    { err: {}, kind: 'other' },
  ];
  for (const c of cases) assert.equal(classifyProbeError(c.err), c.kind, JSON.stringify(c.err));
});

void test('probe-error: only refusals prove the server alive', () => {
  const alive = PROBE_ERROR_KINDS.filter((k) => isAliveButRefusing(k));
  assert.deepEqual(alive, ['too-many-connections', 'access-denied', 'host-blocked']);
  assert.ok(!isAliveButRefusing(undefined));
});
