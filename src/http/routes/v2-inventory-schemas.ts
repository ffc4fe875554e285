/**
 * Schemas of orc's v2 inventory API (primary/replica vocabulary, camelCase, ISO-8601 times),
 * and the functions that render orc's inventory views into them. The schemas give request
 * validation, typed handlers, response serialisation and the OpenAPI document.
 */
import { Type, type Static, type TSchema } from 'typebox';
import {
  formatBinlogCoordinates,
  formatInstanceKey,
  isLastCheckValid,
  type BinlogCoordinates,
  type Instance,
} from '../../topology/index.js';
import {
  isRecentlyChecked,
  isUpToDate,
  type ClusterSummary,
  type InstanceView,
  type ViewTiming,
} from './inventory-view.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const Position = Type.String({ description: 'Binlog coordinates, `file:pos`.' });

/** A promotion rule, best first. */
export const V2PromotionRule = Type.Union([
  Type.Literal('must'),
  Type.Literal('prefer'),
  Type.Literal('neutral'),
  Type.Literal('prefer_not'),
  Type.Literal('must_not'),
]);

const Thread = Type.Union([
  Type.Literal('running'),
  Type.Literal('connecting'),
  Type.Literal('stopped'),
]);

const V2Replication = Type.Object({
  source: Type.String({ description: 'The source it replicates from, `host:port`.' }),
  sourceServerId: Nullable(Type.Integer()),
  ioThread: Thread,
  sqlThread: Thread,
  secondsBehindSource: Nullable(Type.Integer()),
  sqlDelaySeconds: Type.Integer(),
  gtidUse: Type.String({ description: '`no`, `current_pos`, `slave_pos` or `auto_position`.' }),
  readSourcePosition: Nullable(Position),
  execSourcePosition: Nullable(Position),
  lastIoError: Nullable(Type.String()),
  lastSqlError: Nullable(Type.String()),
});

const V2Downtime = Type.Object({
  owner: Type.String(),
  reason: Type.String(),
  beginsAt: Time,
  endsAt: Time,
});

/** One instance as orc knows it, with its downtime, promotion rule and problems. */
export const V2Instance = Type.Object({
  key: Type.String({ description: '`host:port`, the instance id in paths.' }),
  host: Type.String(),
  port: Type.Integer(),
  serverId: Type.Integer(),
  serverUuid: Nullable(Type.String()),
  hostname: Type.String(),
  alias: Nullable(Type.String()),
  version: Type.String(),
  flavor: Type.Union([Type.Literal('mariadb'), Type.Literal('mysql'), Type.Literal('percona')]),
  readOnly: Type.Boolean(),
  binlog: Type.Object({
    enabled: Type.Boolean(),
    format: Nullable(Type.String()),
    logReplicaUpdates: Type.Boolean(),
    position: Nullable(Position),
  }),
  gtidExecuted: Nullable(
    Type.String({ description: 'MySQL gtid_executed or MariaDB gtid_current_pos.' }),
  ),
  gtidErrant: Type.String(),
  replication: Nullable(V2Replication),
  replicationLagSeconds: Nullable(Type.Integer()),
  replicas: Type.Array(Type.String()),
  cluster: Type.Object({
    name: Type.String(),
    alias: Type.String(),
    domain: Nullable(Type.String()),
    depth: Type.Integer(),
  }),
  placement: Type.Object({
    dataCenter: Nullable(Type.String()),
    region: Nullable(Type.String()),
    environment: Nullable(Type.String()),
  }),
  semiSync: Nullable(
    Type.Object({
      primaryEnabled: Type.Boolean(),
      primaryActive: Type.Boolean(),
      primaryClients: Type.Integer(),
      replicaEnabled: Type.Boolean(),
      replicaActive: Type.Boolean(),
    }),
  ),
  promotionRule: V2PromotionRule,
  isCandidate: Type.Boolean(),
  isCoPrimary: Type.Boolean(),
  downtime: Nullable(V2Downtime),
  problems: Type.Array(Type.String()),
  lastCheckValid: Type.Boolean(),
  upToDate: Type.Boolean(),
  recentlyChecked: Type.Boolean(),
  lastCheckedAt: Nullable(Time),
  lastSeenAt: Nullable(Time),
});
export type V2Instance = Static<typeof V2Instance>;

/** A cluster's summary. */
export const V2ClusterSummary = Type.Object({
  name: Type.String({ description: "The primary's `host:port`; changes after a failover." }),
  alias: Type.String(),
  domain: Type.String(),
  instanceCount: Type.Integer(),
  heuristicLagSeconds: Type.Integer(),
  automatedPrimaryRecovery: Type.Boolean(),
  automatedIntermediatePrimaryRecovery: Type.Boolean(),
});

export const V2ClusterList = Type.Object({ clusters: Type.Array(V2ClusterSummary) });

export const V2Cluster = Type.Object({
  ...V2ClusterSummary.properties,
  instances: Type.Array(V2Instance),
});

/** A node of a topology tree; `replicas` holds nodes of the same shape. */
export const V2TopologyNode = Type.Object({
  key: Type.String(),
  alias: Nullable(Type.String()),
  version: Type.String(),
  readOnly: Type.Boolean(),
  status: Type.String({ description: '`ok`, `lag`, `nonreplicating`, `invalid`, `unchecked`.' }),
  replicationLagSeconds: Nullable(Type.Integer()),
  isCoPrimary: Type.Boolean(),
  downtimed: Type.Boolean(),
  problems: Type.Array(Type.String()),
  replicas: Type.Array(Type.Unknown(), { description: 'Nodes of the same shape, below it.' }),
});

/** Tree of one cluster: the primary (or both co-primaries) at the roots. */
export const V2Topology = Type.Object({
  cluster: Type.String(),
  alias: Type.String(),
  roots: Type.Array(V2TopologyNode),
});

export const V2InstanceList = Type.Object({ instances: Type.Array(V2Instance) });

export const V2Tag = Type.Object({ name: Type.String(), value: Type.String() });
export const V2Tags = Type.Object({ instance: Type.String(), tags: Type.Array(V2Tag) });

export const V2HoldBody = Type.Object({
  owner: Type.String({ minLength: 1 }),
  reason: Type.String({ minLength: 1 }),
  duration: Type.Optional(
    Type.String({ description: 'A whole number and a unit of s, m, h, d or w; default 10m.' }),
  ),
});
export type V2HoldBody = Static<typeof V2HoldBody>;

export const V2DowntimeReply = Type.Object({ instance: Type.String(), downtime: V2Downtime });

export const V2Maintenance = Type.Object({
  id: Type.String(),
  instance: Type.String(),
  owner: Type.String(),
  reason: Type.String(),
  node: Type.String({ description: 'The orc node that took the lock.' }),
  beginsAt: Time,
  endsAt: Time,
});
export const V2MaintenanceReply = Type.Object({ maintenance: V2Maintenance });

export const V2Ended = Type.Object({ instance: Type.String(), ended: Type.Boolean() });

export const V2PromotionRuleBody = Type.Object({ promotionRule: V2PromotionRule });
export const V2PromotionRuleReply = Type.Object({
  instance: Type.String(),
  promotionRule: V2PromotionRule,
});

export const V2TagBody = Type.Object({ value: Type.Optional(Type.String()) });
export const V2AliasBody = Type.Object({
  alias: Type.String({ description: "The manual alias; '' removes it." }),
});
export const V2AliasReply = Type.Object({ cluster: Type.String(), alias: Type.String() });

export const V2Forgotten = Type.Object({ instance: Type.String(), forgotten: Type.Boolean() });

function iso(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

function position(c: BinlogCoordinates | undefined): string | null {
  return c === undefined ? null : formatBinlogCoordinates(c);
}

function replicationOf(i: Instance): Static<typeof V2Replication> | null {
  const c = i.replication;
  if (c === undefined) return null;
  return {
    source: formatInstanceKey(c.sourceKey),
    sourceServerId: c.sourceServerId ?? null,
    ioThread: c.ioThread,
    sqlThread: c.sqlThread,
    secondsBehindSource: c.secondsBehindSource ?? null,
    sqlDelaySeconds: c.sqlDelaySeconds,
    gtidUse: c.gtidUse,
    readSourcePosition: position(c.readSourceCoordinates),
    execSourcePosition: position(c.execSourceCoordinates),
    lastIoError: c.lastIoError?.message ?? null,
    lastSqlError: c.lastSqlError?.message ?? null,
  };
}

function gtidExecuted(i: Instance): string | null {
  if (i.gtid === undefined) return null;
  return i.gtid.flavor === 'mysql' ? i.gtid.executed : i.gtid.currentPos;
}

function semiSyncOf(i: Instance): V2Instance['semiSync'] {
  const s = i.semiSync;
  if (s === undefined) return null;
  return {
    primaryEnabled: s.sourceEnabled,
    primaryActive: s.sourceActive,
    primaryClients: s.sourceClients,
    replicaEnabled: s.replicaEnabled,
    replicaActive: s.replicaActive,
  };
}

/** The v2 JSON of an instance view, judged at `timing.now`. */
export function toV2Instance(view: InstanceView, timing: ViewTiming): V2Instance {
  const i = view.instance;
  const d = view.downtime;
  return {
    key: formatInstanceKey(i.key),
    host: i.key.host,
    port: i.key.port,
    serverId: i.serverId,
    serverUuid: i.serverUuid ?? null,
    hostname: i.hostname,
    alias: i.alias ?? null,
    version: i.version.raw,
    flavor: i.version.flavor,
    readOnly: i.readOnly,
    binlog: {
      enabled: i.binlog.logBin,
      format: i.binlog.format ?? null,
      logReplicaUpdates: i.binlog.logReplicaUpdates,
      position: position(i.binlog.selfCoordinates),
    },
    gtidExecuted: gtidExecuted(i),
    gtidErrant: i.gtidErrant,
    replication: replicationOf(i),
    replicationLagSeconds: i.replicationLagSeconds ?? null,
    replicas: i.replicas.map(formatInstanceKey),
    cluster: {
      name: i.cluster.name,
      alias: i.cluster.alias,
      domain: i.cluster.domain ?? null,
      depth: i.cluster.depth,
    },
    placement: {
      dataCenter: i.placement.dataCenter ?? null,
      region: i.placement.region ?? null,
      environment: i.placement.environment ?? null,
    },
    semiSync: semiSyncOf(i),
    promotionRule: view.promotionRule,
    isCandidate: view.isCandidate,
    isCoPrimary: view.isCoPrimary,
    downtime:
      d === undefined
        ? null
        : {
            owner: d.owner,
            reason: d.reason,
            beginsAt: iso(d.beginsAt) ?? '',
            endsAt: iso(d.endsAt) ?? '',
          },
    problems: [...view.problems],
    lastCheckValid: isLastCheckValid(i),
    upToDate: isUpToDate(i, timing),
    recentlyChecked: isRecentlyChecked(i, timing),
    lastCheckedAt: iso(i.timing.lastCheckedAt),
    lastSeenAt: iso(i.timing.lastSeenAt),
  };
}

/** The v2 JSON of a cluster summary. */
export function toV2ClusterSummary(c: ClusterSummary): Static<typeof V2ClusterSummary> {
  return { ...c };
}

/** Epoch milliseconds as ISO-8601. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
