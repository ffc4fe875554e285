import { formatInstanceKey, type InstanceKey, type ReadTimes } from '../topology/index.js';
import type { Row } from './connection.js';
import { classifyMysqlError, isMysqlError, type MysqlError } from './errors.js';
import type { Vocabulary } from './flavor.js';
import type { MysqlPool, ServerSession } from './pool.js';
import { readOptionalQueries } from './probe-optional.js';
import {
  BINLOG_DUMP_THREADS,
  GLOBAL_STATUS,
  parseBinlogSettings,
  parseBinlogStatus,
  parseDumpThreads,
  parseGtidState,
  parseIdentity,
  parseReplicaHosts,
  parseSemiSync,
  parseUptime,
  SEMI_SYNC_VARIABLES,
  variablesStatement,
} from './probe-parse.js';
import type {
  OptionalQueries,
  ProbeFailure,
  ProbeResult,
  ProbeSuccess,
  ProbeWarning,
  ServerFacts,
} from './probe-result.js';
import { parseReplicaStatus, splitChannels } from './replica-status.js';

/** What a probe asks besides the fixed statements, and its per-statement time limit. */
export interface ProbeOptions extends OptionalQueries {
  /** Default: the pool's discovery timeout (`MySQLDiscoveryReadTimeoutSeconds`). */
  readonly timeoutMs?: number;
}

/** A result without the probe's own stamps (address and times). */
type Stamp = 'key' | 'attemptedAt' | 'checkedAt' | 'durationMs';
type Outcome = Omit<ProbeSuccess, Stamp> | Omit<ProbeFailure, Stamp>;

/** The fixed statements, in the order sent; `variables` first (the "first query"). */
const PARTS = [
  'variables',
  'binlogStatus',
  'replicaStatus',
  'replicaHosts',
  'dumpThreads',
  'semiSyncVariables',
  'globalStatus',
] as const;
type Part = (typeof PARTS)[number];

const STATEMENTS: Record<Part, (v: Vocabulary) => string> = {
  variables: variablesStatement,
  binlogStatus: (v) => v.binlogStatus,
  replicaStatus: (v) => v.replicaStatus,
  replicaHosts: (v) => v.replicaHosts,
  dumpThreads: () => BINLOG_DUMP_THREADS,
  semiSyncVariables: () => SEMI_SYNC_VARIABLES,
  globalStatus: () => GLOBAL_STATUS,
};

const texts = new Map<Vocabulary['id'], readonly string[]>();

/** The fixed statements of a vocabulary, in PARTS order (built once). */
function statementsOf(vocabulary: Vocabulary): readonly string[] {
  let list = texts.get(vocabulary.id);
  if (list === undefined) {
    list = PARTS.map((p) => STATEMENTS[p](vocabulary));
    texts.set(vocabulary.id, list);
  }
  return list;
}

/** Each part's rows (or why it failed) and when its answer arrived. */
type Answers = Map<Part, { rows: Row[]; at: number } | { error: MysqlError }>;

/**
 * Reads everything orchestrator reads of one server (orchestrator.md §3.1) on one pooled
 * connection: one round trip for the fixed statements, one more only when optional queries
 * are configured. Never throws: a server that cannot be reached, or answers only in part, is
 * described by the result (see ProbeResult). Safe to run concurrently for different servers;
 * concurrent probes of one server share its connection limit.
 */
export async function probeInstance(
  pool: MysqlPool,
  key: InstanceKey,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const clock = pool.options.clock;
  const attemptedAt = clock.now();
  const started = clock.monotonic();
  const request = {
    purpose: 'discovery' as const,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
  let outcome: Outcome;
  try {
    outcome = await pool.withSession(
      key,
      (s) => readServer(s, options, () => clock.now()),
      request,
    );
  } catch (err) {
    const error = classifyMysqlError(err, { instance: formatInstanceKey(key), phase: 'query' });
    outcome = { outcome: 'failed', error, facts: {}, readAt: NO_READS, warnings: [] };
  }
  const checkedAt = clock.now();
  return {
    key,
    attemptedAt,
    checkedAt,
    durationMs: clock.monotonic() - started,
    ...outcome,
  };
}

const NO_READS: ReadTimes = {
  variables: undefined,
  binlogStatus: undefined,
  replicaStatus: undefined,
  replicas: undefined,
};

type MutableFacts = { -readonly [K in keyof ServerFacts]?: ServerFacts[K] };

async function readServer(
  session: ServerSession,
  options: OptionalQueries,
  now: () => number,
): Promise<Outcome> {
  const answers = await askAll(session, now);
  const { facts, error } = readParts(session, answers);
  if (facts.identity === undefined) {
    return { outcome: 'failed', error: error as MysqlError, facts, readAt: NO_READS, warnings: [] };
  }

  const optional = await readOptionalQueries(session, options, facts.replication !== undefined);
  facts.metadata = optional.metadata;
  facts.replicationLagSeconds = optional.lagSeconds ?? facts.replication?.secondsBehindSource;
  if (facts.semiSync && optional.metadata.semiSyncPriority !== undefined) {
    facts.semiSync = { ...facts.semiSync, enforced: optional.metadata.semiSyncPriority > 0 };
  }
  const readAt = readTimes(answers);
  const warnings: readonly ProbeWarning[] = optional.warnings;
  if (error) return { outcome: 'partial', error, facts, readAt, warnings };
  return { outcome: 'ok', facts: facts as ServerFacts, readAt, warnings };
}

/** The fixed parts' facts; `error` is the first part that failed or made no sense. */
function readParts(session: ServerSession, answers: Answers) {
  const v = session.vocabulary;
  const origin = (part: Part) => ({
    instance: session.instance,
    statement: statementsOf(v)[PARTS.indexOf(part)] ?? part,
  });
  const facts: MutableFacts = {};
  let error: MysqlError | undefined;
  const take = <T>(part: Part, read: (rows: Row[]) => T): T | undefined => {
    const answer = answers.get(part);
    try {
      if (answer === undefined) throw new Error(`no answer for ${part}`);
      if ('error' in answer) throw answer.error;
      return read(answer.rows);
    } catch (err) {
      error ??= classifyMysqlError(err, { instance: session.instance, phase: 'query' });
      return undefined;
    }
  };

  const variables = take('variables', (rows) => {
    const row = rows[0] ?? {};
    const identity = parseIdentity(rows[0], origin('variables'));
    return { identity, row, gtid: parseGtidState(row, v, origin('variables')) };
  });
  if (variables === undefined) return { facts, error };
  facts.identity = variables.identity;
  facts.vocabulary = v.id;
  facts.gtid = variables.gtid;

  const self = take('binlogStatus', (rows) => ({ coordinates: parseBinlogStatus(rows) }));
  if (self) facts.binlog = parseBinlogSettings(variables.row, v, self.coordinates);
  const channels = take('replicaStatus', (rows) =>
    parseReplicaStatus(rows, v, origin('replicaStatus')),
  );
  if (channels) Object.assign(facts, splitChannels(channels));
  const hosts = take('replicaHosts', (rows) => parseReplicaHosts(rows, v));
  const dumps = take('dumpThreads', (rows) => parseDumpThreads(rows, portOf(session)));
  if (hosts && dumps) facts.replicas = hosts.length > 0 ? hosts : dumps;
  const semiVars = take('semiSyncVariables', (rows) => rows);
  const status = take('globalStatus', (rows) => rows);
  if (semiVars && status) {
    facts.semiSync = parseSemiSync(semiVars, status);
    facts.uptimeSeconds = parseUptime(status);
  }
  return { facts, error };
}

function portOf(session: ServerSession): number {
  return Number(session.instance.slice(session.instance.lastIndexOf(':') + 1));
}

function readTimes(answers: Answers): ReadTimes {
  const at = (part: Part) => {
    const a = answers.get(part);
    return a !== undefined && 'at' in a ? a.at : undefined;
  };
  return {
    variables: at('variables'),
    binlogStatus: at('binlogStatus'),
    replicaStatus: at('replicaStatus'),
    replicas: at('replicaHosts'),
  };
}

/**
 * All fixed statements in one round trip. If that fails on a statement error (a missing
 * privilege, an unknown statement), each is asked alone so the parts that can be read are;
 * a timeout or lost connection ends the probe with nothing read.
 */
async function askAll(session: ServerSession, now: () => number): Promise<Answers> {
  const statements = statementsOf(session.vocabulary);
  const answers: Answers = new Map();
  try {
    const results = await session.batch(statements);
    const at = now();
    PARTS.forEach((part, i) => answers.set(part, { rows: results[i] ?? [], at }));
    return answers;
  } catch (err) {
    if (!isStatementError(err)) throw err;
  }
  for (const [i, part] of PARTS.entries()) {
    try {
      answers.set(part, { rows: await session.query(statements[i] as string), at: now() });
    } catch (err) {
      if (!isStatementError(err)) throw err;
      answers.set(part, { error: err });
    }
  }
  return answers;
}

/** Errors of one statement on a healthy connection (as opposed to the connection failing). */
function isStatementError(err: unknown): err is MysqlError {
  return (
    isMysqlError(err) &&
    (err.code === 'MYSQL_QUERY_FAILED' || err.code === 'MYSQL_PRIVILEGE_MISSING')
  );
}
