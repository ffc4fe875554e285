import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../common/clock.js';
import type { OrcError } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import type { GaleraCluster, GaleraCutMode, GaleraMember } from './galera.js';
import { GaleraCode, galeraError } from './galera-errors.js';
import type { GaleraMemberPlan, GaleraPlan } from './galera-plan.js';
import {
  ChildSet,
  logTail,
  readGrastateSeqno,
  recoverPosition,
  spawnChild,
  stopChild,
  type ChildHandle,
  type Launcher,
} from './galera-process.js';
import { LinkProxy, type LinkMode } from './galera-proxy.js';
import {
  backendUserStatements,
  isSyncedMember,
  readMemberStatus,
  runAsRoot,
  type GaleraMemberStatus,
} from './galera-sql.js';

const POLL_MS = 200;

export interface SandboxDeps {
  launcher: Launcher;
  logger: Logger;
  clock: Clock;
  memberTimeoutMs: number;
}

/**
 * The running cluster behind the GaleraCluster interface (see galera.ts for the contract).
 * Created by startGaleraCluster, which calls `form` once, or `abort` if forming failed.
 */
export class GaleraSandbox implements GaleraCluster {
  private readonly children = new ChildSet();
  private readonly handles = new Map<string, ChildHandle>();
  private readonly cuts = new Map<string, GaleraCutMode>();
  private readonly proxies = new Map<string, LinkProxy>();
  /** Starts in progress, so that concurrent `start` calls share one process. */
  private readonly starting = new Map<string, Promise<void>>();
  private readonly onExit = (): void => this.children.killAllSync();
  private isDown = false;

  constructor(
    readonly plan: GaleraPlan,
    private readonly deps: SandboxDeps,
  ) {
    process.on('exit', this.onExit);
  }

  get clusterName(): string {
    return this.plan.clusterName;
  }

  get dir(): string {
    return this.plan.dir;
  }

  get members(): readonly GaleraMember[] {
    return this.plan.members.map((m) => {
      const handle = this.handles.get(m.name);
      return {
        name: m.name,
        host: m.host,
        port: m.port,
        pid: handle?.pid,
        alive: handle?.alive() ?? false,
        gcommHost: m.gcommHost,
        gcommPort: m.gcommPort,
        cut: this.cuts.get(m.name) ?? null,
      };
    });
  }

  /** Opens the proxies, bootstraps node1, creates the backend account, joins the rest. */
  async form(): Promise<void> {
    const started = this.deps.clock.monotonic();
    for (const link of this.plan.links) {
      this.proxies.set(`${link.from}>${link.to}`, await LinkProxy.open(link));
    }
    const [first, ...joiners] = this.plan.members;
    if (first === undefined) return;
    this.launch(first, ['--wsrep-new-cluster']);
    await this.waitMember(first, (s) => isSyncedMember(s, 1), 'bootstrap');
    await runAsRoot(first.host, first.port, backendUserStatements('orc', 'orc'));
    for (const [i, m] of joiners.entries()) {
      this.launch(m, []);
      await this.waitMember(m, (s) => isSyncedMember(s, i + 2), 'join');
    }
    const size = this.plan.members.length;
    await this.waitForStatus((all) => all.every((s) => isSyncedMember(s, size)), {
      timeoutMs: this.deps.memberTimeoutMs,
      description: `all ${size} members Synced`,
    });
    this.deps.logger.info(
      { durationMs: Math.round(this.deps.clock.monotonic() - started) },
      'galera cluster formed',
    );
  }

  async status(): Promise<GaleraMemberStatus[]> {
    return Promise.all(this.plan.members.map((m) => readMemberStatus(m.name, m.host, m.port)));
  }

  async waitForStatus(
    check: (status: GaleraMemberStatus[]) => boolean,
    options: { timeoutMs: number; description: string },
  ): Promise<GaleraMemberStatus[]> {
    const deadline = this.deps.clock.monotonic() + options.timeoutMs;
    for (;;) {
      const status = await this.status();
      if (check(status)) return status;
      if (this.deps.clock.monotonic() >= deadline) {
        throw galeraError(
          GaleraCode.Timeout,
          `Galera sandbox did not reach "${options.description}" within ${options.timeoutMs} ms; last status: ${JSON.stringify(status)}`,
          { context: { cluster: this.plan.clusterName } },
        );
      }
      await this.deps.clock.sleep(POLL_MS);
    }
  }

  async kill(name: string): Promise<void> {
    const handle = this.handles.get(this.member(name).name);
    if (handle === undefined || !handle.alive()) return;
    await stopChild(handle, 'SIGKILL', 10_000);
    this.deps.logger.info({ instance: this.address(name) }, 'galera member killed');
  }

  async stop(name: string): Promise<void> {
    const handle = this.handles.get(this.member(name).name);
    if (handle === undefined || !handle.alive()) return;
    await stopChild(handle, 'SIGTERM', 60_000);
    this.deps.logger.info({ instance: this.address(name) }, 'galera member stopped');
  }

  async start(name: string): Promise<void> {
    const m = this.member(name);
    if (this.isDown) throw this.downError();
    if (this.handles.get(m.name)?.alive() === true) return;
    const pending = this.starting.get(m.name) ?? this.restart(m);
    this.starting.set(m.name, pending);
    try {
      await pending;
    } finally {
      this.starting.delete(m.name);
    }
  }

  /** After a crash grastate.dat says seqno -1: recover the position so that IST is possible. */
  private async restart(m: GaleraMemberPlan): Promise<void> {
    const extra: string[] = [];
    if ((await readGrastateSeqno(m.dataDir)) === -1) {
      const position = await recoverPosition({
        launcher: this.deps.launcher,
        cnfPath: m.cnfPath,
        logPath: join(m.dir, 'recover.log'),
        children: this.children,
      });
      if (position !== undefined) extra.push(`--wsrep_start_position=${position}`);
    }
    this.launch(m, extra);
    await this.waitMember(m, (s) => isSyncedMember(s), 'rejoin');
  }

  async bootstrapSurvivor(name: string): Promise<void> {
    const m = this.member(name);
    await runAsRoot(m.host, m.port, ["SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'"]);
    await this.waitMember(m, (s) => s.clusterStatus === 'Primary' && s.ready === true, 'bootstrap');
  }

  cutMember(name: string, mode: GaleraCutMode = 'blackhole'): Promise<void> {
    this.cuts.set(this.member(name).name, mode);
    this.applyLinks();
    this.deps.logger.info({ instance: this.address(name), mode }, 'galera member cut');
    return Promise.resolve();
  }

  healMember(name: string): Promise<void> {
    if (this.cuts.delete(this.member(name).name)) {
      this.applyLinks();
      this.deps.logger.info({ instance: this.address(name) }, 'galera member healed');
    }
    return Promise.resolve();
  }

  async down(options: { purge?: boolean } = {}): Promise<void> {
    if (!this.isDown) {
      this.isDown = true;
      await Promise.all([...this.handles.values()].map((h) => stopChild(h, 'SIGTERM', 30_000)));
      await Promise.all([...this.proxies.values()].map((p) => p.close()));
      process.off('exit', this.onExit);
      this.deps.logger.info('galera cluster down');
    }
    if (options.purge === true) await rm(this.plan.dir, { recursive: true, force: true });
  }

  /** After a failed start: kill at once, keep the directory for its logs. */
  async abort(): Promise<void> {
    this.isDown = true;
    await Promise.all([...this.handles.values()].map((h) => stopChild(h, 'SIGKILL', 10_000)));
    await Promise.all([...this.proxies.values()].map((p) => p.close()));
    process.off('exit', this.onExit);
  }

  private member(name: string): GaleraMemberPlan {
    const m = this.plan.members.find((x) => x.name === name);
    if (m === undefined) {
      throw galeraError(
        GaleraCode.UnknownInstance,
        `no Galera sandbox member "${name}" (members: ${this.plan.members.map((x) => x.name).join(', ')})`,
      );
    }
    return m;
  }

  private address(name: string): string {
    const m = this.member(name);
    return `${m.host}:${m.port}`;
  }

  private launch(m: GaleraMemberPlan, extra: string[]): void {
    const args = [`--defaults-file=${m.cnfPath}`, ...extra];
    const handle = spawnChild(this.deps.launcher, args, join(m.dir, 'stdout.log'));
    this.children.add(handle);
    this.handles.set(m.name, handle);
    this.deps.logger.debug(
      { instance: `${m.host}:${m.port}`, pid: handle.pid },
      'galera member spawned',
    );
  }

  /** Polls one member until `check` passes; fails at once if its process exits. */
  private async waitMember(
    m: GaleraMemberPlan,
    check: (s: GaleraMemberStatus) => boolean,
    phase: string,
  ): Promise<void> {
    const deadline = this.deps.clock.monotonic() + this.deps.memberTimeoutMs;
    for (;;) {
      const handle = this.handles.get(m.name);
      if (handle === undefined || !handle.alive()) {
        const exit = handle === undefined ? undefined : await handle.exited;
        throw galeraError(
          GaleraCode.StartFailed,
          `Galera member ${m.name} (${m.host}:${m.port}) exited during ${phase} ` +
            `(code ${exit?.code ?? '?'}, signal ${exit?.signal ?? 'none'}); ${m.errorLog} ends with:\n` +
            (await logTail(m.errorLog)),
          { context: { instance: `${m.host}:${m.port}`, cluster: this.plan.clusterName } },
        );
      }
      const status = await readMemberStatus(m.name, m.host, m.port);
      if (check(status)) {
        this.deps.logger.info({ instance: `${m.host}:${m.port}`, phase }, 'galera member synced');
        return;
      }
      if (this.deps.clock.monotonic() >= deadline) {
        throw galeraError(
          GaleraCode.Timeout,
          `Galera member ${m.name} (${m.host}:${m.port}) not ready after ${this.deps.memberTimeoutMs} ms ` +
            `during ${phase}; last status ${JSON.stringify(status)}; ${m.errorLog} ends with:\n` +
            (await logTail(m.errorLog)),
          { context: { instance: `${m.host}:${m.port}`, cluster: this.plan.clusterName } },
        );
      }
      await this.deps.clock.sleep(POLL_MS);
    }
  }

  /** A link is cut when either end is; the first end's mode wins when both are. */
  private applyLinks(): void {
    for (const link of this.plan.links) {
      const mode: LinkMode = this.cuts.get(link.from) ?? this.cuts.get(link.to) ?? 'pass';
      const proxy = this.proxies.get(`${link.from}>${link.to}`);
      if (proxy !== undefined && proxy.mode !== mode) proxy.setMode(mode);
    }
  }

  private downError(): OrcError {
    return galeraError(GaleraCode.NotRunning, `Galera sandbox ${this.plan.clusterName} is down`);
  }
}
