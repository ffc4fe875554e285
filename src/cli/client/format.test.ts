import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brokenReplica, describeInstance, keysOf, relocation } from './format.js';
import { instance, key } from './testing.js';

const healthy = {
  Version: '10.11.6-MariaDB-log',
  ReadOnly: true,
  LogBinEnabled: true,
  Binlog_format: 'ROW',
  LogReplicationUpdatesEnabled: true,
  UsingMariaDBGTID: true,
  IsLastCheckValid: true,
  IsRecentlyChecked: true,
  ReadBinlogCoordinates: { LogFile: 'mysql-bin.000003', LogPos: 1234 },
  ReplicationSQLThreadState: 1,
  ReplicationIOThreadState: 1,
  SecondsBehindMaster: { Int64: 0, Valid: true },
  ReplicationLagSeconds: { Int64: 0, Valid: true },
};

void test('format: instance-status prints orchestrator HumanReadableDescription', () => {
  const replica = (extra: Record<string, unknown>) =>
    instance('db2', 'db1', { ...healthy, ...extra });
  const cases: [string, unknown, string][] = [
    ['healthy replica', replica({}), '[0s,ok,10.11.6-MariaDB-log,ro,ROW,>>,GTID]'],
    [
      'lagging replica',
      replica({
        SecondsBehindMaster: { Int64: 45, Valid: true },
        ReplicationLagSeconds: { Int64: 45, Valid: true },
      }),
      '[45s,lag,10.11.6-MariaDB-log,ro,ROW,>>,GTID]',
    ],
    [
      'delayed replica within its delay',
      replica({ SQLDelay: 3600, SecondsBehindMaster: { Int64: 3605, Valid: true } }),
      '[0s,ok,10.11.6-MariaDB-log,ro,ROW,>>,GTID]',
    ],
    [
      'stopped replica',
      replica({ ReplicationSQLThreadState: 0, SecondsBehindMaster: { Int64: 0, Valid: false } }),
      '[null,nonreplicating,10.11.6-MariaDB-log,ro,ROW,>>,GTID]',
    ],
    [
      'unreachable',
      replica({ IsLastCheckValid: false }),
      '[unknown,invalid,10.11.6-MariaDB-log,ro,ROW,>>,GTID]',
    ],
    [
      'stale',
      replica({ IsRecentlyChecked: false }),
      '[unknown,unchecked,10.11.6-MariaDB-log,ro,ROW,>>,GTID]',
    ],
    ['detached', replica({ IsDetached: true }), '[detached,ok,10.11.6-MariaDB-log,ro,ROW,>>,GTID]'],
    [
      'writable master, no binlog, downtimed',
      instance('db1', undefined, {
        ...healthy,
        ReadOnly: false,
        LogBinEnabled: false,
        UsingMariaDBGTID: false,
        IsDowntimed: true,
      }),
      '[0s,ok,10.11.6-MariaDB-log,rw,nobinlog,downtimed]',
    ],
    [
      'errant GTID, semi-sync, Pseudo-GTID',
      replica({
        GtidErrant: '0-2-5',
        UsingPseudoGTID: true,
        SemiSyncMasterStatus: true,
        SemiSyncReplicaStatus: true,
      }),
      '[0s,ok,10.11.6-MariaDB-log,ro,ROW,>>,GTID:errant,P-GTID,semi:master,semi:replica]',
    ],
    ['nothing known', {}, '[unknown,invalid,rw,nobinlog]'],
  ];
  for (const [name, json, expected] of cases) assert.equal(describeInstance(json), expected, name);
});

void test('format: keys of instances, keys, and junk', () => {
  assert.deepEqual(keysOf([instance('a', undefined), key('b', 3307), { nope: 1 }, 'x']), [
    'a:3306',
    'b:3307',
  ]);
  assert.deepEqual(keysOf({ not: 'a list' }), []);
  assert.equal(relocation(instance('r', 'm')), 'r:3306<m:3306');
});

void test('format: a broken replica has a stopped thread and an error', () => {
  const cases: [Record<string, unknown>, boolean][] = [
    [
      { ReplicationSQLThreadRuning: false, ReplicationIOThreadRuning: true, LastSQLError: 'dup' },
      true,
    ],
    [
      { ReplicationSQLThreadRuning: true, ReplicationIOThreadRuning: false, LastIOError: 'gone' },
      true,
    ],
    [{ ReplicationSQLThreadRuning: false, ReplicationIOThreadRuning: false }, false],
    [
      { ReplicationSQLThreadRuning: true, ReplicationIOThreadRuning: true, LastSQLError: 'old' },
      false,
    ],
  ];
  for (const [fields, broken] of cases)
    assert.equal(brokenReplica(fields), broken, JSON.stringify(fields));
});
