import { resolve } from 'node:path';
import { systemClock } from '../common/clock.js';
import type { Logger } from '../common/log.js';
import type { CutMode } from './flow.js';
import { startGaleraCluster, type GaleraCluster, type GaleraMemberStatus } from './galera.js';
import { assertDirUsable, clearDir } from './layout.js';
import { publicAddress, resolveInstance } from './names.js';
import type { OperationResult } from './sandbox.js';
import { writeState, type GaleraSandboxState } from './state.js';
import type { SupervisedTarget } from './supervisor.js';
import { findMariadb } from './template.js';

/**
 * `orc sandbox up --galera N`: the supervisor's view of a Galera cluster started by
 * src/sandbox/galera.ts (which owns the processes, the group-communication proxies and the
 * cluster logic). This adapter maps the control protocol onto it and keeps sandbox.json.
 *
 * Galera members are named node1…nodeN and reached on 127.0.0.1:B+i directly (no client
 * proxy); a cut isolates one member's group communication (`cut-member`).
 */

/** `galera-status`: each member's wsrep view plus its process and cut. */
export interface GaleraStatus {
  readonly dir: string;
  readonly clusterName: string;
  readonly members: readonly (GaleraMemberStatus & {
    readonly address: string;
    readonly pid: number | null;
    readonly alive: boolean;
    readonly cut: CutMode | null;
  })[];
}

export async function startGaleraTarget(options: {
  dir: string;
  nodes: number;
  basePort: number;
  logger: Logger;
  supervisorPid: number;
  mariadbd?: string;
}): Promise<SupervisedTarget> {
  const dir = resolve(options.dir);
  await assertDirUsable(dir, options.supervisorPid);
  const binaries = await findMariadb(options.mariadbd ? { mariadbd: options.mariadbd } : {});
  await clearDir(dir);
  const cluster = await startGaleraCluster({
    dir,
    nodes: options.nodes,
    basePort: options.basePort,
    logger: options.logger,
    mariadbd: binaries.mariadbd,
  });
  const base = {
    version: 1,
    kind: 'galera',
    dir,
    basePort: options.basePort,
    createdAt: new Date(systemClock.now()).toISOString(),
    mariadbVersion: binaries.version,
    supervisorPid: options.supervisorPid,
    clusterName: cluster.clusterName,
    users: { orc: { user: 'orc', password: 'orc' }, app: { user: 'orc', password: 'orc' } },
  } as const;
  const state = (): GaleraSandboxState => ({
    ...base,
    instances: cluster.members.map((m) => {
      const plan = cluster.plan.members.find((p) => p.name === m.name);
      return {
        name: m.name,
        publicPort: m.port,
        privatePort: m.port,
        dir: plan?.dir ?? dir,
        cnfPath: plan?.cnfPath ?? '',
        pid: m.alive ? (m.pid ?? null) : null,
      };
    }),
  });
  await writeState(state());
  return galeraTarget(cluster, state);
}

function galeraTarget(cluster: GaleraCluster, state: () => GaleraSandboxState): SupervisedTarget {
  const named = (): { name: string; publicPort: number }[] =>
    cluster.members.map((m) => ({ name: m.name, publicPort: m.port }));
  const member = (ref: string): string => resolveInstance(ref, named());

  /** Runs `op` on a member, then records the new pids. */
  const act = async (
    ref: string,
    op: (name: string) => Promise<void>,
  ): Promise<OperationResult> => {
    const name = member(ref);
    const before = cluster.members.find((m) => m.name === name);
    await op(name);
    await writeState(state());
    const after = cluster.members.find((m) => m.name === name);
    return {
      instance: name,
      address: publicAddress({ name, publicPort: after?.port ?? 0 }),
      pid: after?.alive ? (after.pid ?? null) : (before?.pid ?? null),
      changed: before?.alive !== after?.alive || before?.pid !== after?.pid,
    };
  };

  return {
    kind: 'galera',
    dir: cluster.dir,
    state,
    pids: () => cluster.members.flatMap((m) => (m.alive && m.pid ? [m.pid] : [])),
    down: async () => {
      await cluster.down();
      await writeState(state());
    },
    handlers: {
      'galera-status': async () => {
        const status = await cluster.status();
        return {
          dir: cluster.dir,
          clusterName: cluster.clusterName,
          members: cluster.members.map((m, i) => ({
            ...(status[i] as GaleraMemberStatus),
            address: publicAddress({ name: m.name, publicPort: m.port }),
            pid: m.alive ? (m.pid ?? null) : null,
            alive: m.alive,
            cut: m.cut,
          })),
        };
      },
      kill: (r) => act(r.instance, (n) => cluster.kill(n)),
      stop: (r) => act(r.instance, (n) => cluster.stop(n)),
      start: (r) => act(r.instance, (n) => cluster.start(n)),
      restart: (r) =>
        act(r.instance, async (n) => {
          await cluster.stop(n);
          await cluster.start(n);
        }),
      'cut-member': async (r) => {
        const name = member(r.member);
        await cluster.cutMember(name, r.mode);
        return { member: name, mode: r.mode };
      },
      'heal-member': async (r) => {
        const name = member(r.member);
        await cluster.healMember(name);
        return { member: name };
      },
      'heal-all': async () => {
        const cut = cluster.members.filter((m) => m.cut !== null);
        for (const m of cut) await cluster.healMember(m.name);
        return { healed: cut.map((m) => ({ from: m.name, to: '*' })) };
      },
    },
  };
}
