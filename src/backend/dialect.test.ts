import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mysqlDialect, sqliteDialect, type UpsertSpec } from './dialect.js';
import { col, index, type TableSpec } from './table-spec.js';

const table: TableSpec = {
  name: 'things',
  columns: [col.string('name'), col.int('n', { default: 0 }), col.text('note', { nullable: true })],
  primaryKey: ['name'],
  indexes: [index('things', 'n')],
};

const upserts: [string, UpsertSpec, string, string][] = [
  [
    'update every non-key column',
    { table: 't', columns: ['k', 'a', 'b'], key: ['k'], rows: [[1, 2, 3]] },
    'INSERT INTO t (k, a, b) VALUES (?, ?, ?) ON CONFLICT (k) DO UPDATE SET a = excluded.a, ' +
      'b = excluded.b',
    'INSERT INTO t (k, a, b) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE a = VALUES(a), ' +
      'b = VALUES(b)',
  ],
  [
    'insert if absent',
    { table: 't', columns: ['k', 'a'], key: ['k'], update: [], rows: [[1, 2]] },
    'INSERT INTO t (k, a) VALUES (?, ?) ON CONFLICT (k) DO NOTHING',
    'INSERT INTO t (k, a) VALUES (?, ?) ON DUPLICATE KEY UPDATE k = k',
  ],
  [
    'several rows, some columns kept',
    {
      table: 't',
      columns: ['k', 'a', 'b'],
      key: ['k'],
      update: ['b'],
      rows: [
        [1, 2, 3],
        [4, 5, 6],
      ],
    },
    'INSERT INTO t (k, a, b) VALUES (?, ?, ?), (?, ?, ?) ON CONFLICT (k) DO UPDATE SET ' +
      'b = excluded.b',
    'INSERT INTO t (k, a, b) VALUES (?, ?, ?), (?, ?, ?) ON DUPLICATE KEY UPDATE b = VALUES(b)',
  ],
];

for (const [what, spec, sqlite, mysql] of upserts) {
  void test(`dialect: upsert (${what}) never uses REPLACE`, () => {
    const params = spec.rows.flat();
    assert.deepEqual(sqliteDialect.upsert(spec), { sql: sqlite, params });
    assert.deepEqual(mysqlDialect.upsert(spec), { sql: mysql, params });
  });
}

void test('dialect: an upsert row of the wrong width is refused', () => {
  const spec = { table: 't', columns: ['k', 'a'], key: ['k'], rows: [[1]] };
  assert.throws(() => sqliteDialect.upsert(spec), /row of 1 values for 2/);
});

void test('dialect: one table spec renders as a STRICT SQLite table and an InnoDB table', () => {
  assert.deepEqual(sqliteDialect.createTable(table), [
    'CREATE TABLE IF NOT EXISTS things (\n  name TEXT NOT NULL,\n  n INTEGER NOT NULL DEFAULT 0,' +
      '\n  note TEXT,\n  PRIMARY KEY (name)\n) STRICT',
    'CREATE INDEX IF NOT EXISTS things_n_idx ON things (n)',
  ]);
  assert.deepEqual(mysqlDialect.createTable(table), [
    'CREATE TABLE IF NOT EXISTS things (\n  name VARCHAR(255) NOT NULL,\n  n INT NOT NULL ' +
      'DEFAULT 0,\n  note MEDIUMTEXT NULL,\n  PRIMARY KEY (name),\n  KEY things_n_idx (n)\n)' +
      ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
  ]);
  assert.equal(sqliteDialect.concat('a', "':'", 'b'), "a || ':' || b");
  assert.equal(mysqlDialect.concat('a', "':'", 'b'), "CONCAT(a, ':', b)");
});
