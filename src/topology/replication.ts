import type { BinlogCoordinates } from './binlog.js';
import type { InstanceKey } from './instance-key.js';

/**
 * A replication thread as `SHOW REPLICA STATUS` reports it: `Yes` → running, `Connecting` →
 * connecting (the IO thread is retrying its source), `No` → stopped. The SQL thread is never
 * `connecting`.
 */
export type ThreadState = 'running' | 'connecting' | 'stopped';

/** A thread's last error; absent when the server reports errno 0. */
export interface ReplicationError {
  readonly errno: number;
  readonly message: string;
  /** `Last_IO_Error_Timestamp` / `Last_SQL_Error_Timestamp` as the server printed it. */
  readonly at: string | undefined;
}

/**
 * How a replication connection finds its position: MariaDB `Using_Gtid` (`current_pos`,
 * `slave_pos`), MySQL `Auto_Position=1` (`auto_position`), or binlog file and position
 * (`no`).
 */
export type ReplicaGtidUse = 'no' | 'current_pos' | 'slave_pos' | 'auto_position';

/**
 * The filters of one connection, each list as the server printed it (split on commas).
 * Domain ids are MariaDB's `Replicate_Do_Domain_Ids` / `Replicate_Ignore_Domain_Ids`.
 */
export interface ReplicationFilters {
  readonly doDbs: readonly string[];
  readonly ignoreDbs: readonly string[];
  readonly doTables: readonly string[];
  readonly ignoreTables: readonly string[];
  readonly wildDoTables: readonly string[];
  readonly wildIgnoreTables: readonly string[];
  readonly doDomainIds: readonly number[];
  readonly ignoreDomainIds: readonly number[];
  readonly ignoreServerIds: readonly number[];
}

/** A connection with no filter at all. */
export const NO_REPLICATION_FILTERS: ReplicationFilters = Object.freeze({
  doDbs: [],
  ignoreDbs: [],
  doTables: [],
  ignoreTables: [],
  wildDoTables: [],
  wildIgnoreTables: [],
  doDomainIds: [],
  ignoreDomainIds: [],
  ignoreServerIds: [],
});

/**
 * True when a database or table filter is set: the replica may then lack data its source has
 * (orchestrator's `has_replication_filters`). Domain and server-id filters are not counted.
 */
export function hasDataFilters(f: ReplicationFilters): boolean {
  return [
    f.doDbs,
    f.ignoreDbs,
    f.doTables,
    f.ignoreTables,
    f.wildDoTables,
    f.wildIgnoreTables,
  ].some((list) => list.length > 0);
}

/** True when MariaDB domain filters restrict which GTID domains are replicated. */
export function hasDomainFilters(f: ReplicationFilters): boolean {
  return f.doDomainIds.length > 0 || f.ignoreDomainIds.length > 0;
}

/**
 * One replication connection of a replica, from one row of `SHOW REPLICA STATUS` (MySQL
 * channel) or `SHOW ALL SLAVES STATUS` (MariaDB named connection). Coordinates are undefined
 * when the server reports none; GTID texts are '' when not applicable to the flavor.
 */
export interface ReplicationChannel {
  /** MariaDB `Connection_name` or MySQL `Channel_Name`; '' for the default connection. */
  readonly name: string;
  /** `Source_Host`/`Source_Port` as reported: where the replica believes its source is. */
  readonly sourceKey: InstanceKey;
  /** `Master_Server_Id`, to confirm who the source really is; undefined before connecting. */
  readonly sourceServerId: number | undefined;
  /** `Master_UUID` (MySQL only); undefined when unknown. */
  readonly sourceUuid: string | undefined;
  readonly ioThread: ThreadState;
  readonly sqlThread: ThreadState;
  /** `Slave_IO_State` and `Slave_SQL_Running_State` texts, for people. */
  readonly ioStateText: string;
  readonly sqlStateText: string;
  readonly lastIoError: ReplicationError | undefined;
  readonly lastSqlError: ReplicationError | undefined;
  /** Source binlog coordinates the IO thread has read up to (`Read_Master_Log_Pos`). */
  readonly readSourceCoordinates: BinlogCoordinates | undefined;
  /** Source binlog coordinates the SQL thread has executed up to (`Exec_Master_Log_Pos`). */
  readonly execSourceCoordinates: BinlogCoordinates | undefined;
  /** The replica's own relay log position (`Relay_Log_File`/`Relay_Log_Pos`). */
  readonly relayLogCoordinates: BinlogCoordinates | undefined;
  /** `Seconds_Behind_Master`; undefined when the server reports NULL (SQL thread stopped). */
  readonly secondsBehindSource: number | undefined;
  /** `SQL_Delay`: a deliberately delayed replica; 0 when none. */
  readonly sqlDelaySeconds: number;
  readonly gtidUse: ReplicaGtidUse;
  /** MariaDB `Gtid_IO_Pos`: the GTID position the IO thread has received up to. */
  readonly gtidIoPos: string;
  /** MySQL `Retrieved_Gtid_Set`: GTIDs the IO thread has received. */
  readonly retrievedGtidSet: string;
  readonly filters: ReplicationFilters;
  /** `Master_SSL_Allowed`. */
  readonly sslEnabled: boolean;
}

/** True when both threads of the connection run (connecting does not count as running). */
export function isChannelReplicating(c: ReplicationChannel): boolean {
  return c.ioThread === 'running' && c.sqlThread === 'running';
}
