import { join } from 'node:path';
import type { OrcError } from '../common/errors.js';
import { GaleraCode, galeraError } from './galera-errors.js';

/**
 * The port and address plan of a sandbox Galera cluster, and the my.cnf each member runs with.
 * Pure: no I/O, so the plan can be printed, documented and unit-tested.
 *
 * Port plan, from `basePort` (B), for member i = 0 … N-1 (N ≤ 9):
 *
 * | what                         | host              | port       |
 * | ---------------------------- | ----------------- | ---------- |
 * | MySQL (public)               | 127.0.0.1         | B + i      |
 * | gcomm listener (private)     | gcommNet.(i+1)    | B + 10 + i |
 * | gcomm proxy "i sees j"       | gcommNet.(i+1)    | B + 10 + j |
 * | IST receiver                 | 127.0.0.1         | B + 20 + i |
 * | rsync SST receiver           | 127.0.0.1         | B + 30 + i |
 *
 * Group communication goes through one proxy per ordered pair of members. Every member has its
 * own loopback address (gcommNet.1, gcommNet.2, …) and sees each peer j at *its own* address
 * with j's gcomm port. Why this shape: a Galera member that accepts a connection records the
 * peer as "TCP source host + the port the peer advertises" (gmcast_proto.cpp), and it binds its
 * own outgoing connections to its listen host (gmcast.cpp). The proxy for "i sees j" connects
 * to j from j's own address, so j records i at (j's address, i's port): exactly the proxy for
 * "j sees i". Addresses learnt by gossip therefore always lead through a proxy, and a proxy
 * refuses connections that do not come from its owner's address, so no path bypasses the cut.
 */

/** One member's place in the plan. */
export interface GaleraMemberPlan {
  readonly index: number;
  readonly name: string;
  readonly serverId: number;
  /** Where clients connect: always 127.0.0.1. */
  readonly host: string;
  readonly port: number;
  /** The member's own loopback address for group communication. */
  readonly gcommHost: string;
  readonly gcommPort: number;
  readonly istPort: number;
  readonly sstPort: number;
  readonly dir: string;
  readonly dataDir: string;
  readonly cnfPath: string;
  readonly errorLog: string;
}

/** One ordered pair: member `from` reaches member `to` through this proxy. */
export interface GaleraLinkPlan {
  readonly from: string;
  readonly to: string;
  readonly listenHost: string;
  readonly listenPort: number;
  /** Only connections from this address are forwarded (the `from` member's gcomm address). */
  readonly allowFrom: string;
  readonly targetHost: string;
  readonly targetPort: number;
  /** The proxy's outgoing source address (the `to` member's gcomm address); see above. */
  readonly localAddress: string;
}

export interface GaleraPlan {
  readonly clusterName: string;
  readonly dir: string;
  readonly members: readonly GaleraMemberPlan[];
  readonly links: readonly GaleraLinkPlan[];
}

/** Every port the plan binds, with who binds it, for the free-port check. */
export interface PlannedSocket {
  readonly host: string;
  readonly port: number;
  readonly purpose: string;
}

export const MAX_GALERA_NODES = 9;
const PORT_BLOCK = 40;

/** Builds the plan; throws SANDBOX_BAD_OPTIONS for a plan that cannot work. */
export function planGalera(options: {
  dir: string;
  nodes: number;
  basePort: number;
  clusterName: string;
  gcommNet: string;
}): GaleraPlan {
  const { dir, nodes, basePort, clusterName, gcommNet } = options;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > MAX_GALERA_NODES) {
    throw badOption(`nodes must be an integer from 1 to ${MAX_GALERA_NODES}, got ${nodes}`);
  }
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort + PORT_BLOCK > 65535) {
    throw badOption(`basePort must be an integer from 1024 to ${65535 - PORT_BLOCK}`);
  }
  if (!/^127\.\d{1,3}\.\d{1,3}$/.test(gcommNet)) {
    throw badOption(`gcommNet must look like 127.x.y (loopback only), got "${gcommNet}"`);
  }
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(clusterName)) {
    throw badOption(`clusterName must be 1-32 letters, digits, "_" or "-", got "${clusterName}"`);
  }

  const members = Array.from({ length: nodes }, (_, i): GaleraMemberPlan => {
    const name = `node${i + 1}`;
    const memberDir = join(dir, name);
    return {
      index: i,
      name,
      serverId: i + 1,
      host: '127.0.0.1',
      port: basePort + i,
      gcommHost: `${gcommNet}.${i + 1}`,
      gcommPort: basePort + 10 + i,
      istPort: basePort + 20 + i,
      sstPort: basePort + 30 + i,
      dir: memberDir,
      dataDir: join(memberDir, 'data'),
      cnfPath: join(memberDir, 'my.cnf'),
      errorLog: join(memberDir, 'error.log'),
    };
  });

  const links = members.flatMap((from) =>
    members
      .filter((to) => to !== from)
      .map((to): GaleraLinkPlan => ({
        from: from.name,
        to: to.name,
        listenHost: from.gcommHost,
        listenPort: to.gcommPort,
        allowFrom: from.gcommHost,
        targetHost: to.gcommHost,
        targetPort: to.gcommPort,
        localAddress: to.gcommHost,
      })),
  );
  return { clusterName, dir, members, links };
}

/** Every socket the plan will listen on, MySQL ports first. */
export function plannedSockets(plan: GaleraPlan): PlannedSocket[] {
  const own = plan.members.flatMap((m) => [
    { host: m.host, port: m.port, purpose: `${m.name} MySQL` },
    { host: m.gcommHost, port: m.gcommPort, purpose: `${m.name} gcomm` },
    { host: m.host, port: m.istPort, purpose: `${m.name} IST` },
    { host: m.host, port: m.sstPort, purpose: `${m.name} SST` },
  ]);
  const proxies = plan.links.map((l) => ({
    host: l.listenHost,
    port: l.listenPort,
    purpose: `gcomm proxy ${l.from}->${l.to}`,
  }));
  return [...own, ...proxies];
}

/** The cluster address member `m` joins through: the proxies it sees its peers at. */
export function clusterAddress(plan: GaleraPlan, m: GaleraMemberPlan): string {
  const peers = plan.links
    .filter((l) => l.from === m.name)
    .map((l) => `${l.listenHost}:${l.listenPort}`);
  return `gcomm://${peers.join(',')}`;
}

/**
 * The provider options. The evs timeouts make a dead or cut-off member noticed in ~3 s
 * (measured: 5.9 s with the defaults); gcache stays small because the sandbox writes little.
 */
export function providerOptions(m: GaleraMemberPlan): string {
  return [
    `gmcast.listen_addr=tcp://${m.gcommHost}:${m.gcommPort}`,
    `ist.recv_addr=${m.host}:${m.istPort}`,
    'gcache.size=16M',
    'gcache.page_size=16M',
    'evs.suspect_timeout=PT2S',
    'evs.inactive_timeout=PT3S',
    'evs.keepalive_period=PT0.5S',
    'evs.inactive_check_period=PT0.5S',
    'gmcast.time_wait=PT1S',
  ].join(';');
}

/**
 * The member's my.cnf. `runAs` is `mysql` when the harness runs as root (rsync SST fails as
 * root: its daemon drops to `nobody`), undefined otherwise.
 */
export function renderMyCnf(
  plan: GaleraPlan,
  m: GaleraMemberPlan,
  paths: { provider: string; runAs: string | undefined },
): string {
  const lines = [
    '# Written by orc sandbox (galera); regenerated on every start.',
    '[mariadbd]',
    ...(paths.runAs === undefined ? [] : [`user=${paths.runAs}`]),
    `bind-address=${m.host}`,
    `port=${m.port}`,
    `datadir=${m.dataDir}`,
    `socket=${join(m.dir, 'mysqld.sock')}`,
    `pid-file=${join(m.dir, 'mysqld.pid')}`,
    `log-error=${m.errorLog}`,
    'skip-name-resolve',
    `server_id=${m.serverId}`,
    'binlog_format=ROW',
    'default_storage_engine=InnoDB',
    'innodb_autoinc_lock_mode=2',
    'innodb_buffer_pool_size=16M',
    'innodb_buffer_pool_size_max=32M',
    'innodb_log_file_size=16M',
    'innodb_log_buffer_size=2M',
    'innodb_buffer_pool_dump_at_shutdown=OFF',
    'innodb_buffer_pool_load_at_startup=OFF',
    'key_buffer_size=1M',
    'aria_pagecache_buffer_size=1M',
    'query_cache_size=0',
    'query_cache_type=0',
    'performance_schema=OFF',
    'max_connections=80',
    'table_open_cache=200',
    'table_definition_cache=400',
    'thread_cache_size=4',
    'tmp_table_size=4M',
    'max_heap_table_size=4M',
    'sort_buffer_size=256K',
    'wsrep_on=ON',
    `wsrep_provider=${paths.provider}`,
    `wsrep_cluster_name=${plan.clusterName}`,
    `wsrep_cluster_address=${clusterAddress(plan, m)}`,
    `wsrep_node_name=${m.name}`,
    `wsrep_node_address=${m.gcommHost}:${m.gcommPort}`,
    `wsrep_node_incoming_address=${m.host}:${m.port}`,
    `wsrep_provider_options="${providerOptions(m)}"`,
    'wsrep_sst_method=rsync',
    `wsrep_sst_receive_address=${m.host}:${m.sstPort}`,
    '',
  ];
  return lines.join('\n');
}

function badOption(message: string): OrcError {
  return galeraError(GaleraCode.BadOptions, `cannot plan Galera sandbox: ${message}`);
}
