import type { FakeChannel, FakeFacts } from './fake-mysql-facts.js';
import { MARIADB_SEMI_SYNC_OFF } from './fake-mysql-facts.js';
import { isMariaDbFlavor, type FakeFlavor } from './fake-mysql-fixtures.js';
import { FakeMysqlServer, type FakeServerOptions } from './fake-mysql-server.js';

/**
 * Consistent fake replication topologies: one primary with replicas below it, where every
 * replica's channel names its primary's address and identity and the GTID state agrees (the
 * replicas have applied all of the primary's transactions unless told otherwise).
 */

/** A server_uuid made from a server_id, so tests can write the expected sets by hand. */
export function fakeUuid(serverId: number): string {
  return `00000000-0000-4000-8000-${serverId.toString(16).padStart(12, '0')}`;
}

export interface FakeServerPlan {
  readonly port: number;
  readonly serverId: number;
}

export interface FakeClusterPlan {
  readonly flavor: FakeFlavor;
  readonly host: string;
  readonly primary: FakeServerPlan;
  readonly replicas: readonly (FakeServerPlan & {
    /** Transactions of the primary not applied yet. */
    readonly behind?: number;
    /** Local transactions written on the replica itself (errant). */
    readonly errant?: number;
  })[];
  /** Transactions the primary has executed (default 100). */
  readonly transactions?: number;
}

function mysqlGtids(uuid: string, count: number, own?: { uuid: string; count: number }) {
  const main = count > 0 ? `${uuid}:1-${count}` : '';
  const extra = own && own.count > 0 ? `${own.uuid}:1-${own.count}` : '';
  return [main, extra].filter((s) => s !== '').join(',');
}

type ReplicaPlan = FakeClusterPlan['replicas'][number];

function serverBase(plan: FakeClusterPlan, s: FakeServerPlan): FakeFacts {
  const maria = isMariaDbFlavor(plan.flavor);
  return {
    serverId: s.serverId,
    hostname: `fake-${s.serverId}`,
    reportHost: plan.host,
    reportPort: s.port,
    binlogFile: 'binlog.000003',
    binlogPos: 1000 + (plan.transactions ?? 100) * 100,
    uptime: 86_400,
    ...(maria
      ? { semiSync: MARIADB_SEMI_SYNC_OFF, gtidStrictMode: true }
      : { serverUuid: fakeUuid(s.serverId) }),
  };
}

function primaryFacts(plan: FakeClusterPlan): FakeFacts {
  const maria = isMariaDbFlavor(plan.flavor);
  const { serverId } = plan.primary;
  const total = plan.transactions ?? 100;
  return {
    ...serverBase(plan, plan.primary),
    readOnly: false,
    replicas: plan.replicas.map((r) => ({
      serverId: r.serverId,
      host: plan.host,
      port: r.port,
      ...(maria ? {} : { uuid: fakeUuid(r.serverId) }),
    })),
    ...(maria
      ? { gtidCurrentPos: `0-${serverId}-${total}`, gtidBinlogPos: `0-${serverId}-${total}` }
      : { gtidExecuted: mysqlGtids(fakeUuid(serverId), total) }),
  };
}

function replicaChannel(plan: FakeClusterPlan, r: ReplicaPlan): FakeChannel {
  const p = plan.primary;
  const total = plan.transactions ?? 100;
  return {
    sourceHost: plan.host,
    sourcePort: p.port,
    sourceServerId: p.serverId,
    readPos: 1000 + total * 100,
    execPos: 1000 + (total - (r.behind ?? 0)) * 100,
    sourceLogFile: 'binlog.000003',
    secondsBehind: r.behind ?? 0,
    ...(isMariaDbFlavor(plan.flavor)
      ? { usingGtid: 'Slave_Pos' as const, gtidIoPos: `0-${p.serverId}-${total}` }
      : {
          sourceUuid: fakeUuid(p.serverId),
          autoPosition: true,
          retrievedGtidSet: mysqlGtids(fakeUuid(p.serverId), total),
        }),
  };
}

function replicaGtids(plan: FakeClusterPlan, r: ReplicaPlan): Partial<FakeFacts> {
  const p = plan.primary.serverId;
  const applied = (plan.transactions ?? 100) - (r.behind ?? 0);
  const errant = r.errant ?? 0;
  if (!isMariaDbFlavor(plan.flavor)) {
    const own = { uuid: fakeUuid(r.serverId), count: errant };
    return { gtidExecuted: mysqlGtids(fakeUuid(p), applied, own) };
  }
  const pos = errant > 0 ? `0-${r.serverId}-${applied + errant}` : `0-${p}-${applied}`;
  return { gtidCurrentPos: pos, gtidBinlogPos: pos, gtidSlavePos: `0-${p}-${applied}` };
}

/** The facts of every server of the plan: the primary first, then the replicas in order. */
export function clusterFacts(plan: FakeClusterPlan): FakeFacts[] {
  const maria = isMariaDbFlavor(plan.flavor);
  const replicas = plan.replicas.map((r): FakeFacts => ({
    ...serverBase(plan, r),
    readOnly: true,
    superReadOnly: !maria,
    channels: [replicaChannel(plan, r)],
    ...replicaGtids(plan, r),
  }));
  return [primaryFacts(plan), ...replicas];
}

export interface FakeCluster {
  readonly flavor: FakeFlavor;
  readonly primary: FakeMysqlServer;
  readonly replicas: readonly FakeMysqlServer[];
  close(): Promise<void>;
}

type ServerOptions = Omit<FakeServerOptions, 'flavor' | 'facts' | 'port'>;

/**
 * Starts 1 + `replicas` fake servers on system-chosen loopback ports and wires them into a
 * cluster. `firstServerId` must leave room for all of them.
 */
export async function startFakeCluster(
  spec: {
    readonly flavor: FakeFlavor;
    readonly replicas: number;
    readonly firstServerId: number;
    readonly transactions?: number;
    readonly tweak?: (plan: FakeClusterPlan) => FakeClusterPlan;
  },
  options: ServerOptions = {},
): Promise<FakeCluster> {
  const host = options.host ?? '127.0.0.1';
  const count = spec.replicas + 1;
  const servers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      FakeMysqlServer.start({
        ...options,
        flavor: spec.flavor,
        facts: { serverId: spec.firstServerId + i },
      }),
    ),
  );
  const [primary, ...replicas] = servers as [FakeMysqlServer, ...FakeMysqlServer[]];
  const plan: FakeClusterPlan = {
    flavor: spec.flavor,
    host,
    primary: { port: primary.port, serverId: spec.firstServerId },
    replicas: replicas.map((r, i) => ({ port: r.port, serverId: spec.firstServerId + i + 1 })),
    ...(spec.transactions === undefined ? {} : { transactions: spec.transactions }),
  };
  const facts = clusterFacts(spec.tweak ? spec.tweak(plan) : plan);
  servers.forEach((s, i) => s.update(facts[i] as FakeFacts));
  return {
    flavor: spec.flavor,
    primary,
    replicas,
    close: async () => {
      await Promise.all(servers.map((s) => s.close()));
    },
  };
}
