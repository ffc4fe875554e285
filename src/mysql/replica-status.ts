import {
  binlogCoordinates,
  formatMariaDbGtidPosition,
  formatMysqlGtidSet,
  instanceKey,
  parseMariaDbGtidPosition,
  parseMysqlGtidSet,
  type BinlogCoordinates,
  type ReplicaGtidUse,
  type ReplicationChannel,
  type ReplicationError,
  type ReplicationFilters,
  type ThreadState,
} from '../topology/index.js';
import type { Row } from './connection.js';
import { columnName, type RenamedColumn, type Vocabulary } from './flavor.js';
import {
  badResult,
  flag,
  intList,
  list,
  optionalInt,
  optionalText,
  text,
  type Origin,
} from './values.js';

/**
 * Turns rows of `SHOW ALL SLAVES STATUS` (MariaDB) or `SHOW [SLAVE|REPLICA] STATUS` (MySQL,
 * every channel) into ReplicationChannel values, whatever the vocabulary's column words.
 */

/** A row reader bound to one vocabulary: renamed columns by logical name, others by name. */
function reader(row: Row, vocabulary: Vocabulary) {
  return {
    renamed: (column: RenamedColumn): unknown => row[columnName(vocabulary, column)],
    plain: (column: string): unknown => row[column],
  };
}

type Reader = ReturnType<typeof reader>;

function ioThread(value: unknown): ThreadState {
  const t = text(value).trim().toLowerCase();
  if (t === 'yes') return 'running';
  if (t === 'connecting') return 'connecting';
  return 'stopped';
}

function sqlThread(value: unknown): ThreadState {
  return text(value).trim().toLowerCase() === 'yes' ? 'running' : 'stopped';
}

function coordinates(file: unknown, pos: unknown): BinlogCoordinates | undefined {
  const name = optionalText(file);
  const offset = optionalInt(pos);
  if (name === undefined || offset === undefined) return undefined;
  try {
    return binlogCoordinates(name, offset);
  } catch {
    return undefined;
  }
}

function lastError(errno: unknown, message: unknown, at: unknown): ReplicationError | undefined {
  const n = optionalInt(errno) ?? 0;
  if (n === 0) return undefined;
  return { errno: n, message: text(message), at: optionalText(at) };
}

function gtidUse(r: Reader, vocabulary: Vocabulary): ReplicaGtidUse {
  if (vocabulary.family === 'mysql') {
    return optionalInt(r.plain('Auto_Position')) === 1 ? 'auto_position' : 'no';
  }
  const using = text(r.plain('Using_Gtid')).trim().toLowerCase();
  return using === 'current_pos' || using === 'slave_pos' ? using : 'no';
}

/** Canonical text of a GTID position or set; the raw text when it cannot be read. */
function canonicalGtids(value: unknown, family: Vocabulary['family']): string {
  const raw = text(value).trim();
  try {
    return family === 'mariadb'
      ? formatMariaDbGtidPosition(parseMariaDbGtidPosition(raw))
      : formatMysqlGtidSet(parseMysqlGtidSet(raw));
  } catch {
    return raw;
  }
}

function filters(r: Reader): ReplicationFilters {
  return {
    doDbs: list(r.plain('Replicate_Do_DB')),
    ignoreDbs: list(r.plain('Replicate_Ignore_DB')),
    doTables: list(r.plain('Replicate_Do_Table')),
    ignoreTables: list(r.plain('Replicate_Ignore_Table')),
    wildDoTables: list(r.plain('Replicate_Wild_Do_Table')),
    wildIgnoreTables: list(r.plain('Replicate_Wild_Ignore_Table')),
    doDomainIds: intList(r.plain('Replicate_Do_Domain_Ids')),
    ignoreDomainIds: intList(r.plain('Replicate_Ignore_Domain_Ids')),
    ignoreServerIds: intList(r.plain('Replicate_Ignore_Server_Ids')),
  };
}

function channelName(r: Reader, vocabulary: Vocabulary): string {
  const column = vocabulary.family === 'mariadb' ? 'Connection_name' : 'Channel_Name';
  return text(r.plain(column));
}

/**
 * One connection's row as a channel; undefined when the row names no source (MySQL keeps a
 * row with an empty host for group replication channels and after a plain RESET). Throws
 * MYSQL_BAD_RESULT when the source address is unreadable.
 */
export function parseReplicaStatusRow(
  row: Row,
  vocabulary: Vocabulary,
  origin: Origin,
): ReplicationChannel | undefined {
  const r = reader(row, vocabulary);
  const host = optionalText(r.renamed('sourceHost'));
  if (host === undefined || host === '_') return undefined;
  const port = optionalInt(r.renamed('sourcePort'));
  let sourceKey;
  try {
    sourceKey = instanceKey(host, port ?? 0);
  } catch (err) {
    throw badResult(origin, `source address ${host}:${String(port)}: ${(err as Error).message}`);
  }
  const sourceServerId = optionalInt(r.renamed('sourceServerId'));
  return {
    name: channelName(r, vocabulary),
    sourceKey,
    sourceServerId: sourceServerId === 0 ? undefined : sourceServerId,
    sourceUuid: optionalText(r.renamed('sourceUuid'))?.toLowerCase(),
    ioThread: ioThread(r.renamed('ioRunning')),
    sqlThread: sqlThread(r.renamed('sqlRunning')),
    ioStateText: text(r.renamed('ioState')),
    sqlStateText: text(r.renamed('sqlState')),
    lastIoError: lastError(
      r.plain('Last_IO_Errno'),
      r.plain('Last_IO_Error'),
      r.plain('Last_IO_Error_Timestamp'),
    ),
    lastSqlError: lastError(
      r.plain('Last_SQL_Errno'),
      r.plain('Last_SQL_Error'),
      r.plain('Last_SQL_Error_Timestamp'),
    ),
    readSourceCoordinates: coordinates(r.renamed('sourceLogFile'), r.renamed('readSourceLogPos')),
    execSourceCoordinates: coordinates(
      r.renamed('relaySourceLogFile'),
      r.renamed('execSourceLogPos'),
    ),
    relayLogCoordinates: coordinates(r.plain('Relay_Log_File'), r.plain('Relay_Log_Pos')),
    secondsBehindSource: optionalInt(r.renamed('secondsBehind')),
    sqlDelaySeconds: optionalInt(r.plain('SQL_Delay')) ?? 0,
    gtidUse: gtidUse(r, vocabulary),
    gtidIoPos:
      vocabulary.family === 'mariadb' ? canonicalGtids(r.plain('Gtid_IO_Pos'), 'mariadb') : '',
    retrievedGtidSet:
      vocabulary.family === 'mysql' ? canonicalGtids(r.plain('Retrieved_Gtid_Set'), 'mysql') : '',
    filters: filters(r),
    sslEnabled: flag(r.renamed('sslAllowed')),
  };
}

/** Every channel of the status rows, in the order the server listed them. */
export function parseReplicaStatus(
  rows: readonly Row[],
  vocabulary: Vocabulary,
  origin: Origin,
): ReplicationChannel[] {
  return rows.flatMap((row) => {
    const channel = parseReplicaStatusRow(row, vocabulary, origin);
    return channel ? [channel] : [];
  });
}

/**
 * The topology edge and the rest: the default connection (name ''), else the only one; with
 * several named connections and no default, none is the edge and all are listed as others.
 */
export function splitChannels(channels: readonly ReplicationChannel[]): {
  replication: ReplicationChannel | undefined;
  otherChannels: ReplicationChannel[];
} {
  const main =
    channels.find((c) => c.name === '') ?? (channels.length === 1 ? channels[0] : undefined);
  return { replication: main, otherChannels: channels.filter((c) => c !== main) };
}
