import {
  formatInstanceKey,
  isLastCheckValid,
  type Instance,
  type InstanceKey,
} from '../topology/index.js';
import type { Clause } from './clauses.js';
import type { Row } from './facts.js';
import type { AnalysisSnapshot, ObservedInstance } from './input.js';
import { describeLink } from './link.js';
import { downtimeOf } from './records.js';
import type { AnalysisCode } from './spec.js';

/** One observed fact behind a verdict, about one server, with when it was read. */
export interface Evidence {
  readonly about: InstanceKey;
  readonly relation: 'analysed' | 'replica';
  readonly fact: string;
  /** Epoch milliseconds the fact was read at; undefined when never read. */
  readonly readAt: number | undefined;
  /** `now − readAt` in milliseconds. */
  readonly ageMs: number | undefined;
}

/** A rule tried before the one that fired, and the first of its conditions that was unmet. */
export interface RuleNotFired {
  readonly code: AnalysisCode;
  readonly unmet: string;
}

/**
 * Why a row got its code: the rule that fired with its conditions (`[orc]` marks orc's own),
 * the rules tried before it that did not, and the facts read, each with its age. Stored with
 * a detection so a person can tell later why orc did (or did not) act.
 */
export interface Explanation {
  readonly code: AnalysisCode;
  readonly conditions: readonly string[];
  readonly notFired: readonly RuleNotFired[];
  readonly evidence: readonly Evidence[];
}

/** A clause's text as shown in explanations. */
export function clauseText(c: Clause): string {
  return c.orc === true ? `${c.text} [orc]` : c.text;
}

function fact(
  o: ObservedInstance,
  relation: Evidence['relation'],
  text: string,
  readAt: number | undefined,
  now: number,
): Evidence {
  return {
    about: o.instance.key,
    relation,
    fact: text,
    readAt,
    ageMs: readAt === undefined ? undefined : now - readAt,
  };
}

function checkFact(o: ObservedInstance, valid: boolean, now: number): [string, number | undefined] {
  const t = o.instance.timing;
  if (valid) return ['last check succeeded', t.lastSeenAt];
  const seen = t.lastSeenAt === undefined ? 'never seen' : `last seen ${now - t.lastSeenAt} ms ago`;
  const err = o.lastProbeError;
  if (
    t.lastCheckedAt !== undefined &&
    t.lastSeenAt !== undefined &&
    t.lastCheckedAt <= t.lastSeenAt
  ) {
    return [`a probe has been pending since it was last seen (${seen})`, t.lastAttemptedAt];
  }
  const why = err === undefined ? '' : `: ${err.kind} "${err.message}"`;
  return [`last check failed${why} (${seen})`, err?.at ?? t.lastCheckedAt];
}

function subjectFacts(row: Row, snapshot: AnalysisSnapshot): Evidence[] {
  const { now } = snapshot;
  const o = row.subject;
  const i = o.instance;
  const vars = i.timing.readAt.variables ?? i.timing.lastSeenAt;
  const [check, checkAt] = checkFact(o, row.facts.lastCheckValid, now);
  const out = [fact(o, 'analysed', check, checkAt, now)];
  if (i.replication !== undefined) {
    const at = i.timing.readAt.replicaStatus ?? i.timing.lastSeenAt;
    const src = formatInstanceKey(i.replication.sourceKey);
    out.push(
      fact(o, 'analysed', `replicates from ${src}: ${describeLink(i.replication)}`, at, now),
    );
  }
  if (i.semiSync?.sourceEnabled === true) {
    const s = i.semiSync;
    const text =
      `semi-sync ${s.sourceActive ? 'on' : 'off (fell back to async)'}, ` +
      `waits for ${s.sourceWaitForReplicaCount}, ${s.sourceClients} client(s)`;
    out.push(fact(o, 'analysed', text, vars, now));
  }
  if (i.readOnly) out.push(fact(o, 'analysed', 'read_only=ON', vars, now));
  const d = downtimeOf(snapshot, i.key);
  if (d !== undefined) {
    const text = `downtimed by ${d.owner} until ${new Date(d.endAt).toISOString()}: ${d.reason}`;
    out.push(fact(o, 'analysed', text, d.beginAt, now));
  }
  return out;
}

function replicaFact(r: ObservedInstance, row: Row, snapshot: AnalysisSnapshot): Evidence {
  const { now } = snapshot;
  const i: Instance = r.instance;
  const downtimed = downtimeOf(snapshot, i.key) === undefined ? '' : '; downtimed';
  if (!isLastCheckValid(i)) {
    const [text, at] = checkFact(r, false, now);
    return fact(r, 'replica', `unreachable: ${text}${downtimed}`, at, now);
  }
  const c = i.replication;
  const link = c === undefined ? 'no replication' : describeLink(c);
  const lag = i.replicationLagSeconds === undefined ? '' : `; lag ${i.replicationLagSeconds} s`;
  const via =
    c !== undefined && !sameKey(c.sourceKey, row.subject.instance.key)
      ? `; replicates via ${formatInstanceKey(c.sourceKey)}, tied by server_id ${c.sourceServerId ?? '?'}`
      : '';
  const at = i.timing.readAt.replicaStatus ?? i.timing.lastSeenAt;
  return fact(r, 'replica', `${link}${lag}${via}${downtimed}`, at, now);
}

function sameKey(a: InstanceKey, b: InstanceKey): boolean {
  return a.host === b.host && a.port === b.port;
}

/** The evidence of a row: the analysed server first, then each replica. */
export function rowEvidence(row: Row, snapshot: AnalysisSnapshot): readonly Evidence[] {
  return [
    ...subjectFacts(row, snapshot),
    ...row.replicas.map((r) => replicaFact(r, row, snapshot)),
  ];
}
