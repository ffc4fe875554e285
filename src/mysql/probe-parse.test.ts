import assert from 'node:assert/strict';
import { test } from 'node:test';
import { instanceKey } from '../topology/index.js';
import { isMysqlError } from './errors.js';
import { VOCABULARIES } from './flavor.js';
import {
  parseBinlogSettings,
  parseBinlogStatus,
  parseDumpThreads,
  parseGtidState,
  parseIdentity,
  parseReplicaHosts,
  parseSemiSync,
  parseUptime,
  variablesStatement,
} from './probe-parse.js';
import { flag, intList, optionalInt, optionalNumber, optionalText } from './values.js';

const origin = { instance: '127.0.0.1:3306', statement: 'SELECT …' };

void test('probe parse: values accept every form servers and drivers use', () => {
  assert.deepEqual(['ON', 'on', 1, '1', 'Yes', 'TRUE', 'OFF', 0, null, 'No', ''].map(flag), [
    true,
    true,
    true,
    true,
    true,
    true,
    false,
    false,
    false,
    false,
    false,
  ]);
  assert.deepEqual([5, '5', ' 7 ', null, '', 'x', '1.5', '9007199254740993'].map(optionalInt), [
    5,
    5,
    7,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
  assert.deepEqual(['1.5', 2, 'lag', null].map(optionalNumber), [1.5, 2, undefined, undefined]);
  assert.deepEqual([' a ', '', null, Buffer.from('b')].map(optionalText), [
    'a',
    undefined,
    undefined,
    'b',
  ]);
  assert.deepEqual(intList('1, 2,x,,3'), [1, 2, 3]);
});

void test('probe parse: the variables statement asks each family for its own names', () => {
  const maria = variablesStatement(VOCABULARIES.mariadb);
  assert.match(maria, /@@global\.gtid_current_pos AS gtid_current_pos/);
  assert.doesNotMatch(maria, /server_uuid|super_read_only|gtid_executed/);
  const mysql84 = variablesStatement(VOCABULARIES['mysql-8.4']);
  assert.match(mysql84, /@@global\.log_replica_updates AS log_replica_updates/);
  assert.match(mysql84, /@@global\.server_uuid AS server_uuid/);
  assert.doesNotMatch(mysql84, /log_slave_updates|gtid_current_pos/);
  assert.match(variablesStatement(VOCABULARIES['mysql-5.7']), /log_slave_updates/);
});

void test('probe parse: identity of a MariaDB and of a MySQL server', () => {
  const maria = parseIdentity(
    {
      hostname: 'vm',
      report_host: '127.0.0.1',
      report_port: 25201,
      server_id: 25201,
      version: '10.11.19-MariaDB-0+deb12u1-log',
      version_comment: 'Debian 12',
      read_only: 1,
    },
    origin,
  );
  assert.equal(maria.serverId, 25201);
  assert.equal(maria.version.flavor, 'mariadb');
  assert.equal(maria.readOnly, true);
  assert.equal(maria.superReadOnly, undefined);
  assert.equal(maria.serverUuid, undefined);
  const mysql = parseIdentity(
    {
      hostname: 'db2',
      report_host: null,
      report_port: 0,
      server_id: '12',
      version: '8.4.3',
      version_comment: 'MySQL Community Server - GPL',
      read_only: 0,
      super_read_only: 'ON',
      server_uuid: 'AAAAAAAA-0000-4000-8000-000000000012',
    },
    origin,
  );
  assert.equal(mysql.serverUuid, 'aaaaaaaa-0000-4000-8000-000000000012');
  assert.equal(mysql.superReadOnly, true);
  assert.equal(mysql.reportHost, undefined);
  assert.equal(mysql.reportPort, undefined);
});

void test('probe parse: a row without server_id or version is a bad result', () => {
  const bad = (row: Record<string, unknown> | undefined) => () => parseIdentity(row, origin);
  const badResult = (err: unknown) => isMysqlError(err, 'MYSQL_BAD_RESULT');
  assert.throws(bad(undefined), badResult);
  assert.throws(bad({ version: '8.0.36', server_id: null }), badResult);
  assert.throws(bad({ version: 'unknown', server_id: 1 }), badResult);
});

void test('probe parse: binlog settings and own coordinates', () => {
  const row = {
    log_bin: 1,
    log_slave_updates: 'ON',
    binlog_format: 'row',
    binlog_row_image: 'MINIMAL',
  };
  const self = parseBinlogStatus([{ File: 'mysql-bin.000003', Position: '4567' }]);
  assert.deepEqual(parseBinlogSettings(row, VOCABULARIES.mariadb, self), {
    logBin: true,
    logReplicaUpdates: true,
    format: 'ROW',
    rowImage: 'MINIMAL',
    selfCoordinates: { file: 'mysql-bin.000003', pos: 4567 },
  });
  assert.equal(parseBinlogStatus([]), undefined);
  const off = parseBinlogSettings({ log_bin: 0 }, VOCABULARIES['mysql-8.4'], self);
  assert.equal(off.selfCoordinates, undefined);
  assert.equal(off.format, undefined);
});

void test('probe parse: GTID state, canonical, for both families', () => {
  assert.deepEqual(
    parseGtidState(
      {
        gtid_current_pos: '1-7-20, 0-6-5',
        gtid_binlog_pos: '0-6-5',
        gtid_slave_pos: '',
        gtid_binlog_state: '0-7-3,0-6-5',
        gtid_domain_id: 1,
        gtid_strict_mode: 1,
      },
      VOCABULARIES.mariadb,
      origin,
    ),
    {
      flavor: 'mariadb',
      currentPos: '0-6-5,1-7-20',
      binlogPos: '0-6-5',
      slavePos: '',
      binlogState: '0-6-5,0-7-3',
      domainId: 1,
      strictMode: true,
    },
  );
  const uuid = '3E11FA47-71CA-11E1-9E33-C80AA9429562';
  assert.deepEqual(
    parseGtidState(
      { gtid_mode: 'ON', gtid_executed: `${uuid}:1-5,\n${uuid}:6`, gtid_purged: '' },
      VOCABULARIES['mysql-8.0.22'],
      origin,
    ),
    { flavor: 'mysql', mode: 'ON', executed: `${uuid.toLowerCase()}:1-6`, purged: '' },
  );
  assert.equal(parseGtidState({}, VOCABULARIES['mysql-5.7'], origin), undefined);
  assert.throws(
    () =>
      parseGtidState(
        { gtid_mode: 'ON', gtid_executed: 'nonsense' },
        VOCABULARIES['mysql-5.7'],
        origin,
      ),
    (err: unknown) => isMysqlError(err, 'MYSQL_BAD_RESULT'),
  );
});

const rows = (o: Record<string, string>) =>
  Object.entries(o).map(([Variable_name, Value]) => ({ Variable_name, Value }));

void test('probe parse: semi-sync in old (MariaDB, MySQL < 8.0.26) and new plugin words', () => {
  const expected = {
    sourceEnabled: true,
    sourceActive: true,
    sourceClients: 2,
    sourceWaitForReplicaCount: 1,
    sourceTimeoutMs: 2000,
    replicaEnabled: false,
    replicaActive: false,
    enforced: false,
  };
  const old = parseSemiSync(
    rows({
      rpl_semi_sync_master_enabled: 'ON',
      rpl_semi_sync_master_timeout: '2000',
      rpl_semi_sync_slave_enabled: 'OFF',
    }),
    rows({ Rpl_semi_sync_master_status: 'ON', Rpl_semi_sync_master_clients: '2', Uptime: '9' }),
  );
  assert.deepEqual(old, expected);
  const renamed = parseSemiSync(
    rows({
      rpl_semi_sync_source_enabled: 'ON',
      rpl_semi_sync_source_timeout: '2000',
      rpl_semi_sync_source_wait_for_replica_count: '1',
    }),
    rows({ Rpl_semi_sync_source_status: 'ON', Rpl_semi_sync_source_clients: '2' }),
  );
  assert.deepEqual(renamed, expected);
  assert.equal(parseSemiSync([], rows({ Uptime: '9' })), undefined);
  assert.equal(parseUptime(rows({ Uptime: '9' })), 9);
});

void test('probe parse: replicas from SHOW SLAVE HOSTS / SHOW REPLICAS, else dump threads', () => {
  const hosts = parseReplicaHosts(
    [
      { Server_id: 7, Host: '127.0.0.1', Port: 23307, Master_id: 6 },
      { Server_id: 8, Host: '', Port: 0, Master_id: 6 },
    ],
    VOCABULARIES.mariadb,
  );
  assert.deepEqual(hosts, [
    {
      key: instanceKey('127.0.0.1', 23307),
      serverId: 7,
      serverUuid: undefined,
      via: 'replica-hosts',
    },
  ]);
  const replicas = parseReplicaHosts(
    [
      {
        Server_id: 21,
        Host: 'athena',
        Port: 3306,
        Source_id: 3,
        Replica_UUID: '07AF4990-F41F-11DF-A566-7AC56FDAF645',
      },
    ],
    VOCABULARIES['mysql-8.4'],
  );
  assert.equal(replicas[0]?.serverUuid, '07af4990-f41f-11df-a566-7ac56fdaf645');
  assert.deepEqual(
    parseDumpThreads(
      [{ host: '10.0.0.5:51234' }, { host: '10.0.0.5:51240' }, { host: '::1:40000' }],
      3306,
    ),
    [
      {
        key: instanceKey('10.0.0.5', 3306),
        serverId: undefined,
        serverUuid: undefined,
        via: 'processlist',
      },
      {
        key: instanceKey('::1', 3306),
        serverId: undefined,
        serverUuid: undefined,
        via: 'processlist',
      },
    ],
  );
});
