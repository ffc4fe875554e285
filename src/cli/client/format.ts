/**
 * Reading orchestrator's JSON answers (untyped at this edge) and printing them the way
 * orchestrator-client does: instance keys as `host:port`, one per line; envelope `Details`;
 * strings raw. Every reader tolerates missing fields (an older or newer server) by returning
 * undefined or an empty list rather than throwing.
 */

export type Json = unknown;
type Obj = Readonly<Record<string, unknown>>;

/** The value as an object, or undefined. */
export function obj(value: Json): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Obj)
    : undefined;
}

/** The value as an array (empty for anything else). */
export function list(value: Json): readonly Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

/** A string field, or undefined. */
export function str(value: Json, field: string): string | undefined {
  const v = obj(value)?.[field];
  return typeof v === 'string' ? v : undefined;
}

/** The `Details` of an orchestrator envelope `{Code, Message, Details}`. */
export function details(answer: Json): Json {
  return obj(answer)?.Details;
}

/** `host:port` of an InstanceKey `{Hostname, Port}`, or undefined when it is not one. */
export function formatKey(key: Json): string | undefined {
  const o = obj(key);
  if (o === undefined || typeof o.Hostname !== 'string') return undefined;
  if (typeof o.Port !== 'number' && typeof o.Port !== 'string') return undefined;
  return `${o.Hostname}:${o.Port}`;
}

/** The key an answer names: an Instance's `Key`, or the value itself when it is a key. */
export function keyOf(value: Json): string | undefined {
  return formatKey(obj(value)?.Key) ?? formatKey(value);
}

/** Keys of a list of Instances or of InstanceKeys, in the order given. */
export function keysOf(value: Json): string[] {
  return list(value)
    .map(keyOf)
    .filter((key): key is string => key !== undefined);
}

/** Lines joined for printing; an empty list prints nothing. */
export function lines(items: readonly string[]): string {
  return items.join('\n');
}

/** A JSON value printed raw like `jq -r .`: strings unquoted, the rest as JSON. */
export function raw(value: Json): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2);
}

/** `relocated<new master>` of a moved Instance, as orchestrator-client prints relocations. */
export function relocation(instance: Json): string {
  const o = obj(instance);
  return `${formatKey(o?.Key) ?? ''}<${formatKey(o?.MasterKey) ?? ''}`;
}

/** Thread running, from `ReplicationSQLThreadState` (1 = running) or the older booleans. */
function threadRunning(o: Obj, which: 'SQL' | 'IO'): boolean {
  const state = o[`Replication${which}ThreadState`];
  if (typeof state === 'number') return state === 1;
  return o[`Replication${which}ThreadRuning`] === true || o[`Slave_${which}_Running`] === true;
}

/** Thread strictly stopped (state 0); false when the server does not report states. */
export function threadStopped(o: Obj, which: 'SQL' | 'IO'): boolean {
  return o[`Replication${which}ThreadState`] === 0;
}

/** Both replication threads running. */
export function replicating(instance: Json): boolean {
  const o = obj(instance);
  return o !== undefined && threadRunning(o, 'SQL') && threadRunning(o, 'IO');
}

/** orchestrator-client's broken replica: a thread stopped, with an error to show for it. */
export function brokenReplica(instance: Json): boolean {
  const o = obj(instance);
  if (o === undefined) return false;
  const stopped = !threadRunning(o, 'SQL') || !threadRunning(o, 'IO');
  const errors = (str(o, 'LastSQLError') ?? '') !== '' || (str(o, 'LastIOError') ?? '') !== '';
  return stopped && errors;
}

/** Go's `sql.NullInt64` as JSON: `{Int64, Valid}`. */
function nullInt(value: Json): number | undefined {
  const o = obj(value);
  if (o === undefined) return typeof value === 'number' ? value : undefined;
  return o.Valid === true && typeof o.Int64 === 'number' ? o.Int64 : undefined;
}

/**
 * orchestrator's `ReasonableMaintenanceReplicationLagSeconds` default. The client cannot read
 * the server's setting, so `instance-status` judges "lag" against the default.
 */
export const REASONABLE_LAG_SECONDS = 20;

/**
 * orchestrator's `Instance.HumanReadableDescription()` from the instance JSON, as the binary's
 * `instance-status` prints it: `[lag,status,version,ro|rw,binlog format|nobinlog,extras…]`,
 * e.g. `[0s,ok,10.11.6-MariaDB-log,ro,ROW,>>,GTID]`.
 */
export function describeInstance(instance: Json): string {
  const o = obj(instance) ?? {};
  const logBin = o.LogBinEnabled === true;
  const tokens = [
    lagStatus(o),
    status(o),
    str(o, 'Version') ?? '',
    o.ReadOnly === true ? 'ro' : 'rw',
    logBin ? (str(o, 'Binlog_format') ?? '') : 'nobinlog',
  ];
  const updates = o.LogReplicationUpdatesEnabled ?? o.LogSlaveUpdatesEnabled;
  if (logBin && updates === true) tokens.push('>>');
  if (usingGtid(o) || o.SupportsOracleGTID === true) {
    tokens.push((str(o, 'GtidErrant') ?? '') === '' ? 'GTID' : 'GTID:errant');
  }
  if (o.UsingPseudoGTID === true) tokens.push('P-GTID');
  if (o.SemiSyncMasterStatus === true) tokens.push('semi:master');
  if (o.SemiSyncReplicaStatus === true) tokens.push('semi:replica');
  if (o.IsDowntimed === true) tokens.push('downtimed');
  return `[${tokens.filter((token) => token !== '').join(',')}]`;
}

function usingGtid(o: Obj): boolean {
  return o.UsingOracleGTID === true || o.UsingMariaDBGTID === true;
}

/** orchestrator's `IsReplica()`: a real master key and coordinates or GTID to read from it. */
function isReplica(o: Obj): boolean {
  const master = obj(o.MasterKey);
  const host = master?.Hostname;
  if (typeof host !== 'string' || host === '' || host === '_' || !master?.Port) return false;
  const logFile = str(o.ReadBinlogCoordinates, 'LogFile') ?? '';
  return logFile !== '' || usingGtid(o);
}

function reasonableLag(o: Obj): boolean {
  const behind = nullInt(o.SecondsBehindMaster) ?? 0;
  const delay = typeof o.SQLDelay === 'number' ? o.SQLDelay : 0;
  const lag = delay > 0 ? Math.abs(behind - delay) : behind;
  return lag <= REASONABLE_LAG_SECONDS;
}

function status(o: Obj): string {
  if (o.IsLastCheckValid !== true) return 'invalid';
  if (o.IsRecentlyChecked !== true) return 'unchecked';
  if (isReplica(o) && !replicating(o)) return 'nonreplicating';
  if (isReplica(o) && !reasonableLag(o)) return 'lag';
  return 'ok';
}

function lagStatus(o: Obj): string {
  if (o.IsDetached === true) return 'detached';
  if (o.IsLastCheckValid !== true || o.IsRecentlyChecked !== true) return 'unknown';
  if (isReplica(o) && !replicating(o)) return 'null';
  if (isReplica(o) && nullInt(o.SecondsBehindMaster) === undefined) return 'null';
  const lag = nullInt(o.ReplicationLagSeconds) ?? nullInt(o.SlaveLagSeconds) ?? 0;
  return `${lag}s`;
}
