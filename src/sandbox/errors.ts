import { OrcError } from '../common/errors.js';

/**
 * The stable error codes of the sandbox. Callers (the CLI, tests, `orc demo`) match on these;
 * the messages say what failed, quote the values and, where there is one, name the fix.
 */
export const SandboxCode = {
  /** A port the sandbox needs is taken; the message names the port and its purpose. */
  PortInUse: 'SANDBOX_PORT_IN_USE',
  /** The directory holds no sandbox (no sandbox.json). */
  NotFound: 'SANDBOX_NOT_FOUND',
  /** The directory holds a sandbox but no supervisor answers on its control socket. */
  NotRunning: 'SANDBOX_NOT_RUNNING',
  /** `up` was asked for a directory whose sandbox is still running, or a foreign directory. */
  Exists: 'SANDBOX_EXISTS',
  /** An instance reference matched no instance; the message lists the valid names. */
  UnknownInstance: 'SANDBOX_UNKNOWN_INSTANCE',
  /** Options that cannot work together or are out of range. */
  BadOptions: 'SANDBOX_BAD_OPTIONS',
  /** No `mariadbd`/`mariadb-install-db` on this machine. */
  MariadbMissing: 'MARIADB_MISSING',
  /** A server or the supervisor did not come up; the message quotes its log. */
  StartFailed: 'SANDBOX_START_FAILED',
  /** A condition the sandbox waits for (catch-up, a process exit) did not happen in time. */
  Timeout: 'SANDBOX_TIMEOUT',
  /** The operation needs a running server and this one is down. */
  InstanceDown: 'SANDBOX_INSTANCE_DOWN',
  /** A statement the sandbox ran on one of its servers failed. */
  SqlFailed: 'SANDBOX_SQL_FAILED',
  /** The control socket answered with something that is not the protocol. */
  Protocol: 'SANDBOX_PROTOCOL',
  /** `write` found no writable server: every one is read_only or down. */
  NoWritable: 'SANDBOX_NO_WRITABLE',
  /** `up` was interrupted (Ctrl-C, SIGTERM); it stopped everything it had started. */
  Interrupted: 'SANDBOX_INTERRUPTED',
  /** `verify-writes` found acknowledged rows missing on a server. */
  WritesMissing: 'SANDBOX_WRITES_MISSING',
} as const;

export type SandboxCode = (typeof SandboxCode)[keyof typeof SandboxCode];

/** An OrcError whose code is one of the sandbox's. */
export class SandboxError extends OrcError {
  declare readonly code: SandboxCode;

  constructor(
    code: SandboxCode,
    message: string,
    options: { cause?: unknown; context?: Record<string, unknown> } = {},
  ) {
    super(code, message, options);
  }
}
