import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMyCnf } from './my-cnf.js';

const base = {
  dir: '/sb/s2',
  socketPath: '/sb/s2/mysqld.sock',
  privatePort: 23407,
  publicPort: 23307,
  serverId: 23307,
  semiSync: false,
  slaveNetTimeout: 4,
};

function settings(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter((l) => l.includes('=') && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

void test('my.cnf: mariadbd listens privately and reports its public address', () => {
  const s = settings(renderMyCnf(base));
  assert.equal(s.get('port'), '23407');
  assert.equal(s.get('bind-address'), '127.0.0.1');
  assert.equal(s.get('report_host'), '127.0.0.1');
  assert.equal(s.get('report_port'), '23307');
  assert.equal(s.get('server_id'), '23307');
  assert.equal(s.get('datadir'), '/sb/s2/data');
  assert.equal(s.get('socket'), '/sb/s2/mysqld.sock');
});

void test('my.cnf: every server starts read-only with GTID-ready binlogs, as root', () => {
  const s = settings(renderMyCnf(base));
  assert.equal(s.get('read_only'), 'ON');
  assert.equal(s.get('user'), 'root');
  assert.equal(s.get('log_bin'), 'mysql-bin');
  assert.equal(s.get('log_slave_updates'), 'ON');
  assert.equal(s.get('gtid_strict_mode'), 'ON');
  assert.equal(s.get('binlog_format'), 'ROW');
  assert.equal(s.get('slave_net_timeout'), '4');
  assert.equal(s.get('rpl_semi_sync_slave_enabled'), undefined);
});

void test('my.cnf: semi-sync turns on the replica side only', () => {
  const s = settings(renderMyCnf({ ...base, semiSync: true }));
  assert.equal(s.get('rpl_semi_sync_slave_enabled'), 'ON');
  assert.equal(s.get('rpl_semi_sync_master_enabled'), undefined);
});
