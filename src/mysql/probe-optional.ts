import { parsePromotionRule, type PromotionRule } from '../topology/index.js';
import type { Row } from './connection.js';
import { classifyMysqlError, isMysqlError, type MysqlError } from './errors.js';
import type { ServerSession } from './pool.js';
import type { OptionalQueries, ProbeMetadata, ProbeWarning } from './probe-result.js';
import { badResult, optionalNumber, optionalText } from './values.js';

/**
 * orchestrator's optional per-server queries (ReplicationLagQuery and the Detect*Query
 * settings): each is one statement answering one value in its first column. They run in one
 * round trip after the fixed statements; when that fails, each runs alone so one broken
 * query costs only its own answer. Failures are warnings: they never fail a probe.
 */

type QueryName = keyof OptionalQueries;

/** Which queries run where: the lag query on replicas, cluster ones on top servers. */
const APPLIES: Record<QueryName, 'all' | 'replica' | 'top'> = {
  replicationLagQuery: 'replica',
  detectDataCenterQuery: 'all',
  detectRegionQuery: 'all',
  detectPhysicalEnvironmentQuery: 'all',
  detectInstanceAliasQuery: 'all',
  detectPromotionRuleQuery: 'all',
  detectSemiSyncEnforcedQuery: 'all',
  detectClusterAliasQuery: 'top',
  detectClusterDomainQuery: 'top',
};

export interface OptionalAnswers {
  readonly metadata: ProbeMetadata;
  readonly lagSeconds: number | undefined;
  readonly warnings: ProbeWarning[];
}

/** The statement as configured, without trailing semicolons; undefined when unset. */
function statementOf(sql: string | undefined): string | undefined {
  const s = sql?.trim().replace(/[;\s]+$/, '');
  return s === undefined || s === '' ? undefined : s;
}

function firstValue(rows: readonly Row[]): unknown {
  const row = rows[0];
  if (row === undefined) return undefined;
  const first = Object.keys(row)[0];
  return first === undefined ? undefined : row[first];
}

export async function readOptionalQueries(
  session: ServerSession,
  options: OptionalQueries,
  isReplica: boolean,
): Promise<OptionalAnswers> {
  const wanted = (Object.keys(APPLIES) as QueryName[]).flatMap((name) => {
    const sql = statementOf(options[name]);
    const where = APPLIES[name];
    const applies = where === 'all' || (where === 'replica' ? isReplica : !isReplica);
    return sql !== undefined && applies ? [{ name, sql }] : [];
  });
  const values = new Map<QueryName, unknown>();
  const warnings: ProbeWarning[] = [];
  if (wanted.length > 0) await ask(session, wanted, values, warnings);

  const str = (name: QueryName) => optionalText(values.get(name));
  const num = (name: QueryName) => {
    const raw = values.get(name);
    const n = optionalNumber(raw);
    if (n === undefined && optionalText(raw) !== undefined) {
      warnings.push({ query: name, error: notANumber(session, options[name] ?? '', raw) });
    }
    return n;
  };
  return {
    metadata: {
      dataCenter: str('detectDataCenterQuery'),
      region: str('detectRegionQuery'),
      environment: str('detectPhysicalEnvironmentQuery'),
      alias: str('detectInstanceAliasQuery'),
      promotionRule: promotionRule(session, options, str('detectPromotionRuleQuery'), warnings),
      semiSyncPriority: num('detectSemiSyncEnforcedQuery'),
      clusterAlias: str('detectClusterAliasQuery'),
      clusterDomain: str('detectClusterDomainQuery'),
    },
    lagSeconds: num('replicationLagQuery'),
    warnings,
  };
}

async function ask(
  session: ServerSession,
  wanted: readonly { name: QueryName; sql: string }[],
  values: Map<QueryName, unknown>,
  warnings: ProbeWarning[],
): Promise<void> {
  if (wanted.length > 1 && !wanted.some((w) => w.sql.includes(';'))) {
    try {
      const results = await session.batch(wanted.map((w) => w.sql));
      wanted.forEach((w, i) => values.set(w.name, firstValue(results[i] ?? [])));
      return;
    } catch (err) {
      if (!isStatementError(err)) {
        for (const w of wanted) warnings.push({ query: w.name, error: asError(session, err) });
        return;
      }
    }
  }
  for (const [i, w] of wanted.entries()) {
    try {
      values.set(w.name, firstValue(await session.query(w.sql)));
    } catch (err) {
      const error = asError(session, err, w.sql);
      // After a timeout or a lost connection the session is gone: the rest cannot run.
      const rest = isStatementError(err) ? [w] : wanted.slice(i);
      for (const r of rest) warnings.push({ query: r.name, error });
      if (!isStatementError(err)) return;
    }
  }
}

function isStatementError(err: unknown): boolean {
  return (
    isMysqlError(err) &&
    (err.code === 'MYSQL_QUERY_FAILED' || err.code === 'MYSQL_PRIVILEGE_MISSING')
  );
}

function asError(session: ServerSession, err: unknown, sql?: string): MysqlError {
  return classifyMysqlError(err, {
    instance: session.instance,
    phase: 'query',
    ...(sql === undefined ? {} : { sql }),
  });
}

function notANumber(session: ServerSession, sql: string, raw: unknown): MysqlError {
  return badResult(
    { instance: session.instance, statement: sql },
    `expected a number, got ${JSON.stringify(raw)}`,
  );
}

function promotionRule(
  session: ServerSession,
  options: OptionalQueries,
  value: string | undefined,
  warnings: ProbeWarning[],
): PromotionRule | undefined {
  if (value === undefined) return undefined;
  try {
    return parsePromotionRule(value);
  } catch (err) {
    const statement = options.detectPromotionRuleQuery ?? '';
    const error = badResult({ instance: session.instance, statement }, (err as Error).message);
    warnings.push({ query: 'detectPromotionRuleQuery', error });
    return undefined;
  }
}
