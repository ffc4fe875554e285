import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { systemClock, type Clock } from '../common/clock.js';
import { silentLogger, type Logger } from '../common/log.js';
import { GaleraSandbox } from './galera-cluster.js';
import { GaleraCode, galeraError } from './galera-errors.js';
import { planGalera, plannedSockets, renderMyCnf, type GaleraPlan } from './galera-plan.js';
import {
  checkPortsFree,
  checkRunAs,
  copyTemplate,
  ensureTemplate,
  handOver,
  makeLauncher,
} from './galera-process.js';
import type { LinkMode } from './galera-proxy.js';
import type { GaleraMemberStatus } from './galera-sql.js';

export type { GaleraMemberStatus } from './galera-sql.js';
export { GaleraCode } from './galera-errors.js';
export { planGalera, type GaleraPlan } from './galera-plan.js';

/** How `cutMember` isolates a member; see LinkMode in galera-proxy.ts. */
export type GaleraCutMode = Exclude<LinkMode, 'pass'>;

export interface GaleraClusterOptions {
  /** Where the members live (node1/, node2/, …). Created if missing; must hold no members. */
  dir: string;
  /** Cluster size, 1 to 9; default 3. */
  nodes?: number;
  /** First port of the 40-port block described in galera-plan.ts. */
  basePort: number;
  logger?: Logger;
  /** `wsrep_cluster_name`; default `orc_sandbox`. */
  clusterName?: string;
  /** First three octets of the members' group-communication addresses; default `127.0.10`. */
  gcommNet?: string;
  /** Where the template datadir is cached; default `<tmpdir>/orc-sandbox-cache`. */
  cacheDir?: string;
  mariadbd?: string;
  installDb?: string;
  provider?: string;
  /** How long one member may take to become Synced (SST included); default 120 s. */
  memberTimeoutMs?: number;
  clock?: Clock;
}

/** A member as the sandbox sees its process. */
export interface GaleraMember {
  readonly name: string;
  /** Where clients connect (127.0.0.1). */
  readonly host: string;
  readonly port: number;
  /** Undefined before the first start. */
  readonly pid: number | undefined;
  readonly alive: boolean;
  /** The member's own group-communication address (see galera-plan.ts). */
  readonly gcommHost: string;
  readonly gcommPort: number;
  /** How its group traffic is cut, or null when its links pass. */
  readonly cut: GaleraCutMode | null;
}

/**
 * A running sandbox Galera cluster. Methods taking a name throw SANDBOX_UNKNOWN_INSTANCE for a
 * name that is not a member. Nothing here polls in the background: state changes only when a
 * method is called. Processes are direct children, stopped by pid; if the caller never calls
 * `down` they are SIGKILLed by a `process.on('exit')` handler, and by the kernel (setpriv
 * --pdeathsig) if this process dies of a signal.
 */
export interface GaleraCluster {
  readonly clusterName: string;
  readonly dir: string;
  readonly plan: GaleraPlan;
  readonly members: readonly GaleraMember[];
  /** Every member's wsrep status, read in parallel over fresh root connections. */
  status(): Promise<GaleraMemberStatus[]>;
  /** Polls `status()` until `check` passes; SANDBOX_TIMEOUT with the last status. */
  waitForStatus(
    check: (status: GaleraMemberStatus[]) => boolean,
    options: { timeoutMs: number; description: string },
  ): Promise<GaleraMemberStatus[]>;
  /** SIGKILL, resolved on the exit event. No-op when the member is not running. */
  kill(name: string): Promise<void>;
  /** SIGTERM (clean leave), resolved on the exit event. No-op when not running. */
  stop(name: string): Promise<void>;
  /**
   * Starts a stopped or killed member and resolves when it is Synced in a Primary view. After
   * a crash it first recovers its position (`--wsrep-recover`) so it rejoins by IST. No-op
   * when running.
   */
  start(name: string): Promise<void>;
  /** `pc.bootstrap=YES` on a survivor of a lost quorum; resolves when it is Primary. */
  bootstrapSurvivor(name: string): Promise<void>;
  /** Cuts every group-communication link of the member (default mode `blackhole`). */
  cutMember(name: string, mode?: GaleraCutMode): Promise<void>;
  /** Restores the member's links (links to other cut members stay cut). Idempotent. */
  healMember(name: string): Promise<void>;
  /** Stops every member (SIGTERM, then SIGKILL after 30 s), closes the proxies; idempotent. */
  down(options?: { purge?: boolean }): Promise<void>;
}

/**
 * Creates and starts a Galera cluster on loopback: bootstraps node1, joins the others one
 * after another by rsync SST, creates the backend account `orc`/`orc` (ALL on *.*; root stays
 * passwordless on 127.0.0.1), and resolves when every member is Synced in a Primary view of
 * `nodes` members. On failure every process it started is killed and the directory is kept
 * for its logs. Errors carry the codes of GaleraCode (galera-errors.ts), e.g.
 * SANDBOX_PORT_IN_USE, SANDBOX_DIR_NOT_TRAVERSABLE, SANDBOX_START_FAILED, SANDBOX_TIMEOUT.
 */
export async function startGaleraCluster(options: GaleraClusterOptions): Promise<GaleraCluster> {
  const dir = resolve(options.dir);
  const plan = planGalera({
    dir,
    nodes: options.nodes ?? 3,
    basePort: options.basePort,
    clusterName: options.clusterName ?? 'orc_sandbox',
    gcommNet: options.gcommNet ?? '127.0.10',
  });
  const mariadbd = options.mariadbd ?? '/usr/sbin/mariadbd';
  const provider = options.provider ?? '/usr/lib/galera/libgalera_smm.so';

  await mkdir(dir, { recursive: true });
  const runAs = await checkRunAs(dir);
  const taken = (await readdir(dir)).filter((f) => plan.members.some((m) => m.name === f));
  if (taken.length > 0) {
    throw galeraError(
      GaleraCode.Exists,
      `cannot create Galera sandbox in ${dir}: ${taken.join(', ')} already exist`,
    );
  }
  await checkPortsFree(plannedSockets(plan));
  const template = await ensureTemplate({
    cacheDir: options.cacheDir ?? join(tmpdir(), 'orc-sandbox-cache'),
    mariadbd,
    installDb: options.installDb ?? 'mariadb-install-db',
  });
  for (const m of plan.members) {
    await mkdir(m.dir);
    await copyTemplate(template, m.dataDir);
    await writeFile(m.cnfPath, renderMyCnf(plan, m, { provider, runAs }));
  }
  await handOver(dir, runAs);

  const cluster = new GaleraSandbox(plan, {
    launcher: await makeLauncher(mariadbd, runAs),
    logger: (options.logger ?? silentLogger()).child({
      component: 'sandbox-galera',
      cluster: plan.clusterName,
    }),
    clock: options.clock ?? systemClock,
    memberTimeoutMs: options.memberTimeoutMs ?? 120_000,
  });
  try {
    await cluster.form();
  } catch (err) {
    await cluster.abort();
    throw err;
  }
  return cluster;
}
