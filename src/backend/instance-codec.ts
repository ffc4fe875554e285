import {
  instanceKey,
  isLastCheckValid,
  type Instance,
  type InstanceKey,
  type ProbeTiming,
} from '../topology/index.js';
import { BackendCode, BackendError } from './errors.js';
import { num, optNum, optStr, str, type SqlRow, type SqlValue } from './sql.js';

/**
 * How an Instance becomes an `instances` row and back. The JSON document keeps every field;
 * `undefined` is written as `null` and read back as `undefined`, so a decoded instance is
 * deep-equal to the one written (the model has no nulls of its own). The row's key and timing
 * columns are laid over the document on reading: a failed probe updates only them.
 */

/** Bump when the JSON layout changes; decodeInstance must keep reading older formats. */
export const INSTANCE_DATA_FORMAT = 1;

/** The columns of an upsert, in `encodeInstance` order. */
export const INSTANCE_COLUMNS = [
  'host',
  'port',
  'cluster_name',
  'source_host',
  'source_port',
  'server_id',
  'server_uuid',
  'alias',
  'version',
  'depth',
  'last_attempted_at',
  'last_checked_at',
  'last_seen_at',
  'is_last_check_valid',
  'partial_success',
  'data_format',
  'data',
] as const;

/** The columns `decodeInstance` reads. */
export const INSTANCE_SELECT =
  'SELECT host, port, last_attempted_at, last_checked_at, last_seen_at, partial_success, ' +
  'data_format, data FROM instances';

/** The row values of `i`, in INSTANCE_COLUMNS order. */
export function encodeInstance(i: Instance): SqlValue[] {
  const source = i.replication?.sourceKey;
  const t = i.timing;
  return [
    i.key.host,
    i.key.port,
    i.cluster.name,
    source?.host ?? null,
    source?.port ?? null,
    i.serverId,
    i.serverUuid ?? null,
    i.alias ?? null,
    i.version.raw,
    i.cluster.depth,
    t.lastAttemptedAt ?? null,
    t.lastCheckedAt ?? null,
    t.lastSeenAt ?? null,
    isLastCheckValid(i) ? 1 : 0,
    t.partialSuccess ? 1 : 0,
    INSTANCE_DATA_FORMAT,
    JSON.stringify(i, (_key, value: unknown) => (value === undefined ? null : value)),
  ];
}

/** Reads a row selected with INSTANCE_SELECT. */
export function decodeInstance(row: SqlRow): Instance {
  const key = instanceKey(str(row['host']), num(row['port']));
  const format = num(row['data_format']);
  if (format !== INSTANCE_DATA_FORMAT) {
    throw new BackendError(
      BackendCode.SchemaTooNew,
      `cannot read instance ${key.host}:${key.port}: data format ${format} is newer than ` +
        `this orc's ${INSTANCE_DATA_FORMAT}`,
      { context: { instance: `${key.host}:${key.port}` } },
    );
  }
  const doc = restoreUndefined(JSON.parse(str(row['data']))) as Instance;
  const timing: ProbeTiming = {
    ...doc.timing,
    lastAttemptedAt: optNum(row['last_attempted_at']),
    lastCheckedAt: optNum(row['last_checked_at']),
    lastSeenAt: optNum(row['last_seen_at']),
    partialSuccess: num(row['partial_success']) === 1,
  };
  return { ...doc, key, timing };
}

/** Reads `host`/`port` columns as a key. */
export function decodeKey(row: SqlRow): InstanceKey {
  return instanceKey(str(row['host']), num(row['port']));
}

/** An optional host/port column pair as a key, or undefined when the host is NULL. */
export function decodeOptionalKey(row: SqlRow): InstanceKey | undefined {
  const host = optStr(row['host']);
  const port = optNum(row['port']);
  return host === undefined || port === undefined ? undefined : instanceKey(host, port);
}

/** Turns the parsed document's nulls back into undefined, in place (the document is ours). */
function restoreUndefined(value: unknown): unknown {
  if (value === null) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restoreUndefined(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) record[k] = restoreUndefined(record[k]);
  return record;
}
