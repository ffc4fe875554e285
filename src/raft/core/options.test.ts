import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasCode } from '../../common/errors.js';
import { DEFAULT_RAFT_TIMING, maxSafeLeaseMs, raftOptions } from './options.js';

void test('options: the defaults are valid and keep the lease inside the drift bound', () => {
  const options = raftOptions({ id: 'a', members: ['a', 'b', 'c'] });
  assert.equal(options.leaseMs, DEFAULT_RAFT_TIMING.leaseMs);
  assert.ok(options.leaseMs < maxSafeLeaseMs(options));
  assert.ok(Object.isFrozen(options) && Object.isFrozen(options.members));
});

const invalid: { name: string; given: Record<string, unknown>; says: RegExp }[] = [
  {
    name: 'a lease reaching the drift-scaled election timeout',
    given: { leaseMs: 820 },
    says: /leaseMs \(820\) must be below 818\.2/,
  },
  {
    name: 'a lease that ignores drift',
    given: { maxClockDriftRate: 0.3, leaseMs: 600 },
    says: /leaseMs \(600\) must be below 538\.5/,
  },
  {
    name: 'a heartbeat slower than the lease',
    given: { heartbeatIntervalMs: 750 },
    says: /heartbeatIntervalMs \(750\) must be below leaseMs/,
  },
  {
    name: 'an empty timeout range',
    given: { electionTimeoutMaxMs: 1000 },
    says: /electionTimeoutMaxMs \(1000\) must exceed/,
  },
  {
    name: 'a drift rate of 100 %',
    given: { maxClockDriftRate: 1 },
    says: /maxClockDriftRate must be in \[0, 1\)/,
  },
  {
    name: 'a zero batch',
    given: { maxEntriesPerMessage: 0 },
    says: /maxEntriesPerMessage must be > 0/,
  },
  {
    name: 'a fractional snapshot threshold',
    given: { snapshotThreshold: 1.5 },
    says: /snapshotThreshold must be a whole number/,
  },
  {
    name: 'a repeated member',
    given: { members: ['a', 'b', 'a'] },
    says: /members repeat a node: a, b, a/,
  },
  { name: 'an empty id', given: { id: '' }, says: /id must not be empty/ },
];

for (const c of invalid) {
  void test(`options: ${c.name} is refused with RAFT_INVALID_OPTIONS`, () => {
    assert.throws(
      () => raftOptions({ id: 'a', members: ['a', 'b', 'c'], ...c.given }),
      (err: unknown) => hasCode(err, 'RAFT_INVALID_OPTIONS') && c.says.test(err.message),
    );
  });
}
