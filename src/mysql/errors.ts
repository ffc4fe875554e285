import { OrcError } from '../common/errors.js';
import type { ProbeErrorKind } from '../topology/index.js';

/**
 * Failures talking to a managed server, sorted into a few stable codes. What matters to the
 * analysis is whether the server answered at all: `unreachable` (nothing came back: dead, or cut
 * off), `alive` (the server itself refused or failed: alive but in trouble), or `unknown` (orc's
 * own side gave up before asking).
 */
export type Liveness = 'unreachable' | 'alive' | 'unknown';

interface ErrorSpec {
  readonly liveness: Liveness;
  readonly description: string;
}

/** Every code this folder throws, with what it says about the server. */
export const MYSQL_ERRORS = {
  MYSQL_UNREACHABLE: {
    liveness: 'unreachable',
    description: 'no connection: refused, timed out, no route, name not found, reset at handshake',
  },
  MYSQL_CONNECTION_LOST: {
    liveness: 'unreachable',
    description: 'an open connection broke before the answer came (server died or link cut)',
  },
  MYSQL_ACCESS_DENIED: {
    liveness: 'alive',
    description: 'the server refused the credentials (1045, 1044, 1130, 1698)',
  },
  MYSQL_TOO_MANY_CONNECTIONS: {
    liveness: 'alive',
    description: 'the server refused a new connection: max_connections or a user limit',
  },
  MYSQL_HOST_BLOCKED: {
    liveness: 'alive',
    description: 'the server blocks this host after connection errors (1129)',
  },
  MYSQL_QUERY_TIMEOUT: {
    liveness: 'alive',
    description: 'a query did not answer in time (client timeout, or the server-side guard)',
  },
  MYSQL_PRIVILEGE_MISSING: {
    liveness: 'alive',
    description: "orc's user lacks a privilege the statement needs",
  },
  MYSQL_QUERY_FAILED: {
    liveness: 'alive',
    description: 'the server answered a statement with another error',
  },
  MYSQL_BAD_RESULT: {
    liveness: 'alive',
    description: 'the server answered with something orc cannot read',
  },
  MYSQL_POOL_TIMEOUT: {
    liveness: 'unknown',
    description: 'no connection to the server became free in time (orc-side queue)',
  },
  MYSQL_POOL_CLOSED: {
    liveness: 'unknown',
    description: 'the connection pool was closed',
  },
} as const satisfies Record<string, ErrorSpec>;

export type MysqlErrorCode = keyof typeof MYSQL_ERRORS;

/**
 * An error from a managed server or from orc's connections to it. `errno` is the server's (or
 * client library's) numeric error when there is one; `liveness` comes from the code's entry in
 * MYSQL_ERRORS. Context always carries `instance` (`host:port`).
 */
export class MysqlError extends OrcError {
  declare readonly code: MysqlErrorCode;
  readonly errno: number | undefined;
  readonly liveness: Liveness;

  constructor(
    code: MysqlErrorCode,
    message: string,
    options: { cause?: unknown; errno?: number; context: Record<string, unknown> },
  ) {
    super(code, message, { cause: options.cause, context: options.context });
    this.errno = options.errno;
    this.liveness = MYSQL_ERRORS[code].liveness;
  }
}

/** True when `err` is a MysqlError (optionally with `code`). */
export function isMysqlError(err: unknown, code?: MysqlErrorCode): err is MysqlError {
  return err instanceof MysqlError && (code === undefined || err.code === code);
}

// Server error numbers (MySQL and MariaDB share them below 2000; 1969 is MariaDB's).
const BY_ERRNO: Readonly<Record<number, MysqlErrorCode>> = {
  1040: 'MYSQL_TOO_MANY_CONNECTIONS', // ER_CON_COUNT_ERROR
  1203: 'MYSQL_TOO_MANY_CONNECTIONS', // ER_TOO_MANY_USER_CONNECTIONS
  1226: 'MYSQL_TOO_MANY_CONNECTIONS', // ER_USER_LIMIT_REACHED
  1044: 'MYSQL_ACCESS_DENIED', // ER_DBACCESS_DENIED_ERROR
  1045: 'MYSQL_ACCESS_DENIED', // ER_ACCESS_DENIED_ERROR
  1130: 'MYSQL_ACCESS_DENIED', // ER_HOST_NOT_PRIVILEGED
  1698: 'MYSQL_ACCESS_DENIED', // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
  1129: 'MYSQL_HOST_BLOCKED', // ER_HOST_IS_BLOCKED
  1142: 'MYSQL_PRIVILEGE_MISSING', // ER_TABLEACCESS_DENIED_ERROR
  1143: 'MYSQL_PRIVILEGE_MISSING', // ER_COLUMNACCESS_DENIED_ERROR
  1227: 'MYSQL_PRIVILEGE_MISSING', // ER_SPECIFIC_ACCESS_DENIED_ERROR
  1969: 'MYSQL_QUERY_TIMEOUT', // MariaDB ER_STATEMENT_TIMEOUT (max_statement_time)
  3024: 'MYSQL_QUERY_TIMEOUT', // MySQL ER_QUERY_TIMEOUT (max_execution_time)
  1053: 'MYSQL_UNREACHABLE', // ER_SERVER_SHUTDOWN
  1927: 'MYSQL_CONNECTION_LOST', // MariaDB ER_CONNECTION_KILLED
  2006: 'MYSQL_CONNECTION_LOST', // CR_SERVER_GONE_ERROR
  2013: 'MYSQL_CONNECTION_LOST', // CR_SERVER_LOST
};

// Node socket errors and mysql2's own codes.
const BY_CODE: Readonly<Record<string, MysqlErrorCode>> = {
  ECONNREFUSED: 'MYSQL_UNREACHABLE',
  EHOSTUNREACH: 'MYSQL_UNREACHABLE',
  ENETUNREACH: 'MYSQL_UNREACHABLE',
  EHOSTDOWN: 'MYSQL_UNREACHABLE',
  EADDRNOTAVAIL: 'MYSQL_UNREACHABLE',
  ENOTFOUND: 'MYSQL_UNREACHABLE',
  EAI_AGAIN: 'MYSQL_UNREACHABLE',
  ETIMEDOUT: 'MYSQL_UNREACHABLE',
  ECONNRESET: 'MYSQL_CONNECTION_LOST',
  EPIPE: 'MYSQL_CONNECTION_LOST',
  PROTOCOL_CONNECTION_LOST: 'MYSQL_CONNECTION_LOST',
  PROTOCOL_SEQUENCE_TIMEOUT: 'MYSQL_QUERY_TIMEOUT',
};

/** Where a failure happened: opening the connection, or running a statement on it. */
export type FailurePhase = 'connect' | 'query';

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null
    ? (err as Record<string, unknown>)[name]
    : undefined;
}

function codeOf(err: unknown, phase: FailurePhase): MysqlErrorCode {
  const errno = field(err, 'errno');
  const code = field(err, 'code');
  const serverErrno = typeof errno === 'number' && errno > 0;
  const found =
    (serverErrno ? BY_ERRNO[errno] : undefined) ??
    (typeof code === 'string' ? BY_CODE[code] : undefined);
  if (phase === 'connect') {
    // A link that breaks during the handshake never reached the server's SQL layer.
    if (found === 'MYSQL_CONNECTION_LOST') return 'MYSQL_UNREACHABLE';
    if (found === undefined) return serverErrno ? 'MYSQL_QUERY_FAILED' : 'MYSQL_UNREACHABLE';
  }
  // mysql2 marks errors that end the connection `fatal` ("closed state", protocol errors).
  if (found === undefined && !serverErrno && field(err, 'fatal') === true) {
    return 'MYSQL_CONNECTION_LOST';
  }
  return found ?? 'MYSQL_QUERY_FAILED';
}

/**
 * Turns whatever mysql2 or the socket threw into a MysqlError naming the instance (and the
 * statement, for query failures). An error that already is a MysqlError is returned as is.
 * Pure: never throws.
 */
export function classifyMysqlError(
  err: unknown,
  where: { instance: string; phase: FailurePhase; sql?: string },
): MysqlError {
  if (err instanceof MysqlError) return err;
  const code = codeOf(err, where.phase);
  const errno = field(err, 'errno');
  const detail = err instanceof Error ? err.message : String(err);
  const action =
    where.phase === 'connect'
      ? `cannot connect to ${where.instance}`
      : `query on ${where.instance}`;
  const context: Record<string, unknown> = { instance: where.instance };
  if (where.sql !== undefined) context['sql'] = where.sql;
  if (field(err, 'code') === 'ETIMEDOUT') context['silent'] = true;
  return new MysqlError(code, `${action} failed: ${detail}`, {
    cause: err,
    ...(typeof errno === 'number' && errno > 0 ? { errno } : {}),
    context,
  });
}

const PROBE_KINDS: Readonly<Record<MysqlErrorCode, ProbeErrorKind>> = {
  MYSQL_UNREACHABLE: 'unreachable',
  MYSQL_CONNECTION_LOST: 'unreachable',
  MYSQL_ACCESS_DENIED: 'access-denied',
  MYSQL_TOO_MANY_CONNECTIONS: 'too-many-connections',
  MYSQL_HOST_BLOCKED: 'host-blocked',
  MYSQL_QUERY_TIMEOUT: 'timeout',
  MYSQL_PRIVILEGE_MISSING: 'other',
  MYSQL_QUERY_FAILED: 'other',
  MYSQL_BAD_RESULT: 'other',
  MYSQL_POOL_TIMEOUT: 'other',
  MYSQL_POOL_CLOSED: 'other',
};

/**
 * The analysis' view of a failure (topology/probe-error.ts): a connection attempt that got no
 * answer at all (connect timeout) is `timeout`, as is a query that did not answer; refusals
 * keep their kind; every other failure of a server that answered is `other`.
 */
export function probeErrorKind(err: MysqlError): ProbeErrorKind {
  if (err.code === 'MYSQL_UNREACHABLE' && err.context['silent'] === true) return 'timeout';
  return PROBE_KINDS[err.code];
}
