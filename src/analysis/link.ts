import type { ReplicationChannel, ReplicationError } from '../topology/index.js';

/**
 * What a replica's IO error says about its source. orchestrator matches
 * `last_io_error LIKE '%error %connecting to master%'`, which catches MariaDB's
 * `error reconnecting to master 'repl@127.0.0.1:23306' - retry-time: 1 …` and MySQL 5.7's
 * `error connecting to master …`; MySQL 8.0.26+ and 8.4 say `source` instead of `master`, so
 * both words are accepted here, in any case. Errors 2002/2003/2005 (cannot connect, unknown
 * host) count whatever the wording.
 */
const CONNECT_ERROR = /error\s.*connecting to (master|source)/i;
const CONNECT_ERRNOS: ReadonlySet<number> = new Set([2002, 2003, 2005]);

/** True when the IO error is a failure to (re)connect to the source. */
export function isConnectError(err: ReplicationError | undefined): boolean {
  if (err === undefined) return false;
  return CONNECT_ERRNOS.has(err.errno) || CONNECT_ERROR.test(err.message);
}

/**
 * orchestrator's `is_failing_to_connect_to_master` for one connection: IO thread not running
 * (connecting or stopped), SQL thread running, and the IO error is a connect error.
 */
export function isFailingToConnect(c: ReplicationChannel | undefined): boolean {
  return (
    c !== undefined &&
    c.ioThread !== 'running' &&
    c.sqlThread === 'running' &&
    isConnectError(c.lastIoError)
  );
}

/**
 * orc's evidence that the source is down, from one connection: the IO thread is not running
 * and its error is a connect error, whatever the SQL thread does (a backup tool may have
 * stopped only the SQL thread; the IO thread still tells whether the source answers).
 */
export function reportsSourceDown(c: ReplicationChannel | undefined): boolean {
  return c !== undefined && c.ioThread !== 'running' && isConnectError(c.lastIoError);
}

/** orc's counter-evidence: the IO thread is connected to the source right now. */
export function isIoConnected(c: ReplicationChannel | undefined): boolean {
  return c !== undefined && c.ioThread === 'running';
}

/**
 * A person-readable state of a replica's connection, for explanations: `replicating`,
 * `failing to connect`, `IO connected, SQL stopped`, `threads stopped`, and so on.
 */
export function describeLink(c: ReplicationChannel): string {
  if (c.ioThread === 'running' && c.sqlThread === 'running') return 'replicating';
  const io =
    c.lastIoError === undefined
      ? ''
      : `: IO error ${c.lastIoError.errno} "${c.lastIoError.message}"`;
  const sql = c.lastSqlError === undefined ? '' : `; SQL error ${c.lastSqlError.errno}`;
  if (reportsSourceDown(c))
    return `failing to connect (IO ${c.ioThread}, SQL ${c.sqlThread})${io}${sql}`;
  if (c.ioThread === 'running') return `IO connected, SQL ${c.sqlThread}${sql}`;
  if (c.ioThread === 'stopped' && c.sqlThread === 'stopped' && io === '' && sql === '') {
    return 'threads stopped, no error (stopped by a person or a tool)';
  }
  return `IO ${c.ioThread}, SQL ${c.sqlThread}${io}${sql}`;
}
