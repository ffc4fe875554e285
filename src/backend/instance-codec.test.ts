import assert from 'node:assert/strict';
import { test } from 'node:test';
import { primary, replica } from './contract/fixtures.js';
import { BackendCode } from './errors.js';
import {
  decodeInstance,
  encodeInstance,
  INSTANCE_COLUMNS,
  INSTANCE_DATA_FORMAT,
} from './instance-codec.js';
import type { SqlRow } from './sql.js';

function row(values: unknown[]): SqlRow {
  return Object.fromEntries(INSTANCE_COLUMNS.map((c, i) => [c, values[i]]));
}

const p = primary(3306);
const r = replica(p, 3307, 'db-a.example.com');

void test('instance codec: a row decodes to an instance deep-equal to the one encoded', () => {
  for (const i of [p, r]) assert.deepStrictEqual(decodeInstance(row(encodeInstance(i))), i);
});

void test('instance codec: lookup columns carry the fields queries filter on', () => {
  const v = row(encodeInstance(r));
  assert.deepEqual(
    [v['host'], v['port'], v['cluster_name'], v['source_host'], v['source_port'], v['depth']],
    ['db-a.example.com', 3307, '127.0.0.1:3306', '127.0.0.1', 3306, 1],
  );
  assert.equal(v['is_last_check_valid'], 1);
  assert.equal(row(encodeInstance(p))['source_host'], null);
});

void test('instance codec: timing columns win over the document', () => {
  const v = { ...row(encodeInstance(p)), last_seen_at: null, partial_success: 0 };
  const back = decodeInstance(v);
  assert.equal(back.timing.lastSeenAt, undefined);
  assert.equal(back.timing.partialSuccess, false);
  assert.equal(back.timing.probeDurationMs, p.timing.probeDurationMs);
});

void test('instance codec: a document from a newer format is refused, not misread', () => {
  const v = { ...row(encodeInstance(p)), data_format: INSTANCE_DATA_FORMAT + 1 };
  assert.throws(() => decodeInstance(v), { code: BackendCode.SchemaTooNew });
});
