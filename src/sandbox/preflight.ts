import { resolve } from 'node:path';
import { systemClock, type Clock } from '../common/clock.js';
import { silentLogger, type Logger } from '../common/log.js';
import { SandboxCode, SandboxError } from './errors.js';
import { assertDirUsable, clearDir, layoutInstances } from './layout.js';
import { planTopology, type Shape, type TopologyPlan } from './plan.js';
import { assertPortsFree } from './port-check.js';
import { DEFAULT_BASE_PORT, portPurposes } from './ports.js';
import { defaultUsers } from './sql.js';
import type { InstanceRecord, ReplicationSandboxState } from './state.js';
import { ensureTemplate, findMariadb } from './template.js';

export interface SandboxOptions {
  /** The sandbox's directory; created when missing. Must be empty, new, or a stopped sandbox. */
  readonly dir: string;
  readonly basePort?: number;
  /** Instances besides the primary (default 2). */
  readonly replicas?: number;
  readonly shape?: Shape;
  readonly semiSync?: boolean;
  /** rpl_semi_sync_master_timeout; default the server's (10 s). */
  readonly semiSyncTimeoutMs?: number;
  readonly orcPassword?: string;
  /** Seconds a replica waits for bytes before reconnecting (default 4; heartbeat is 1 s). */
  readonly slaveNetTimeout?: number;
  readonly logger?: Logger;
  readonly mariadbd?: string;
  readonly templateCacheDir?: string;
  readonly readyTimeoutMs?: number;
  readonly catchUpTimeoutMs?: number;
  /** Recorded in sandbox.json when a supervisor process owns this sandbox. */
  readonly supervisorPid?: number;
  readonly clock?: Clock;
}

/** The options with every default filled in, as a running sandbox keeps them. */
export type Settings = SandboxOptions & {
  dir: string;
  mariadbd: string;
  logger: Logger;
  clock: Clock;
};

/** Everything `up` needs once the checks have passed. */
export interface Preflight {
  readonly plan: TopologyPlan;
  readonly records: InstanceRecord[];
  readonly template: string;
  readonly base: Omit<ReplicationSandboxState, 'instances'>;
  readonly settings: Settings;
}

/**
 * The checks and preparation before anything starts, cheapest and most likely to fail first:
 * the plan (bad options), mariadbd (MARIADB_MISSING), the directory (a running or foreign one
 * is refused), every port (SANDBOX_PORT_IN_USE, naming the port), the template datadir. Only
 * then is a stopped sandbox's leftover directory cleared. Throws with nothing started.
 */
export async function preflight(options: SandboxOptions): Promise<Preflight> {
  const dir = resolve(options.dir);
  const slaveNetTimeout = options.slaveNetTimeout ?? 4;
  if (!Number.isInteger(slaveNetTimeout) || slaveNetTimeout < 2) {
    throw new SandboxError(
      SandboxCode.BadOptions,
      `slaveNetTimeout must be an integer of at least 2 seconds (the heartbeat is 1 s), got ` +
        `${slaveNetTimeout}`,
    );
  }
  const shape = options.shape ?? 'star';
  const plan = planTopology(shape, options.replicas ?? 2);
  const basePort = options.basePort ?? DEFAULT_BASE_PORT;
  const records = layoutInstances(dir, plan, basePort);
  const binaries = await findMariadb(options.mariadbd ? { mariadbd: options.mariadbd } : {});
  await assertDirUsable(dir, options.supervisorPid);
  await assertPortsFree(
    portPurposes(
      records.map((r) => r.name),
      records,
    ),
  );
  const template = await ensureTemplate(
    binaries,
    options.templateCacheDir ? { cacheDir: options.templateCacheDir } : {},
  );
  await clearDir(dir);

  const clock = options.clock ?? systemClock;
  const base = {
    version: 1,
    kind: 'replication',
    dir,
    basePort,
    shape,
    semiSync: options.semiSync ?? false,
    createdAt: new Date(clock.now()).toISOString(),
    mariadbVersion: binaries.version,
    users: defaultUsers(options.orcPassword),
    supervisorPid: options.supervisorPid ?? null,
  } as const;
  const settings = {
    ...options,
    dir,
    mariadbd: binaries.mariadbd,
    logger: options.logger ?? silentLogger(),
    clock,
  };
  return { plan, records, template, base, settings };
}
