import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseServerVersion } from '../topology/index.js';
import {
  columnName,
  RENAMED_STATUS_COLUMNS,
  statementTimeoutStatement,
  VOCABULARIES,
  vocabularyFor,
  type VocabularyId,
} from './flavor.js';

const cases: [version: string, comment: string, id: VocabularyId][] = [
  ['10.11.19-MariaDB-0+deb12u1-log', 'Debian 12', 'mariadb'],
  ['5.5.5-10.6.18-MariaDB', '', 'mariadb'],
  ['11.4.2-MariaDB', 'mariadb.org binary distribution', 'mariadb'],
  ['5.7.44-log', 'MySQL Community Server (GPL)', 'mysql-5.7'],
  ['8.0.21', 'MySQL Community Server - GPL', 'mysql-5.7'],
  ['8.0.22', 'MySQL Community Server - GPL', 'mysql-8.0.22'],
  ['8.0.36-28', 'Percona Server (GPL), Release 28', 'mysql-8.0.22'],
  ['8.1.0', 'MySQL Community Server - GPL', 'mysql-8.0.22'],
  ['8.2.0', 'MySQL Community Server - GPL', 'mysql-8.4'],
  ['8.4.3', 'MySQL Community Server - GPL', 'mysql-8.4'],
  ['9.1.0', 'MySQL Community Server - GPL', 'mysql-8.4'],
];

for (const [version, comment, id] of cases) {
  void test(`flavor: ${version} speaks the ${id} vocabulary`, () => {
    assert.equal(vocabularyFor(parseServerVersion(version, comment)).id, id);
  });
}

void test('flavor: each vocabulary asks the statements its releases know', () => {
  const statements = Object.fromEntries(
    Object.values(VOCABULARIES).map((v) => [
      v.id,
      [v.replicaStatus, v.binlogStatus, v.replicaHosts],
    ]),
  );
  assert.deepEqual(statements, {
    mariadb: ['SHOW ALL SLAVES STATUS', 'SHOW MASTER STATUS', 'SHOW SLAVE HOSTS'],
    'mysql-5.7': ['SHOW SLAVE STATUS', 'SHOW MASTER STATUS', 'SHOW SLAVE HOSTS'],
    'mysql-8.0.22': ['SHOW REPLICA STATUS', 'SHOW MASTER STATUS', 'SHOW REPLICAS'],
    'mysql-8.4': ['SHOW REPLICA STATUS', 'SHOW BINARY LOG STATUS', 'SHOW REPLICAS'],
  });
});

void test('flavor: 8.4 uses no statement 8.4 removed', () => {
  const removed = ['SLAVE', 'MASTER'];
  const v = VOCABULARIES['mysql-8.4'];
  for (const sql of [v.replicaStatus, v.binlogStatus, v.replicaHosts]) {
    assert.ok(!removed.some((word) => sql.includes(word)), sql);
  }
  assert.equal(v.logReplicaUpdates, 'log_replica_updates');
});

void test('flavor: renamed columns follow the vocabulary words', () => {
  assert.equal(columnName(VOCABULARIES.mariadb, 'sourceHost'), 'Master_Host');
  assert.equal(columnName(VOCABULARIES['mysql-5.7'], 'secondsBehind'), 'Seconds_Behind_Master');
  assert.equal(columnName(VOCABULARIES['mysql-8.0.22'], 'sourceHost'), 'Source_Host');
  assert.equal(columnName(VOCABULARIES['mysql-8.4'], 'ioRunning'), 'Replica_IO_Running');
  for (const [oldName, newName] of Object.values(RENAMED_STATUS_COLUMNS)) {
    assert.equal(
      newName,
      oldName.replace('Master', 'Source').replace('Slave', 'Replica').replace('master', 'source'),
      `${oldName} ↔ ${newName}`,
    );
  }
});

void test('flavor: the server-side guard uses seconds on MariaDB, milliseconds on MySQL', () => {
  assert.equal(
    statementTimeoutStatement(VOCABULARIES.mariadb, 11_000),
    'SET SESSION max_statement_time=11.000',
  );
  assert.equal(
    statementTimeoutStatement(VOCABULARIES['mysql-8.4'], 2_500.4),
    'SET SESSION max_execution_time=2501',
  );
});
