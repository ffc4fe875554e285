/**
 * A cluster's replication tree for the v2 API: each node an instance with its status, its
 * replicas nested below it. Roots are the servers whose source is not in the cluster (the
 * primary); a co-primary pair has no such server, so each co-primary is a root and the other
 * is left out of its replicas. Pure.
 */
import type { Static } from 'typebox';
import {
  formatInstanceKey,
  instanceKeyId,
  isLastCheckValid,
  isReplicating,
  type Instance,
} from '../../topology/index.js';
import { isRecentlyChecked, type InstanceView, type ViewTiming } from './inventory-view.js';
import type { V2TopologyNode } from './v2-inventory-schemas.js';

/** A node with its replicas typed (the schema leaves them loose to avoid a cyclic schema). */
export type TopologyNode = Omit<Static<typeof V2TopologyNode>, 'replicas'> & {
  replicas: TopologyNode[];
};

/** `ok`, `lag`, `nonreplicating`, `invalid` or `unchecked`, as orchestrator's drawing says. */
export function instanceStatus(i: Instance, timing: ViewTiming, maxLagSeconds: number): string {
  if (!isLastCheckValid(i)) return 'invalid';
  if (!isRecentlyChecked(i, timing)) return 'unchecked';
  const c = i.replication;
  if (c === undefined) return 'ok';
  if (!isReplicating(i)) return 'nonreplicating';
  const behind = c.secondsBehindSource ?? 0;
  const lag = c.sqlDelaySeconds > 0 ? Math.abs(behind - c.sqlDelaySeconds) : behind;
  return lag > maxLagSeconds ? 'lag' : 'ok';
}

/**
 * The tree of one cluster's views (siblings in the order given). `maxLagSeconds` is
 * ReasonableMaintenanceReplicationLagSeconds.
 */
export function topologyTree(
  views: readonly InstanceView[],
  timing: ViewTiming,
  maxLagSeconds: number,
): TopologyNode[] {
  const byId = new Map(views.map((v) => [instanceKeyId(v.instance.key), v]));
  const children = new Map<string, InstanceView[]>();
  const roots: InstanceView[] = [];
  for (const v of views) {
    const source = v.instance.replication?.sourceKey;
    const sourceId = source === undefined ? undefined : instanceKeyId(source);
    if (sourceId !== undefined && byId.has(sourceId)) {
      children.set(sourceId, [...(children.get(sourceId) ?? []), v]);
    } else {
      roots.push(v);
    }
  }
  const tops = roots.length > 0 ? roots : views.filter((v) => v.isCoPrimary);
  const placed = new Set<string>();
  const build = (v: InstanceView, depth: number): TopologyNode[] => {
    const id = instanceKeyId(v.instance.key);
    if ((v.isCoPrimary && depth > 0) || placed.has(id)) return [];
    placed.add(id);
    const below = (children.get(id) ?? []).flatMap((c) => build(c, depth + 1));
    return [node(v, timing, maxLagSeconds, below)];
  };
  return tops.flatMap((v) => build(v, 0));
}

function node(
  v: InstanceView,
  timing: ViewTiming,
  maxLagSeconds: number,
  replicas: TopologyNode[],
): TopologyNode {
  const i = v.instance;
  return {
    key: formatInstanceKey(i.key),
    alias: i.alias ?? null,
    version: i.version.raw,
    readOnly: i.readOnly,
    status: instanceStatus(i, timing, maxLagSeconds),
    replicationLagSeconds: i.replicationLagSeconds ?? null,
    isCoPrimary: v.isCoPrimary,
    downtimed: v.downtime !== undefined,
    problems: [...v.problems],
    replicas,
  };
}
