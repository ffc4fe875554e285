import {
  compareInstanceKeys,
  instanceKeyId,
  sourceIdentity,
  type InstanceKey,
} from '../topology/index.js';
import type { ObservedInstance } from './input.js';

/**
 * How a replica was tied to its source: `key+identity` when the address it replicates from is
 * a known server whose server_id (and uuid) it reports; `identity` when nothing known sits at
 * that address (a proxy, a VIP, another name) but exactly one known server has the identity
 * it reports; `key` when the server at the address is taken on its name alone (the replica
 * never connected, or it is not connected now and its reported identity may be stale).
 */
export type EdgeBasis = 'key+identity' | 'identity' | 'key';

export interface SourceEdge {
  readonly source: ObservedInstance;
  readonly basis: EdgeBasis;
}

/**
 * The replication graph of a snapshot, with edges judged by identity first. Built once per
 * analysis; lookups by `instanceKeyId`.
 */
export interface TopologyIndex {
  readonly byId: ReadonlyMap<string, ObservedInstance>;
  /** The edge from a server to its source; undefined for a server with no known source. */
  sourceOf(id: string): SourceEdge | undefined;
  /** The known servers replicating from it, ordered by key. */
  replicasOf(id: string): readonly ObservedInstance[];
}

function idOf(o: ObservedInstance): string {
  return instanceKeyId(o.instance.key);
}

function listsReplica(candidate: ObservedInstance, replicaKey: InstanceKey): boolean {
  const id = instanceKeyId(replicaKey);
  return candidate.instance.replicas.some((k) => instanceKeyId(k) === id);
}

/**
 * Among servers confirming the identity the replica reports, the one it is connected to.
 * server_ids repeat across clusters (MariaDB has no uuid), so several may match: prefer the
 * one that lists the replica among its own replicas, then one of the replica's cluster.
 */
function uniqueByIdentity(
  replica: ObservedInstance,
  byServerId: ReadonlyMap<number, readonly ObservedInstance[]>,
): ObservedInstance | undefined {
  const reported = replica.instance.replication?.sourceServerId;
  const sameId = reported === undefined ? [] : (byServerId.get(reported) ?? []);
  const confirmed = sameId.filter(
    (o) => o !== replica && sourceIdentity(replica.instance, o.instance) === 'confirmed',
  );
  if (confirmed.length <= 1) return confirmed[0];
  const listing = confirmed.filter((o) => listsReplica(o, replica.instance.key));
  if (listing.length === 1) return listing[0];
  const cluster = replica.instance.cluster.name;
  const sameCluster = confirmed.filter((o) => o.instance.cluster.name === cluster);
  return sameCluster.length === 1 ? sameCluster[0] : undefined;
}

/**
 * Resolves one replica's source. The reported server_id/uuid is trusted over the address when
 * the replica's IO thread is connected (the identity is current) or when no known server has
 * that address; a replica that is not connected keeps the server at its configured address,
 * since its last-connected identity may predate a CHANGE MASTER.
 */
function resolveSource(
  replica: ObservedInstance,
  byId: ReadonlyMap<string, ObservedInstance>,
  byServerId: ReadonlyMap<number, readonly ObservedInstance[]>,
): SourceEdge | undefined {
  const channel = replica.instance.replication;
  if (channel === undefined) return undefined;
  const found = byId.get(instanceKeyId(channel.sourceKey));
  const atKey = found === replica ? undefined : found;
  const identity =
    atKey === undefined ? undefined : sourceIdentity(replica.instance, atKey.instance);
  if (atKey !== undefined && identity === 'confirmed') {
    return { source: atKey, basis: 'key+identity' };
  }

  const connected = channel.ioThread === 'running';
  if (atKey === undefined || (identity === 'mismatch' && connected)) {
    const byIdentity = uniqueByIdentity(replica, byServerId);
    if (byIdentity !== undefined) return { source: byIdentity, basis: 'identity' };
  }
  return atKey === undefined ? undefined : { source: atKey, basis: 'key' };
}

/** Builds the index of a snapshot's servers (keys are assumed unique). */
export function indexTopology(instances: readonly ObservedInstance[]): TopologyIndex {
  const byId = new Map(instances.map((o) => [idOf(o), o]));
  const byServerId = new Map<number, ObservedInstance[]>();
  for (const o of instances) {
    byServerId.set(o.instance.serverId, [...(byServerId.get(o.instance.serverId) ?? []), o]);
  }
  const sources = new Map<string, SourceEdge>();
  const replicas = new Map<string, ObservedInstance[]>();
  for (const o of instances) {
    const edge = resolveSource(o, byId, byServerId);
    if (edge === undefined) continue;
    sources.set(idOf(o), edge);
    const list = replicas.get(idOf(edge.source)) ?? [];
    list.push(o);
    replicas.set(idOf(edge.source), list);
  }
  for (const list of replicas.values()) {
    list.sort((a, b) => compareInstanceKeys(a.instance.key, b.instance.key));
  }
  return {
    byId,
    sourceOf: (id) => sources.get(id),
    replicasOf: (id) => replicas.get(id) ?? [],
  };
}

/** True when the server and its source replicate from each other (co-primaries). */
export function isCoPrimaryIn(index: TopologyIndex, id: string): boolean {
  const source = index.sourceOf(id)?.source;
  if (source === undefined) return false;
  const back = index.sourceOf(idOf(source))?.source;
  return back !== undefined && idOf(back) === id;
}
