import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrcError, hasCode } from './errors.js';

void test('errors: OrcError keeps code, context and cause', () => {
  const cause = new Error('socket closed');
  const err = new OrcError('PROBE_FAILED', 'cannot probe 127.0.0.1:3306: socket closed', {
    cause,
    context: { instance: '127.0.0.1:3306' },
  });
  assert.equal(err.code, 'PROBE_FAILED');
  assert.equal(err.cause, cause);
  assert.deepEqual(err.context, { instance: '127.0.0.1:3306' });
  assert.equal(err.name, 'OrcError');
  assert.ok(hasCode(err, 'PROBE_FAILED'));
  assert.ok(!hasCode(new Error('x'), 'PROBE_FAILED'));
});
