import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  classifyMysqlError,
  isMysqlError,
  MysqlError,
  probeErrorKind,
  type FailurePhase,
  type Liveness,
  type MysqlErrorCode,
} from './errors.js';

/** A driver-like error: what mysql2 and Node sockets throw. */
function raw(fields: { code?: string; errno?: number; message?: string }): Error {
  return Object.assign(new Error(fields.message ?? 'boom'), fields);
}

const cases: [
  name: string,
  error: Error,
  phase: FailurePhase,
  code: MysqlErrorCode,
  liveness: Liveness,
][] = [
  [
    'refused',
    raw({ code: 'ECONNREFUSED', errno: -111 }),
    'connect',
    'MYSQL_UNREACHABLE',
    'unreachable',
  ],
  ['connect timeout', raw({ code: 'ETIMEDOUT' }), 'connect', 'MYSQL_UNREACHABLE', 'unreachable'],
  [
    'no route',
    raw({ code: 'EHOSTUNREACH', errno: -113 }),
    'connect',
    'MYSQL_UNREACHABLE',
    'unreachable',
  ],
  ['name not found', raw({ code: 'ENOTFOUND' }), 'connect', 'MYSQL_UNREACHABLE', 'unreachable'],
  [
    'reset in the handshake',
    raw({ code: 'ECONNRESET' }),
    'connect',
    'MYSQL_UNREACHABLE',
    'unreachable',
  ],
  ['reset mid-query', raw({ code: 'ECONNRESET' }), 'query', 'MYSQL_CONNECTION_LOST', 'unreachable'],
  [
    'server closed mid-query',
    raw({ code: 'PROTOCOL_CONNECTION_LOST' }),
    'query',
    'MYSQL_CONNECTION_LOST',
    'unreachable',
  ],
  [
    'access denied',
    raw({ code: 'ER_ACCESS_DENIED_ERROR', errno: 1045 }),
    'connect',
    'MYSQL_ACCESS_DENIED',
    'alive',
  ],
  ['host not allowed', raw({ errno: 1130 }), 'connect', 'MYSQL_ACCESS_DENIED', 'alive'],
  [
    'too many connections',
    raw({ code: 'ER_CON_COUNT_ERROR', errno: 1040 }),
    'connect',
    'MYSQL_TOO_MANY_CONNECTIONS',
    'alive',
  ],
  ['user connection limit', raw({ errno: 1203 }), 'connect', 'MYSQL_TOO_MANY_CONNECTIONS', 'alive'],
  ['host blocked', raw({ errno: 1129 }), 'connect', 'MYSQL_HOST_BLOCKED', 'alive'],
  ['missing privilege', raw({ errno: 1227 }), 'query', 'MYSQL_PRIVILEGE_MISSING', 'alive'],
  ['MariaDB max_statement_time', raw({ errno: 1969 }), 'query', 'MYSQL_QUERY_TIMEOUT', 'alive'],
  ['MySQL max_execution_time', raw({ errno: 3024 }), 'query', 'MYSQL_QUERY_TIMEOUT', 'alive'],
  [
    'syntax error',
    raw({ code: 'ER_PARSE_ERROR', errno: 1064 }),
    'query',
    'MYSQL_QUERY_FAILED',
    'alive',
  ],
  ['unknown server error at login', raw({ errno: 1251 }), 'connect', 'MYSQL_QUERY_FAILED', 'alive'],
  ['shutting down', raw({ errno: 1053 }), 'query', 'MYSQL_UNREACHABLE', 'unreachable'],
  [
    'a connection mysql2 already closed',
    Object.assign(raw({ message: "Can't add new command when connection is in closed state" }), {
      fatal: true,
    }),
    'query',
    'MYSQL_CONNECTION_LOST',
    'unreachable',
  ],
  ['something odd', new Error('odd'), 'query', 'MYSQL_QUERY_FAILED', 'alive'],
];

for (const [name, error, phase, code, liveness] of cases) {
  void test(`errors: ${name} (${phase}) is ${code}, server ${liveness}`, () => {
    const err = classifyMysqlError(error, { instance: '127.0.0.1:3306', phase });
    assert.equal(err.code, code);
    assert.equal(err.liveness, liveness);
    assert.equal(err.cause, error);
    assert.equal(err.context['instance'], '127.0.0.1:3306');
  });
}

void test('errors: messages say what failed and where, with the statement in context', () => {
  const err = classifyMysqlError(
    raw({
      errno: 1227,
      message: 'Access denied; you need (at least one of) the BINLOG MONITOR privilege(s)',
    }),
    {
      instance: '127.0.0.1:3307',
      phase: 'query',
      sql: 'SHOW MASTER STATUS',
    },
  );
  assert.match(err.message, /^query on 127\.0\.0\.1:3307 failed: Access denied/);
  assert.equal(err.context['sql'], 'SHOW MASTER STATUS');
  assert.equal(err.errno, 1227);
});

void test('errors: a MysqlError is passed through unchanged', () => {
  const err = new MysqlError('MYSQL_QUERY_TIMEOUT', 'slow', { context: { instance: 'a:1' } });
  assert.equal(classifyMysqlError(err, { instance: 'b:2', phase: 'query' }), err);
  assert.ok(isMysqlError(err, 'MYSQL_QUERY_TIMEOUT'));
  assert.ok(!isMysqlError(err, 'MYSQL_UNREACHABLE'));
});

void test('errors: analysis kinds: silent is timeout, refusals keep their kind', () => {
  const kind = (e: Error, phase: FailurePhase = 'connect') =>
    probeErrorKind(classifyMysqlError(e, { instance: 'a:1', phase }));
  assert.equal(kind(raw({ code: 'ETIMEDOUT' })), 'timeout');
  assert.equal(kind(raw({ code: 'ECONNREFUSED' })), 'unreachable');
  assert.equal(kind(raw({ errno: 1040 })), 'too-many-connections');
  assert.equal(kind(raw({ errno: 1045 })), 'access-denied');
  assert.equal(kind(raw({ errno: 1129 })), 'host-blocked');
  assert.equal(kind(raw({ errno: 3024 }), 'query'), 'timeout');
  assert.equal(kind(raw({ errno: 1064 }), 'query'), 'other');
});
