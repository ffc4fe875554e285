import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liveRole, type InstanceStatus, type ReplicationState } from './status.js';

type Probe = Omit<InstanceStatus, 'role'>;

function probe(name: string, over: Partial<Probe> = {}, source?: string): Probe {
  const replication: ReplicationState | null =
    source === undefined
      ? null
      : {
          ioRunning: 'Yes',
          sqlRunning: 'Yes',
          ioState: '',
          lastIoErrno: 0,
          lastIoError: '',
          lastSqlErrno: 0,
          lastSqlError: '',
          secondsBehind: 0,
          sqlDelay: 0,
          sourceAddress: '127.0.0.1:1',
          source,
        };
  return {
    name,
    address: '',
    publicPort: 0,
    privatePort: 0,
    serverId: 0,
    plannedRole: 'replica',
    pid: 1,
    alive: true,
    reachable: true,
    error: null,
    readOnly: true,
    gtidCurrentPos: '',
    replication,
    ...over,
  };
}

void test('status: live roles come from what servers report, not from the plan', () => {
  const primary = probe('s1', { readOnly: false });
  const replica = probe('s2', {}, 's1');
  const detached = probe('s3');
  const down = probe('s4', { reachable: false, alive: false });
  const a = probe('s5', { readOnly: false }, 's6');
  const b = probe('s6', {}, 's5');
  const all = [primary, replica, detached, down, a, b];
  assert.deepEqual(
    all.map((p) => liveRole(p, all)),
    ['primary', 'replica', 'detached', 'down', 'co-primary', 'co-primary'],
  );
});
