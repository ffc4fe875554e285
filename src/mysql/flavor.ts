import type { ServerVersion } from '../topology/index.js';

/**
 * The words each server family and release understands, in one table. MariaDB kept the
 * master/slave statements (10.5 added aliases, 11.x keeps both) and lists multi-source
 * connections with `SHOW ALL SLAVES STATUS`. MySQL renamed them in steps:
 *
 * | vocabulary     | releases          | replica status         | own binlog         | replicas    |
 * |----------------|-------------------|------------------------|--------------------|-------------|
 * | `mariadb`      | MariaDB 10.x 11.x | SHOW ALL SLAVES STATUS | SHOW MASTER STATUS | SLAVE HOSTS |
 * | `mysql-5.7`    | 5.7 – 8.0.21      | SHOW SLAVE STATUS      | SHOW MASTER STATUS | SLAVE HOSTS |
 * | `mysql-8.0.22` | 8.0.22 – 8.1      | SHOW REPLICA STATUS    | SHOW MASTER STATUS | REPLICAS    |
 * | `mysql-8.4`    | 8.2 and later     | SHOW REPLICA STATUS    | SHOW BINARY LOG …  | REPLICAS    |
 *
 * ("SHOW BINARY LOG …" is SHOW BINARY LOG STATUS, "SLAVE HOSTS" SHOW SLAVE HOSTS, "REPLICAS"
 * SHOW REPLICAS.) Columns follow the statement's words: `Master_Host`, `Slave_IO_Running` for
 * the first two, `Source_Host`, `Replica_IO_Running` for the last two (RENAMED_STATUS_COLUMNS).
 * `SHOW BINARY LOG STATUS` exists from 8.2.0; 8.4 LTS removed the old statements (they fail
 * with a syntax error, 1064). `log_replica_updates` replaced `log_slave_updates` in 8.0.26.
 * MySQL lists every channel in one `SHOW REPLICA STATUS` with no FOR CHANNEL.
 */
export type VocabularyId = 'mariadb' | 'mysql-5.7' | 'mysql-8.0.22' | 'mysql-8.4';

export interface Vocabulary {
  readonly id: VocabularyId;
  readonly family: 'mariadb' | 'mysql';
  /** Lists every replication connection or channel, one row each. */
  readonly replicaStatus: string;
  /** The server's own binary log position. */
  readonly binlogStatus: string;
  /** The replicas registered with this server (report_host / report_port). */
  readonly replicaHosts: string;
  /** Which words the columns of replicaStatus and replicaHosts use. */
  readonly columns: 'master' | 'source';
  /** The variable saying whether replicated changes are logged. */
  readonly logReplicaUpdates: 'log_slave_updates' | 'log_replica_updates';
  /** The server-side statement time limit: variable and its unit. */
  readonly statementTimeout: { readonly variable: string; readonly unit: 's' | 'ms' };
  /** Family-specific variables read with the identity (aliased to these names). */
  readonly variables: readonly string[];
}

const MARIADB_GTID = [
  'gtid_current_pos',
  'gtid_binlog_pos',
  'gtid_slave_pos',
  'gtid_binlog_state',
  'gtid_domain_id',
  'gtid_strict_mode',
];
const MYSQL_IDENTITY = [
  'server_uuid',
  'super_read_only',
  'gtid_mode',
  'gtid_executed',
  'gtid_purged',
];

const mysqlTimeout = { variable: 'max_execution_time', unit: 'ms' } as const;

export const VOCABULARIES = {
  mariadb: {
    id: 'mariadb',
    family: 'mariadb',
    replicaStatus: 'SHOW ALL SLAVES STATUS',
    binlogStatus: 'SHOW MASTER STATUS',
    replicaHosts: 'SHOW SLAVE HOSTS',
    columns: 'master',
    logReplicaUpdates: 'log_slave_updates',
    statementTimeout: { variable: 'max_statement_time', unit: 's' },
    variables: MARIADB_GTID,
  },
  'mysql-5.7': {
    id: 'mysql-5.7',
    family: 'mysql',
    replicaStatus: 'SHOW SLAVE STATUS',
    binlogStatus: 'SHOW MASTER STATUS',
    replicaHosts: 'SHOW SLAVE HOSTS',
    columns: 'master',
    logReplicaUpdates: 'log_slave_updates',
    statementTimeout: mysqlTimeout,
    variables: MYSQL_IDENTITY,
  },
  'mysql-8.0.22': {
    id: 'mysql-8.0.22',
    family: 'mysql',
    replicaStatus: 'SHOW REPLICA STATUS',
    binlogStatus: 'SHOW MASTER STATUS',
    replicaHosts: 'SHOW REPLICAS',
    columns: 'source',
    logReplicaUpdates: 'log_slave_updates',
    statementTimeout: mysqlTimeout,
    variables: MYSQL_IDENTITY,
  },
  'mysql-8.4': {
    id: 'mysql-8.4',
    family: 'mysql',
    replicaStatus: 'SHOW REPLICA STATUS',
    binlogStatus: 'SHOW BINARY LOG STATUS',
    replicaHosts: 'SHOW REPLICAS',
    columns: 'source',
    logReplicaUpdates: 'log_replica_updates',
    statementTimeout: mysqlTimeout,
    variables: MYSQL_IDENTITY,
  },
} as const satisfies Record<VocabularyId, Vocabulary>;

/** MySQL releases where a vocabulary begins, newest first. */
const MYSQL_STEPS: readonly {
  readonly from: readonly [number, number, number];
  id: VocabularyId;
}[] = [
  { from: [8, 2, 0], id: 'mysql-8.4' },
  { from: [8, 0, 22], id: 'mysql-8.0.22' },
  { from: [0, 0, 0], id: 'mysql-5.7' },
];

function compareTo(v: ServerVersion, [major, minor, patch]: readonly [number, number, number]) {
  return v.major - major || v.minor - minor || v.patch - patch;
}

/** The vocabulary of a server, from its `@@version` (Percona speaks MySQL's). */
export function vocabularyFor(version: ServerVersion): Vocabulary {
  if (version.flavor === 'mariadb') return VOCABULARIES.mariadb;
  const step = MYSQL_STEPS.find((s) => compareTo(version, s.from) >= 0);
  return VOCABULARIES[step?.id ?? 'mysql-5.7'];
}

/**
 * Columns of a replica status row whose name changed with the words: `[master, source]`.
 * Columns not listed have one name everywhere (`Relay_Log_File`, `SQL_Delay`,
 * `Replicate_Do_DB`, MariaDB's `Using_Gtid`, MySQL's `Auto_Position`, …).
 */
export const RENAMED_STATUS_COLUMNS = {
  ioState: ['Slave_IO_State', 'Replica_IO_State'],
  sourceHost: ['Master_Host', 'Source_Host'],
  sourcePort: ['Master_Port', 'Source_Port'],
  sourceLogFile: ['Master_Log_File', 'Source_Log_File'],
  readSourceLogPos: ['Read_Master_Log_Pos', 'Read_Source_Log_Pos'],
  relaySourceLogFile: ['Relay_Master_Log_File', 'Relay_Source_Log_File'],
  execSourceLogPos: ['Exec_Master_Log_Pos', 'Exec_Source_Log_Pos'],
  ioRunning: ['Slave_IO_Running', 'Replica_IO_Running'],
  sqlRunning: ['Slave_SQL_Running', 'Replica_SQL_Running'],
  sslAllowed: ['Master_SSL_Allowed', 'Source_SSL_Allowed'],
  secondsBehind: ['Seconds_Behind_Master', 'Seconds_Behind_Source'],
  sourceServerId: ['Master_Server_Id', 'Source_Server_Id'],
  sourceUuid: ['Master_UUID', 'Source_UUID'],
  sqlState: ['Slave_SQL_Running_State', 'Replica_SQL_Running_State'],
  hostsSourceId: ['Master_id', 'Source_id'],
  hostsReplicaUuid: ['Slave_UUID', 'Replica_UUID'],
} as const satisfies Record<string, readonly [string, string]>;

export type RenamedColumn = keyof typeof RENAMED_STATUS_COLUMNS;

/** The name of a renamed column in the vocabulary's words. */
export function columnName(vocabulary: Vocabulary, column: RenamedColumn): string {
  return RENAMED_STATUS_COLUMNS[column][vocabulary.columns === 'master' ? 0 : 1];
}

/** The statement that sets the server-side time limit for this session, a little above ours. */
export function statementTimeoutStatement(vocabulary: Vocabulary, timeoutMs: number): string {
  const { variable, unit } = vocabulary.statementTimeout;
  const value = unit === 's' ? (timeoutMs / 1000).toFixed(3) : String(Math.ceil(timeoutMs));
  return `SET SESSION ${variable}=${value}`;
}
