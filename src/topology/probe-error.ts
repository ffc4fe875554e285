/**
 * Why the last probe of a server failed, reduced to what failure analysis needs to know: was
 * the server silent (`unreachable`, `timeout`), or did it answer and refuse orc
 * (`too-many-connections`, `access-denied`, `host-blocked`)? A server that refuses is alive and
 * in trouble, never dead: analysis gives it its own problem and never a Dead* code.
 */
export const PROBE_ERROR_KINDS = [
  'unreachable',
  'timeout',
  'too-many-connections',
  'access-denied',
  'host-blocked',
  'other',
] as const;

export type ProbeErrorKind = (typeof PROBE_ERROR_KINDS)[number];

/** The kinds where the server answered the connection and refused it: it is running. */
export type RefusalKind = Extract<
  ProbeErrorKind,
  'too-many-connections' | 'access-denied' | 'host-blocked'
>;

/** True when the failure proves the server is up (it answered, then refused). */
export function isAliveButRefusing(kind: ProbeErrorKind | undefined): kind is RefusalKind {
  return kind === 'too-many-connections' || kind === 'access-denied' || kind === 'host-blocked';
}

// Server error numbers (MySQL and MariaDB share them) and client/socket codes.
const BY_ERRNO: ReadonlyMap<number, ProbeErrorKind> = new Map([
  [1040, 'too-many-connections'], // ER_CON_COUNT_ERROR: max_connections reached
  [1203, 'too-many-connections'], // ER_TOO_MANY_USER_CONNECTIONS: max_user_connections
  [1226, 'too-many-connections'], // ER_USER_LIMIT_REACHED: per-hour resource limits
  [1044, 'access-denied'], // ER_DBACCESS_DENIED_ERROR
  [1045, 'access-denied'], // ER_ACCESS_DENIED_ERROR
  [1130, 'access-denied'], // ER_HOST_NOT_PRIVILEGED: host not allowed to connect
  [1251, 'access-denied'], // ER_NOT_SUPPORTED_AUTH_MODE
  [1862, 'access-denied'], // ER_MUST_CHANGE_PASSWORD_LOGIN
  [3118, 'access-denied'], // MySQL ER_ACCOUNT_HAS_BEEN_LOCKED
  [4151, 'access-denied'], // MariaDB ER_ACCOUNT_HAS_BEEN_LOCKED
  [1129, 'host-blocked'], // ER_HOST_IS_BLOCKED: max_connect_errors reached
  [2002, 'unreachable'], // CR_CONNECTION_ERROR (socket)
  [2003, 'unreachable'], // CR_CONN_HOST_ERROR
  [2005, 'unreachable'], // CR_UNKNOWN_HOST
]);

const BY_CODE: ReadonlyMap<string, ProbeErrorKind> = new Map([
  ['ER_CON_COUNT_ERROR', 'too-many-connections'],
  ['ER_TOO_MANY_USER_CONNECTIONS', 'too-many-connections'],
  ['ER_USER_LIMIT_REACHED', 'too-many-connections'],
  ['ER_ACCESS_DENIED_ERROR', 'access-denied'],
  ['ER_DBACCESS_DENIED_ERROR', 'access-denied'],
  ['ER_HOST_NOT_PRIVILEGED', 'access-denied'],
  ['ER_HOST_IS_BLOCKED', 'host-blocked'],
  ['ECONNREFUSED', 'unreachable'],
  ['ECONNRESET', 'unreachable'],
  ['EHOSTUNREACH', 'unreachable'],
  ['ENETUNREACH', 'unreachable'],
  ['EHOSTDOWN', 'unreachable'],
  ['ENOTFOUND', 'unreachable'],
  ['EAI_AGAIN', 'unreachable'],
  ['EPIPE', 'unreachable'],
  ['ETIMEDOUT', 'timeout'],
  ['PROTOCOL_SEQUENCE_TIMEOUT', 'timeout'],
]);

/**
 * Classifies a failed probe from the error's server `errno` and/or its `code` (mysql2 sets
 * `ER_*` names for server errors and `E*` names for socket errors). The errno wins when both
 * are known; anything not recognised is `other`. Pure; the discovery layer calls it on every
 * failed probe and stores the result with the instance.
 */
export function classifyProbeError(err: {
  readonly errno?: number | undefined;
  readonly code?: string | undefined;
}): ProbeErrorKind {
  const byErrno = err.errno === undefined ? undefined : BY_ERRNO.get(err.errno);
  if (byErrno !== undefined) return byErrno;
  return (err.code === undefined ? undefined : BY_CODE.get(err.code)) ?? 'other';
}
