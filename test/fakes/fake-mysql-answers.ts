import type { FakeChannel, FakeFacts } from './fake-mysql-facts.js';
import {
  columnSpec,
  isMariaDbFlavor,
  type FakeFlavor,
  type Fixture,
  type RecordedResult,
} from './fake-mysql-fixtures.js';

/**
 * What a fake server answers to one statement: rows computed from its facts in the recorded
 * columns, OK, the recorded error, or a sleep. Pure apart from reading the clock for Uptime.
 */
export interface Column {
  readonly name: string;
  readonly numeric: boolean;
}

export type Answer =
  | { readonly kind: 'rows'; readonly columns: readonly Column[]; readonly rows: unknown[][] }
  | { readonly kind: 'ok' }
  | { readonly kind: 'error'; readonly errno: number; readonly message: string }
  | { readonly kind: 'sleep'; readonly seconds: number }
  | { readonly kind: 'kill'; readonly threadId: number; readonly queryOnly: boolean };

export interface AnswerContext {
  readonly flavor: FakeFlavor;
  readonly fixture: Fixture;
  readonly facts: FakeFacts;
  readonly startedAt: number;
  /** Statements (upper case, single-spaced) that fail with the given error instead. */
  readonly failures?: Readonly<Record<string, { errno: number; message: string }>>;
  /** Variables the fixture knows that this server lacks (an older release). */
  readonly hiddenVariables?: readonly string[];
}

/** Splits a multi-statement text on `;` outside quotes; empty statements are dropped. */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let quote: string | null = null;
  let current = '';
  for (const ch of text) {
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"' || ch === '`') {
      quote = ch;
    } else if (ch === ';') {
      out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  out.push(current);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

/** Upper case, single-spaced: how fixtures and failures name statements. */
export function normalise(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().toUpperCase();
}

function syntaxError(ctx: AnswerContext, sql: string): Answer {
  const product = isMariaDbFlavor(ctx.flavor) ? 'MariaDB' : 'MySQL';
  const near = sql.split(' ').slice(1).join(' ').slice(0, 40);
  return {
    kind: 'error',
    errno: 1064,
    message:
      'You have an error in your SQL syntax; check the manual that corresponds to your ' +
      `${product} server version for the right syntax to use near '${near}' at line 1`,
  };
}

function unknownVariable(ctx: AnswerContext, name: string): Answer {
  const e = ctx.fixture.errors.unknownVariable;
  return { kind: 'error', errno: e.errno, message: e.message.replace('%s', name) };
}

const onOff = (b: boolean | undefined, dflt: boolean) => ((b ?? dflt) ? 1 : 0);

/** Every global variable's value as the fake holds it (only the fixture's exist). */
function variableValue(ctx: AnswerContext, name: string): unknown {
  const f = ctx.facts;
  const values: Record<string, unknown> = {
    hostname: f.hostname ?? 'fake-host',
    report_host: f.reportHost ?? null,
    report_port: f.reportPort ?? 3306,
    server_id: f.serverId,
    version: f.version ?? ctx.fixture.version,
    version_comment: ctx.fixture.versionComment,
    read_only: onOff(f.readOnly, false),
    super_read_only: onOff(f.superReadOnly, false),
    log_bin: onOff(f.logBin, true),
    log_slave_updates: onOff(f.logReplicaUpdates, true),
    log_replica_updates: onOff(f.logReplicaUpdates, true),
    binlog_format: f.binlogFormat ?? 'ROW',
    binlog_row_image: 'FULL',
    server_uuid: f.serverUuid ?? '',
    gtid_mode: f.gtidMode ?? 'ON',
    gtid_executed: f.gtidExecuted ?? '',
    gtid_purged: f.gtidPurged ?? '',
    enforce_gtid_consistency: 'ON',
    gtid_current_pos: f.gtidCurrentPos ?? '',
    gtid_binlog_pos: f.gtidBinlogPos ?? f.gtidCurrentPos ?? '',
    gtid_slave_pos: f.gtidSlavePos ?? '',
    gtid_binlog_state: f.gtidBinlogState ?? f.gtidBinlogPos ?? f.gtidCurrentPos ?? '',
    gtid_domain_id: f.gtidDomainId ?? 0,
    gtid_strict_mode: onOff(f.gtidStrictMode, true),
    max_execution_time: 0,
    max_statement_time: '0.000000',
  };
  return values[name];
}

const SELECT_VARIABLE = /^@@(?:(?:global|session)\.)?(\w+)(?:\s+AS\s+(\w+))?$/i;

function selectVariables(ctx: AnswerContext, list: string): Answer {
  const columns: Column[] = [];
  const row: unknown[] = [];
  for (const item of list.split(',').map((s) => s.trim())) {
    const m = SELECT_VARIABLE.exec(item);
    if (!m?.[1]) return syntaxError(ctx, `SELECT ${item}`);
    const name = m[1].toLowerCase();
    if (!knows(ctx, name)) return unknownVariable(ctx, name);
    const value = variableValue(ctx, name);
    columns.push({ name: m[2] ?? item, numeric: typeof value === 'number' });
    row.push(value);
  }
  return { kind: 'rows', columns, rows: [row] };
}

function rowsOf(columns: readonly Column[], objects: Record<string, unknown>[]): Answer {
  return { kind: 'rows', columns, rows: objects.map((o) => columns.map((c) => o[c.name])) };
}

/** Values of replica status columns, by their real names in either words. */
function channelValues(c: FakeChannel, ctx: AnswerContext): Record<string, unknown> {
  const io = c.io ?? 'Yes';
  const sql = c.sql ?? 'Yes';
  const ioState = c.ioState ?? (io === 'Yes' ? 'Waiting for source to send event' : '');
  const sqlState = c.sqlState ?? (sql === 'Yes' ? 'Replica has read all relay log' : '');
  const file = c.sourceLogFile ?? 'binlog.000001';
  const both = (names: readonly string[], value: unknown) =>
    Object.fromEntries(names.map((n) => [n, value]));
  return {
    ...both(['Slave_IO_State', 'Replica_IO_State'], ioState),
    ...both(['Master_Host', 'Source_Host'], c.sourceHost),
    ...both(['Master_Port', 'Source_Port'], c.sourcePort),
    ...both(['Master_Log_File', 'Source_Log_File'], file),
    ...both(['Read_Master_Log_Pos', 'Read_Source_Log_Pos'], c.readPos ?? 4),
    ...both(['Relay_Master_Log_File', 'Relay_Source_Log_File'], file),
    ...both(['Exec_Master_Log_Pos', 'Exec_Source_Log_Pos'], c.execPos ?? c.readPos ?? 4),
    ...both(['Slave_IO_Running', 'Replica_IO_Running'], io),
    ...both(['Slave_SQL_Running', 'Replica_SQL_Running'], sql),
    ...both(['Seconds_Behind_Master', 'Seconds_Behind_Source'], c.secondsBehind ?? null),
    ...both(['Master_Server_Id', 'Source_Server_Id'], c.sourceServerId ?? 0),
    ...both(['Master_UUID', 'Source_UUID'], c.sourceUuid ?? ''),
    ...both(['Slave_SQL_Running_State', 'Replica_SQL_Running_State', 'Slave_SQL_State'], sqlState),
    Relay_Log_File: c.relayLogFile ?? 'relay-bin.000002',
    Relay_Log_Pos: c.relayLogPos ?? 4,
    Replicate_Do_DB: c.doDbs ?? '',
    Replicate_Ignore_DB: c.ignoreDbs ?? '',
    Last_Errno: c.sqlError?.errno ?? 0,
    Last_Error: c.sqlError?.message ?? '',
    Last_IO_Errno: c.ioError?.errno ?? 0,
    Last_IO_Error: c.ioError?.message ?? '',
    Last_SQL_Errno: c.sqlError?.errno ?? 0,
    Last_SQL_Error: c.sqlError?.message ?? '',
    SQL_Delay: c.sqlDelay ?? 0,
    Retrieved_Gtid_Set: c.retrievedGtidSet ?? '',
    Executed_Gtid_Set: ctx.facts.gtidExecuted ?? '',
    Auto_Position: c.autoPosition === false ? 0 : 1,
    Channel_Name: c.name ?? '',
    Connection_name: c.name ?? '',
    Using_Gtid: c.usingGtid ?? 'Slave_Pos',
    Gtid_IO_Pos: c.gtidIoPos ?? '',
    Gtid_Slave_Pos: ctx.facts.gtidSlavePos ?? '',
    Replicate_Do_Domain_Ids: c.doDomainIds ?? '',
    Replicate_Ignore_Domain_Ids: c.ignoreDomainIds ?? '',
  };
}

/** A recorded result's columns filled from computed values, else from the example row. */
function fill(recorded: RecordedResult, computed: Record<string, unknown>[]): Answer {
  const columns = recorded.columns.map(columnSpec);
  const objects = computed.map((values) =>
    Object.fromEntries(
      columns.map((c) => {
        const value = c.name in values ? values[c.name] : recorded.example[c.name];
        return [c.name, value ?? (c.numeric ? null : '')];
      }),
    ),
  );
  return rowsOf(columns, objects);
}

function fixtureRows(ctx: AnswerContext, key: string): Record<string, unknown>[] {
  const f = ctx.facts;
  if (/^SHOW (ALL SLAVES|SLAVE|REPLICA) STATUS$/.test(key)) {
    return (f.channels ?? []).map((c) => channelValues(c, ctx));
  }
  if (/^SHOW (MASTER|BINARY LOG) STATUS$/.test(key)) {
    if (f.logBin === false) return [];
    const file = f.binlogFile ?? 'binlog.000001';
    const executed = f.gtidExecuted ?? '';
    return [{ File: file, Position: f.binlogPos ?? 4, Binlog_Do_DB: '', Binlog_Ignore_DB: '' }].map(
      (row) => ({ ...row, Executed_Gtid_Set: executed }),
    );
  }
  return (f.replicas ?? []).map((r) => ({
    Server_id: r.serverId,
    Host: r.host,
    Port: r.port,
    Master_id: f.serverId,
    Source_id: f.serverId,
    Slave_UUID: r.uuid ?? '',
    Replica_UUID: r.uuid ?? '',
  }));
}

function likeToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** SHOW GLOBAL VARIABLES/STATUS with LIKE or WHERE: rows whose name matches a quoted pattern. */
function showNameValues(sql: string, values: Record<string, string>): Answer {
  const patterns = [...sql.matchAll(/'([^']*)'/g)].map((m) => likeToRegExp(m[1] ?? ''));
  const rows = Object.entries(values)
    .filter(([name]) => patterns.some((p) => p.test(name)))
    .map(([name, value]) => ({ Variable_name: name, Value: value }));
  const columns = [
    { name: 'Variable_name', numeric: false },
    { name: 'Value', numeric: false },
  ];
  return rowsOf(columns, rows);
}

function processlist(ctx: AnswerContext, sql: string): Answer {
  const alias = /^SELECT\s+HOST(?:\s+AS\s+(\w+))?\s+FROM/i.exec(sql)?.[1] ?? 'HOST';
  const rows = (ctx.facts.dumpThreads ?? []).map((host) => ({ [alias]: host }));
  return rowsOf([{ name: alias, numeric: false }], rows);
}

function knows(ctx: AnswerContext, variable: string): boolean {
  return ctx.fixture.variables.includes(variable) && !ctx.hiddenVariables?.includes(variable);
}

/** The answer to one statement. */
export function answerStatement(ctx: AnswerContext, sql: string): Answer {
  const key = normalise(sql);
  const failure = ctx.failures?.[key];
  if (failure !== undefined) return { kind: 'error', ...failure };
  const recorded = ctx.fixture.statements[key];
  if (recorded !== undefined) {
    if ('error' in recorded) return { kind: 'error', ...recorded.error };
    return fill(recorded, fixtureRows(ctx, key));
  }
  const setVar = /^SET (?:SESSION |@@SESSION\.)?(\w+)\s*=/.exec(key);
  if (setVar?.[1]) {
    const name = setVar[1].toLowerCase();
    return knows(ctx, name) ? { kind: 'ok' } : unknownVariable(ctx, name);
  }
  const kill = /^KILL (QUERY )?(\d+)$/.exec(key);
  if (kill?.[2])
    return { kind: 'kill', threadId: Number(kill[2]), queryOnly: kill[1] !== undefined };
  const sleep = /^SELECT SLEEP\(([\d.]+)\)$/.exec(key);
  if (sleep?.[1]) return { kind: 'sleep', seconds: Number(sleep[1]) };
  const literal = /^SELECT '([^']*)'(?:\s+AS\s+(\w+))?$/i.exec(sql.trim());
  if (literal) {
    const name = literal[2] ?? literal[1] ?? '';
    return rowsOf([{ name, numeric: false }], [{ [name]: literal[1] }]);
  }
  const select = /^SELECT (@@.*)$/is.exec(sql.trim());
  if (select?.[1]) return selectVariables(ctx, select[1]);
  if (key.startsWith('SHOW GLOBAL VARIABLES')) {
    return showNameValues(sql, { ...ctx.facts.semiSync?.variables });
  }
  if (key.startsWith('SHOW GLOBAL STATUS')) {
    const uptime = ctx.facts.uptime ?? Math.floor((Date.now() - ctx.startedAt) / 1000);
    return showNameValues(sql, { Uptime: String(uptime), ...ctx.facts.semiSync?.status });
  }
  if (key.includes('FROM INFORMATION_SCHEMA.PROCESSLIST')) return processlist(ctx, sql);
  const answers = ctx.facts.answers ?? {};
  const found = Object.entries(answers).find(([text]) => normalise(text) === key);
  if (found) return rowsOf([{ name: 'value', numeric: false }], [{ value: found[1] }]);
  return syntaxError(ctx, sql);
}
