import {
  binlogCoordinates,
  formatMariaDbGtidPosition,
  formatMysqlGtidSet,
  instanceKey,
  parseMariaDbBinlogState,
  parseMariaDbGtidPosition,
  parseMysqlGtidSet,
  parseServerVersion,
  type BinlogCoordinates,
  type BinlogFormat,
  type BinlogRowImage,
  type BinlogSettings,
  type GtidState,
  type InstanceKey,
  type MysqlGtidMode,
  type SemiSyncState,
} from '../topology/index.js';
import type { Row } from './connection.js';
import { columnName, type Vocabulary } from './flavor.js';
import type { ReplicaHost, ServerIdentity } from './probe-result.js';
import {
  badResult,
  flag,
  optionalInt,
  optionalText,
  requireInt,
  text,
  type Origin,
} from './values.js';

/**
 * The probe's statements (other than replica status, replica-status.ts) and the readers of
 * their answers. Pure: rows in, facts out; MYSQL_BAD_RESULT for answers that make no sense.
 */

const COMMON_VARIABLES = [
  'hostname',
  'report_host',
  'report_port',
  'server_id',
  'version',
  'version_comment',
  'read_only',
  'log_bin',
  'binlog_format',
  'binlog_row_image',
];

/** One SELECT of every variable the identity part needs, each aliased to its own name. */
export function variablesStatement(vocabulary: Vocabulary): string {
  const names = [...COMMON_VARIABLES, vocabulary.logReplicaUpdates, ...vocabulary.variables];
  return `SELECT ${names.map((n) => `@@global.${n} AS ${n}`).join(', ')}`;
}

export const SEMI_SYNC_VARIABLES = "SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync%'";
export const GLOBAL_STATUS =
  "SHOW GLOBAL STATUS WHERE Variable_name = 'Uptime' OR Variable_name LIKE 'Rpl_semi_sync%'";
export const BINLOG_DUMP_THREADS =
  'SELECT HOST AS host FROM information_schema.PROCESSLIST ' +
  "WHERE COMMAND IN ('Binlog Dump', 'Binlog Dump GTID')";

export function parseIdentity(row: Row | undefined, origin: Origin): ServerIdentity {
  if (row === undefined) throw badResult(origin, 'no row');
  let version;
  try {
    version = parseServerVersion(text(row['version']), text(row['version_comment']));
  } catch (err) {
    throw badResult(origin, (err as Error).message);
  }
  const reportPort = optionalInt(row['report_port']);
  return {
    serverId: requireInt(row, 'server_id', origin),
    serverUuid: optionalText(row['server_uuid'])?.toLowerCase(),
    hostname: text(row['hostname']),
    reportHost: optionalText(row['report_host']),
    reportPort: reportPort === 0 ? undefined : reportPort,
    version,
    versionComment: text(row['version_comment']),
    readOnly: flag(row['read_only']),
    superReadOnly: 'super_read_only' in row ? flag(row['super_read_only']) : undefined,
  };
}

const FORMATS: readonly BinlogFormat[] = ['STATEMENT', 'MIXED', 'ROW'];
const ROW_IMAGES: readonly BinlogRowImage[] = ['FULL', 'MINIMAL', 'NOBLOB'];

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  const t = text(value).trim().toUpperCase();
  return (allowed as readonly string[]).includes(t) ? (t as T) : undefined;
}

/** The binlog settings; `selfCoordinates` comes from the binlog status statement. */
export function parseBinlogSettings(
  row: Row,
  vocabulary: Vocabulary,
  self: BinlogCoordinates | undefined,
): BinlogSettings {
  const logBin = flag(row['log_bin']);
  return {
    logBin,
    logReplicaUpdates: flag(row[vocabulary.logReplicaUpdates]),
    format: oneOf(row['binlog_format'], FORMATS),
    rowImage: oneOf(row['binlog_row_image'], ROW_IMAGES),
    selfCoordinates: logBin ? self : undefined,
  };
}

/** `SHOW MASTER STATUS` / `SHOW BINARY LOG STATUS`: no row when the binary log is off. */
export function parseBinlogStatus(rows: readonly Row[]): BinlogCoordinates | undefined {
  const row = rows[0];
  const file = optionalText(row?.['File']);
  const pos = optionalInt(row?.['Position']);
  if (file === undefined || pos === undefined) return undefined;
  try {
    return binlogCoordinates(file, pos);
  } catch {
    return undefined;
  }
}

function canonical(raw: unknown, read: (t: string) => string, origin: Origin, name: string) {
  const t = text(raw).trim();
  try {
    return read(t);
  } catch (err) {
    throw badResult(origin, `${name} "${t}": ${(err as Error).message}`);
  }
}

const GTID_MODES: readonly MysqlGtidMode[] = ['OFF', 'OFF_PERMISSIVE', 'ON_PERMISSIVE', 'ON'];

/** GTID variables, canonical; undefined for a MySQL without `gtid_mode`. */
export function parseGtidState(
  row: Row,
  vocabulary: Vocabulary,
  origin: Origin,
): GtidState | undefined {
  if (vocabulary.family === 'mariadb') {
    const pos = (t: string) => formatMariaDbGtidPosition(parseMariaDbGtidPosition(t));
    const state = (t: string) => formatMariaDbGtidPosition(parseMariaDbBinlogState(t));
    return {
      flavor: 'mariadb',
      currentPos: canonical(row['gtid_current_pos'], pos, origin, 'gtid_current_pos'),
      binlogPos: canonical(row['gtid_binlog_pos'], pos, origin, 'gtid_binlog_pos'),
      slavePos: canonical(row['gtid_slave_pos'], pos, origin, 'gtid_slave_pos'),
      binlogState: canonical(row['gtid_binlog_state'], state, origin, 'gtid_binlog_state'),
      domainId: optionalInt(row['gtid_domain_id']) ?? 0,
      strictMode: flag(row['gtid_strict_mode']),
    };
  }
  const mode = oneOf(row['gtid_mode'], GTID_MODES);
  if (mode === undefined) return undefined;
  const set = (t: string) => formatMysqlGtidSet(parseMysqlGtidSet(t));
  return {
    flavor: 'mysql',
    mode,
    executed: canonical(row['gtid_executed'], set, origin, 'gtid_executed'),
    purged: canonical(row['gtid_purged'], set, origin, 'gtid_purged'),
  };
}

/** Variable/status rows (`Variable_name`, `Value`) as a map with lower-case names. */
function nameValues(rows: readonly Row[]): Map<string, unknown> {
  return new Map(rows.map((r) => [text(r['Variable_name']).toLowerCase(), r['Value']]));
}

/** MySQL 8.0.26+ plugins say source/replica; older ones and MariaDB say master/slave. */
function either(map: Map<string, unknown>, oldName: string): unknown {
  const newName = oldName.replace('master', 'source').replace('slave', 'replica');
  return map.has(oldName) ? map.get(oldName) : map.get(newName);
}

/**
 * Semi-sync from `rpl_semi_sync%` variables and `Rpl_semi_sync%` status, in either plugin's
 * words; undefined when the server has none of them. `enforced` is filled in by the probe.
 */
export function parseSemiSync(
  variables: readonly Row[],
  status: readonly Row[],
): SemiSyncState | undefined {
  const v = nameValues(variables);
  const s = nameValues(status);
  if (v.size === 0) return undefined;
  return {
    sourceEnabled: flag(either(v, 'rpl_semi_sync_master_enabled')),
    sourceActive: flag(either(s, 'rpl_semi_sync_master_status')),
    sourceClients: optionalInt(either(s, 'rpl_semi_sync_master_clients')) ?? 0,
    sourceWaitForReplicaCount:
      optionalInt(either(v, 'rpl_semi_sync_master_wait_for_slave_count')) ?? 1,
    sourceTimeoutMs: optionalInt(either(v, 'rpl_semi_sync_master_timeout')) ?? 0,
    replicaEnabled: flag(either(v, 'rpl_semi_sync_slave_enabled')),
    replicaActive: flag(either(s, 'rpl_semi_sync_slave_status')),
    enforced: false,
  };
}

export function parseUptime(status: readonly Row[]): number | undefined {
  return optionalInt(nameValues(status).get('uptime'));
}

function keyOrUndefined(host: string, port: number): InstanceKey | undefined {
  try {
    return instanceKey(host, port);
  } catch {
    return undefined;
  }
}

/** Replicas that registered with a reported host and port (report_host / report_port). */
export function parseReplicaHosts(rows: readonly Row[], vocabulary: Vocabulary): ReplicaHost[] {
  return rows.flatMap((row) => {
    const host = optionalText(row['Host']);
    const port = optionalInt(row['Port']) ?? 0;
    const key = host === undefined || port === 0 ? undefined : keyOrUndefined(host, port);
    if (key === undefined) return [];
    const uuid = optionalText(row[columnName(vocabulary, 'hostsReplicaUuid')]);
    return [
      {
        key,
        serverId: optionalInt(row['Server_id'] ?? row['Server_Id']),
        serverUuid: uuid?.toLowerCase(),
        via: 'replica-hosts' as const,
      },
    ];
  });
}

/** Binlog dump threads' client hosts (`host:port` of the connection), at the source's port. */
export function parseDumpThreads(rows: readonly Row[], sourcePort: number): ReplicaHost[] {
  const seen = new Set<string>();
  return rows.flatMap((row) => {
    const client = text(row['host']).trim();
    const at = client.lastIndexOf(':');
    const host = (at > 0 ? client.slice(0, at) : client).replace(/^\[|\]$/g, '');
    const key = host === '' ? undefined : keyOrUndefined(host, sourcePort);
    if (key === undefined || seen.has(key.host)) return [];
    seen.add(key.host);
    return [{ key, serverId: undefined, serverUuid: undefined, via: 'processlist' as const }];
  });
}
