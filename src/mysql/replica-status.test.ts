import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { instanceKey, type ReplicationChannel } from '../topology/index.js';
import type { Row } from './connection.js';
import { isMysqlError } from './errors.js';
import { VOCABULARIES, type Vocabulary } from './flavor.js';
import { parseReplicaStatus, parseReplicaStatusRow, splitChannels } from './replica-status.js';

/** A recorded (MariaDB) or documented (MySQL) example row from test/fixtures/mysql. */
function example(fixture: string, statement: string): Row {
  const url = new URL(`../../test/fixtures/mysql/${fixture}.json`, import.meta.url);
  const parsed = JSON.parse(readFileSync(url, 'utf8')) as {
    statements: Record<string, { example: Row }>;
  };
  const found = parsed.statements[statement];
  assert.ok(found, `${fixture} has no ${statement}`);
  return found.example;
}

const origin = { instance: '127.0.0.1:3306', statement: 'SHOW REPLICA STATUS' };

function parse(row: Row, vocabulary: Vocabulary): ReplicationChannel {
  const channel = parseReplicaStatusRow(row, vocabulary, origin);
  assert.ok(channel);
  return channel;
}

const recorded: [
  name: string,
  row: Row,
  vocabulary: Vocabulary,
  expected: Partial<ReplicationChannel>,
][] = [
  [
    'MariaDB 10.11 SHOW ALL SLAVES STATUS (recorded)',
    example('mariadb-10.11', 'SHOW ALL SLAVES STATUS'),
    VOCABULARIES.mariadb,
    {
      name: '',
      sourceKey: instanceKey('127.0.0.1', 30000),
      sourceServerId: 30000,
      sourceUuid: undefined,
      ioThread: 'running',
      sqlThread: 'running',
      readSourceCoordinates: { file: 'mysql-bin.000001', pos: 2805 },
      execSourceCoordinates: { file: 'mysql-bin.000001', pos: 2805 },
      relayLogCoordinates: { file: 'relay-bin.000002', pos: 3104 },
      secondsBehindSource: 0,
      gtidUse: 'slave_pos',
      gtidIoPos: '0-30000-13',
      retrievedGtidSet: '',
    },
  ],
  [
    'MySQL 5.7 SHOW SLAVE STATUS (manual example)',
    example('mysql-5.7', 'SHOW SLAVE STATUS'),
    VOCABULARIES['mysql-5.7'],
    {
      name: '',
      sourceKey: instanceKey('localhost', 13000),
      sourceServerId: 1,
      sourceUuid: '3e11fa47-71ca-11e1-9e33-c80aa9429562',
      ioThread: 'running',
      readSourceCoordinates: { file: 'source-bin.000002', pos: 1307 },
      relayLogCoordinates: { file: 'replica-relay-bin.000003', pos: 1508 },
      gtidUse: 'auto_position',
      gtidIoPos: '',
      retrievedGtidSet: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
    },
  ],
  [
    'MySQL 8.0 SHOW REPLICA STATUS (Source_* words)',
    example('mysql-8.0', 'SHOW REPLICA STATUS'),
    VOCABULARIES['mysql-8.0.22'],
    {
      sourceKey: instanceKey('192.168.188.82', 3306),
      sourceServerId: 8,
      sourceUuid: '72fb0803-1cb7-11ee-b488-000c29c51569',
      execSourceCoordinates: { file: 'binlog.000004', pos: 157 },
      sqlStateText: 'Replica has read all relay log; waiting for more updates',
      gtidUse: 'auto_position',
    },
  ],
  [
    'MySQL 8.0 SHOW SLAVE STATUS (Master_* words, same server family)',
    example('mysql-8.0', 'SHOW SLAVE STATUS'),
    VOCABULARIES['mysql-5.7'],
    {
      sourceKey: instanceKey('192.168.188.82', 3306),
      sourceServerId: 8,
      sourceUuid: '7f681a2e-1d4e-11ee-8bc2-000c293c9206',
      gtidUse: 'no',
    },
  ],
];

for (const [name, row, vocabulary, expected] of recorded) {
  void test(`replica status: ${name} normalises to one channel shape`, () => {
    const channel = parse(row, vocabulary);
    for (const [field, value] of Object.entries(expected)) {
      assert.deepEqual(channel[field as keyof ReplicationChannel], value, field);
    }
  });
}

const threadCases: [io: string, sql: string, ioThread: string, sqlThread: string][] = [
  ['Yes', 'Yes', 'running', 'running'],
  ['Connecting', 'Yes', 'connecting', 'running'],
  ['No', 'No', 'stopped', 'stopped'],
  ['Preparing', 'No', 'stopped', 'stopped'],
];

for (const [io, sql, ioThread, sqlThread] of threadCases) {
  void test(`replica status: IO ${io} / SQL ${sql} → ${ioThread} / ${sqlThread}`, () => {
    const row = {
      Master_Host: 'db1',
      Master_Port: 3306,
      Slave_IO_Running: io,
      Slave_SQL_Running: sql,
    };
    const channel = parse(row, VOCABULARIES.mariadb);
    assert.equal(channel.ioThread, ioThread);
    assert.equal(channel.sqlThread, sqlThread);
  });
}

void test('replica status: a dead source shows as connecting with errno 2003 and no lag', () => {
  const row = {
    ...example('mariadb-10.11', 'SHOW ALL SLAVES STATUS'),
    Slave_IO_Running: 'Connecting',
    Seconds_Behind_Master: null,
    Last_IO_Errno: 2003,
    Last_IO_Error: "error reconnecting to master 'repl@127.0.0.1:23306' - retry-time: 1",
  };
  const channel = parse(row, VOCABULARIES.mariadb);
  assert.equal(channel.ioThread, 'connecting');
  assert.equal(channel.secondsBehindSource, undefined);
  assert.equal(channel.lastIoError?.errno, 2003);
  assert.match(channel.lastIoError?.message ?? '', /reconnecting/);
  assert.equal(channel.lastSqlError, undefined);
});

void test('replica status: filters, domain ids, delay and a MySQL error timestamp are read', () => {
  const row = {
    Source_Host: 'db1',
    Source_Port: 3306,
    Replica_IO_Running: 'Yes',
    Replica_SQL_Running: 'No',
    Replicate_Do_DB: 'app,billing',
    Replicate_Ignore_Server_Ids: '7, 9',
    SQL_Delay: 3600,
    Last_SQL_Errno: 1062,
    Last_SQL_Error: 'Duplicate entry',
    Last_SQL_Error_Timestamp: '240101 10:00:00',
  };
  const channel = parse(row, VOCABULARIES['mysql-8.4']);
  assert.deepEqual(channel.filters.doDbs, ['app', 'billing']);
  assert.deepEqual(channel.filters.ignoreServerIds, [7, 9]);
  assert.equal(channel.sqlDelaySeconds, 3600);
  assert.deepEqual(channel.lastSqlError, {
    errno: 1062,
    message: 'Duplicate entry',
    at: '240101 10:00:00',
  });
  const maria = parse(
    { Master_Host: 'db1', Master_Port: 3306, Replicate_Do_Domain_Ids: '1,2' },
    VOCABULARIES.mariadb,
  );
  assert.deepEqual(maria.filters.doDomainIds, [1, 2]);
});

void test('replica status: rows with no source (group replication, RESET) are no channels', () => {
  const rows = [
    { Source_Host: '', Source_Port: 0, Channel_Name: 'group_replication_applier' },
    { Source_Host: 'db1', Source_Port: 3306, Channel_Name: '' },
  ];
  const channels = parseReplicaStatus(rows, VOCABULARIES['mysql-8.0.22'], origin);
  assert.deepEqual(
    channels.map((c) => c.name),
    [''],
  );
});

void test('replica status: an unreadable source address is a bad result', () => {
  assert.throws(
    () =>
      parseReplicaStatusRow(
        { Master_Host: 'db 1', Master_Port: 3306 },
        VOCABULARIES.mariadb,
        origin,
      ),
    (err: unknown) => isMysqlError(err, 'MYSQL_BAD_RESULT'),
  );
});

void test('replica status: the default connection is the edge; named ones are others', () => {
  const named = (name: string) =>
    parse({ Master_Host: 'db1', Master_Port: 3306, Connection_name: name }, VOCABULARIES.mariadb);
  const [a, b, dflt] = [named('a'), named('b'), named('')];
  assert.deepEqual(splitChannels([a, dflt, b]), { replication: dflt, otherChannels: [a, b] });
  assert.deepEqual(splitChannels([a]), { replication: a, otherChannels: [] });
  assert.deepEqual(splitChannels([a, b]), { replication: undefined, otherChannels: [a, b] });
  assert.deepEqual(splitChannels([]), { replication: undefined, otherChannels: [] });
});
