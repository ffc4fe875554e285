import { OrcError } from '../common/errors.js';

/**
 * The stable error codes of the Galera sandbox. Where a meaning is shared with the rest of the
 * sandbox (src/sandbox/errors.ts) the code string is the same, so callers match one code.
 */
export const GaleraCode = {
  /** A planned port is taken; the message names host:port and its purpose. */
  PortInUse: 'SANDBOX_PORT_IN_USE',
  /** A planned address cannot be bound for another reason (EADDRNOTAVAIL, EACCES). */
  PortUnusable: 'SANDBOX_PORT_UNUSABLE',
  /** Options out of range (nodes, basePort, gcommNet, clusterName). */
  BadOptions: 'SANDBOX_BAD_OPTIONS',
  /** The directory already holds members of a sandbox. */
  Exists: 'SANDBOX_EXISTS',
  /** Running as root, and user mysql cannot traverse a parent of the directory (rsync SST). */
  DirNotTraversable: 'SANDBOX_DIR_NOT_TRAVERSABLE',
  /** Running as root, and there is no `mysql` user to run the servers as. */
  NoMysqlUser: 'SANDBOX_NO_MYSQL_USER',
  /** `mariadbd` or `mariadb-install-db` is not installed. */
  MariadbMissing: 'MARIADB_MISSING',
  /** `mariadb-install-db` failed. */
  TemplateFailed: 'SANDBOX_TEMPLATE_FAILED',
  /** A member's process exited while it was starting; the message quotes its error log. */
  StartFailed: 'SANDBOX_START_FAILED',
  /** A member or the cluster did not reach the awaited state in time; quotes the last status. */
  Timeout: 'SANDBOX_TIMEOUT',
  /** No member by that name; the message lists the names. */
  UnknownInstance: 'SANDBOX_UNKNOWN_INSTANCE',
  /** `mariadbd --wsrep-recover` failed before a restart. */
  RecoverFailed: 'SANDBOX_GALERA_RECOVER_FAILED',
  /** The cluster was taken down; it cannot be restarted member by member. */
  NotRunning: 'SANDBOX_NOT_RUNNING',
} as const;

export type GaleraCode = (typeof GaleraCode)[keyof typeof GaleraCode];

/** Builds an OrcError carrying one of the codes above. */
export function galeraError(
  code: GaleraCode,
  message: string,
  options: { cause?: unknown; context?: Record<string, unknown> } = {},
): OrcError {
  return new OrcError(code, message, options);
}
