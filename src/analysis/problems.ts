import {
  compareInstanceKeys,
  isLastCheckValid,
  isReplicating,
  type InstanceKey,
} from '../topology/index.js';
import { hostMatchesAny } from './filters.js';
import { downtimeOf } from './records.js';
import type { AnalysisSettings, ObservedInstance, AnalysisSnapshot } from './input.js';

/** orchestrator's per-instance problem names (the `Problems` field of an instance). */
export type ProblemCode =
  | 'last_check_invalid'
  | 'not_recently_checked'
  | 'not_replicating'
  | 'replication_lag'
  | 'errant_gtid'
  | 'group_replication_member_not_online';

/** A server and what is wrong with it. */
export interface InstanceProblems {
  readonly key: InstanceKey;
  readonly clusterName: string;
  readonly problems: readonly ProblemCode[];
}

/**
 * orchestrator's Problems of one server at `now`: at most one of invalid check, not checked
 * within 5 × InstancePollSeconds, not replicating, or lagging (|lag − SQL_Delay| above
 * ReasonableReplicationLagSeconds), in that precedence; then errant GTIDs and a Group
 * Replication member not ONLINE. Leaf replicas' trouble shows here, not as analysis codes.
 */
export function instanceProblems(
  o: ObservedInstance,
  now: number,
  settings: AnalysisSettings,
): readonly ProblemCode[] {
  const i = o.instance;
  const out: ProblemCode[] = [];
  const checked = i.timing.lastCheckedAt;
  const recent = checked !== undefined && checked >= now - 5 * settings.instancePollSeconds * 1000;
  const lag = i.replicationLagSeconds;
  const delay = i.replication?.sqlDelaySeconds ?? 0;
  if (!isLastCheckValid(i)) out.push('last_check_invalid');
  else if (!recent) out.push('not_recently_checked');
  else if (i.replication !== undefined && !isReplicating(i)) out.push('not_replicating');
  else if (lag !== undefined && Math.abs(lag - delay) > settings.reasonableReplicationLagSeconds) {
    out.push('replication_lag');
  }
  if (i.gtidErrant !== '') out.push('errant_gtid');
  if (o.group !== undefined && o.group.groupName !== '' && o.group.memberState !== 'ONLINE') {
    out.push('group_replication_member_not_online');
  }
  return out;
}

/**
 * orchestrator's problem instances list (`/api/problems`): servers with at least one problem,
 * leaving out downtimed servers and hosts matching ProblemIgnoreHostnameFilters, optionally of
 * one cluster, ordered by key.
 */
export function problems(snapshot: AnalysisSnapshot, clusterName?: string): InstanceProblems[] {
  const { now, settings } = snapshot;
  return snapshot.instances
    .filter((o) => clusterName === undefined || o.instance.cluster.name === clusterName)
    .filter((o) => downtimeOf(snapshot, o.instance.key) === undefined)
    .filter((o) => !hostMatchesAny(o.instance.key.host, settings.problemIgnoreHostnameFilters))
    .map((o) => ({
      key: o.instance.key,
      clusterName: o.instance.cluster.name,
      problems: instanceProblems(o, now, settings),
    }))
    .filter((p) => p.problems.length > 0)
    .sort((a, b) => compareInstanceKeys(a.key, b.key));
}
