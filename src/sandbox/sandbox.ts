import { EventEmitter } from 'node:events';
import { rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { Connection } from 'mysql2/promise';
import { SandboxCode, SandboxError } from './errors.js';
import type { CutMode, LinkMode } from './flow.js';
import { createInstanceFiles } from './layout.js';
import { LinkTable, type LinkStatus } from './links.js';
import { Member } from './member.js';
import {
  describeLink,
  ORC_ORIGIN,
  publicAddress,
  resolveInstance,
  SANDBOX_HOST,
  type LinkKey,
} from './names.js';
import { findPeerOwner } from './peer.js';
import type { TopologyPlan } from './plan.js';
import { pollUntil } from './poll.js';
import { preflight, type SandboxOptions, type Settings } from './preflight.js';
import type { ServerExit } from './server-process.js';
import {
  connect,
  lagStatements,
  rows,
  runStatements,
  withRoot,
  type Credentials,
  type LagChange,
  type SandboxUsers,
} from './sql.js';
import { writeState, type InstanceRecord, type ReplicationSandboxState } from './state.js';
import { probeAll, type SandboxStatus } from './status.js';
import { waitForCatchUp, wireTopology } from './wiring.js';

export type { SandboxOptions } from './preflight.js';

/** Typed events; library code reports, callers decide what to log. */
export interface SandboxEvents {
  'instance-started': [{ instance: string; pid: number }];
  'instance-exit': [{ instance: string } & ServerExit];
  'link-changed': [LinkKey & { mode: LinkMode }];
}

export interface InstanceInfo {
  readonly name: string;
  readonly host: string;
  /** The public port: the server's address for orc and clients. */
  readonly port: number;
  readonly privatePort: number;
  readonly serverId: number;
  readonly plannedRole: InstanceRecord['plannedRole'];
  readonly plannedSource: string | null;
}

/** What an operation on one instance did. `changed` is false when it was already so. */
export interface OperationResult {
  readonly instance: string;
  readonly address: string;
  readonly pid: number | null;
  readonly changed: boolean;
}

/**
 * A running MariaDB replication sandbox on loopback, owned by this process: the servers are its
 * children, the proxies its sockets, `sandbox.json` its record. Tests use it directly:
 *
 *     const sb = await Sandbox.up({ dir, basePort, replicas: 3, shape: 'tree' });
 *     t.after(() => sb.down({ purge: true }));
 *
 * `up` either returns a replicating topology or throws with nothing left running. Every method
 * that names an instance accepts `s2`, `23307` or `127.0.0.1:23307`.
 */
export class Sandbox extends EventEmitter<SandboxEvents> {
  private readonly members = new Map<string, Member>();
  private readonly links = new LinkTable(
    () => this.records(),
    (link, mode) => this.onLinkChange(link, mode),
  );
  private saving: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly base: Omit<ReplicationSandboxState, 'instances'>,
    records: readonly InstanceRecord[],
    private readonly settings: Settings,
  ) {
    super();
    for (const record of records) this.members.set(record.name, this.makeMember(record));
  }

  /** Creates, starts and wires a sandbox; see the class comment. */
  static async up(options: SandboxOptions): Promise<Sandbox> {
    const ready = await preflight(options);
    const sandbox = new Sandbox(ready.base, ready.records, ready.settings);
    try {
      await sandbox.bringUp(ready.plan, ready.template);
    } catch (err) {
      await sandbox.down({ purge: false });
      throw err;
    }
    return sandbox;
  }

  private async bringUp(plan: TopologyPlan, template: string): Promise<void> {
    await this.save();
    const files = {
      template,
      semiSync: this.base.semiSync,
      slaveNetTimeout: this.settings.slaveNetTimeout ?? 4,
    };
    // allSettled: a failed start must not leave the others starting behind down()'s back.
    const started = await Promise.allSettled(
      [...this.members.values()].map(async (m) => {
        await createInstanceFiles(m.record, files);
        await this.startMember(m);
      }),
    );
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;

    await wireTopology({
      plan,
      records: this.records(),
      users: this.base.users,
      semiSync: this.base.semiSync ? { timeoutMs: this.settings.semiSyncTimeoutMs ?? null } : null,
      timeoutMs: this.settings.catchUpTimeoutMs ?? 30_000,
      clock: this.settings.clock,
    });
    this.settings.logger.info({ component: 'sandbox', cluster: this.base.dir }, 'sandbox up');
  }

  private makeMember(record: InstanceRecord): Member {
    const member = new Member(record, {
      mariadbd: this.settings.mariadbd,
      clock: this.settings.clock,
      readyTimeoutMs: this.settings.readyTimeoutMs,
      identify: (socket) => this.identify(socket, record.name),
      modeFor: (origin) => this.links.modeOf(origin, record.name),
      onProxyError: (err) =>
        this.settings.logger.warn(
          { component: 'sandbox', instance: publicAddress(record), err },
          'proxy error',
        ),
    });
    member.on('exit', (exit) => void this.onExit(member, exit));
    return member;
  }

  /** The instance whose mariadbd opened `socket`, else `orc`. */
  private async identify(socket: Socket, destination: string): Promise<string> {
    const candidates = [...this.members.values()].flatMap((m) =>
      m.name !== destination && m.pid !== null ? [{ name: m.name, pid: m.pid }] : [],
    );
    try {
      return (await findPeerOwner(socket, candidates)) ?? ORC_ORIGIN;
    } catch {
      return ORC_ORIGIN;
    }
  }

  private async onExit(member: Member, exit: ServerExit): Promise<void> {
    if (!exit.requested) {
      this.settings.logger.warn(
        { component: 'sandbox', instance: publicAddress(member.record), err: exit },
        'server exited unexpectedly',
      );
    }
    this.emit('instance-exit', { instance: member.name, ...exit });
    if (!this.closed) await this.save();
  }

  private async startMember(member: Member): Promise<void> {
    await member.start();
    this.emit('instance-started', { instance: member.name, pid: member.pid ?? 0 });
    await this.save();
  }

  /** Writes sandbox.json; serialized so concurrent changes land in order. */
  private save(): Promise<void> {
    const next = this.saving.then(() => writeState(this.state()));
    this.saving = next.catch(() => undefined);
    return next;
  }

  /** The record of the sandbox as sandbox.json holds it. */
  state(): ReplicationSandboxState {
    const instances = [...this.members.values()].map((m) => ({ ...m.record, pid: m.pid }));
    return { ...this.base, instances };
  }

  get dir(): string {
    return this.base.dir;
  }

  /** The accounts the sandbox created (repl, orc, app); root@127.0.0.1 has no password. */
  get users(): SandboxUsers {
    return this.base.users;
  }

  /** Every instance in port order. */
  instances(): InstanceInfo[] {
    return this.records().map(info);
  }

  /** The instance `ref` names; throws SANDBOX_UNKNOWN_INSTANCE listing the valid ones. */
  instance(ref: string | number): InstanceInfo {
    return info(this.member(ref).record);
  }

  /** The name (`s2`) of the instance `ref` names. */
  resolve(ref: string | number): string {
    return resolveInstance(String(ref), this.records());
  }

  /** mariadbd's pid, or null while the server is down. */
  pid(ref: string | number): number | null {
    return this.member(ref).pid;
  }

  /** Every running mariadbd's pid. */
  pids(): number[] {
    return [...this.members.values()].flatMap((m) => (m.pid === null ? [] : [m.pid]));
  }

  /** Live status of every instance and every cut link; works with servers dead or cut off. */
  async status(): Promise<SandboxStatus> {
    const targets = [...this.members.values()].map((m) => ({
      ...m.record,
      pid: m.pid,
      alive: m.running,
    }));
    return {
      dir: this.base.dir,
      shape: this.base.shape,
      basePort: this.base.basePort,
      instances: await probeAll(targets),
      cuts: this.cutLinks(),
    };
  }

  /**
   * Polls `status()` until `check` holds and returns that status; throws SANDBOX_TIMEOUT with
   * `description` and the last status seen. The way tests and drills wait for what replicas
   * report, instead of sleeping.
   */
  async waitForStatus(
    check: (status: SandboxStatus) => boolean,
    options: { description: string; timeoutMs?: number },
  ): Promise<SandboxStatus> {
    let last: SandboxStatus | null = null;
    return pollUntil(
      async () => {
        last = await this.status();
        return check(last) ? last : undefined;
      },
      { ...options, clock: this.settings.clock, describeLast: () => JSON.stringify(last) },
    );
  }

  /** SIGKILL, like `kill -9`: replicas see the link drop and then "connection refused". */
  kill(ref: string | number): Promise<OperationResult> {
    return this.halt(ref, 'kill');
  }

  /** SIGTERM: a clean shutdown. */
  stop(ref: string | number): Promise<OperationResult> {
    return this.halt(ref, 'stop');
  }

  private async halt(ref: string | number, how: 'kill' | 'stop'): Promise<OperationResult> {
    const member = this.member(ref);
    const pid = member.pid;
    const exit = await member.halt(how);
    return result(member, pid, exit !== null);
  }

  /**
   * Starts a stopped server and resolves when it answers. Like a real restart it comes back
   * `read_only=ON` (its my.cnf says so) and resumes replication from its saved position.
   */
  async start(ref: string | number): Promise<OperationResult> {
    const member = this.member(ref);
    if (member.running) return result(member, member.pid, false);
    this.assertOpen();
    await this.startMember(member);
    return result(member, member.pid, true);
  }

  /** stop, then start. */
  async restart(ref: string | number): Promise<OperationResult> {
    await this.stop(ref);
    return this.start(ref);
  }

  /**
   * Delays a replica (`{ delaySeconds }`, MASTER_DELAY; 0 removes it) or stops/starts its SQL
   * thread alone (`{ applier }`), so it falls behind while still receiving events.
   */
  async lag(ref: string | number, change: LagChange): Promise<OperationResult> {
    const member = this.member(ref);
    if (!member.running) throw downError(member);
    await withRoot(member.record.privatePort, async (conn) => {
      if ((await rows(conn, 'SHOW SLAVE STATUS')).length === 0) {
        throw new SandboxError(SandboxCode.BadOptions, `${member.label} is not a replica`);
      }
      await runStatements(conn, lagStatements(change), member.label);
    });
    return result(member, member.pid, true);
  }

  /**
   * Cuts the link from `from` (`orc` or an instance) to `to`: `blackhole` drops bytes on open
   * and new flows silently, `reset` resets them. Other links, including other origins' flows
   * to the same server, are untouched. Cutting a cut link changes its mode.
   */
  cut(from: string, to: string, mode: CutMode = 'blackhole'): LinkStatus {
    this.assertOpen();
    const link = this.links.cut(from, to, mode);
    return this.cutLinks().find((l) => l.from === link.from && l.to === link.to) as LinkStatus;
  }

  /** Restores a cut link; returns false when it was not cut. See LinkMode for what heals. */
  heal(from: string, to: string): boolean {
    return this.links.heal(from, to) !== null;
  }

  /** Heals every cut link; returns the links it healed. */
  healAll(): LinkKey[] {
    return this.links.healAll();
  }

  /** The cut links, with their open flows. */
  cutLinks(): LinkStatus[] {
    return this.links.list((link) => this.member(link.to).flowsFrom(link.from));
  }

  private onLinkChange(link: LinkKey, mode: LinkMode): void {
    this.member(link.to).refreshLinks();
    this.emit('link-changed', { ...link, mode });
    this.settings.logger.info(
      { component: 'sandbox', peer: describeLink(link, this.records()) },
      mode === 'pass' ? 'link healed' : 'link cut',
    );
  }

  /**
   * Waits until `replicas` (default: every other running instance) run both replication
   * threads and have applied what `source` (default: the writable running instance) had when
   * the wait began. Throws SANDBOX_TIMEOUT saying who lags and why.
   */
  async waitForCatchUp(
    options: { source?: string; replicas?: readonly string[]; timeoutMs?: number } = {},
  ): Promise<void> {
    const source = this.member(options.source ?? (await this.writable()));
    const replicas = options.replicas
      ? options.replicas.map((r) => this.member(r))
      : [...this.members.values()].filter((m) => m !== source && m.running);
    await waitForCatchUp({
      source: source.record,
      replicas: replicas.map((m) => m.record),
      timeoutMs: options.timeoutMs ?? 30_000,
      clock: this.settings.clock,
    });
  }

  private async writable(): Promise<string> {
    const status = await this.status();
    return status.instances.find((i) => i.reachable && i.readOnly === false)?.name ?? 's1';
  }

  /**
   * A new connection to an instance, as `root` (default), `orc` or `app`, through its public
   * address (default, subject to cuts) or its private port. The caller ends it.
   */
  async connect(
    ref: string | number,
    options: {
      user?: 'root' | 'orc' | 'app';
      via?: 'public' | 'private';
      connectTimeoutMs?: number;
    } = {},
  ): Promise<Connection> {
    const record = this.member(ref).record;
    const user = options.user ?? 'root';
    const credentials: Credentials =
      user === 'root' ? { user: 'root', password: '' } : this.base.users[user];
    const port = options.via === 'private' ? record.privatePort : record.publicPort;
    return connect(port, {
      credentials,
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
    });
  }

  /**
   * Stops every server (SIGTERM, waiting for each exit) and every proxy. With `purge` the
   * directory is removed; else sandbox.json stays, recording that nothing runs. Idempotent.
   */
  async down(options: { purge?: boolean } = {}): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await Promise.all([...this.members.values()].map((m) => m.shutdown()));
      await this.saving;
      if (!options.purge) await writeState(this.state());
    }
    if (options.purge) await rm(this.base.dir, { recursive: true, force: true });
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new SandboxError(SandboxCode.NotRunning, `the sandbox in ${this.base.dir} is down`);
    }
  }

  private member(ref: string | number): Member {
    return this.members.get(this.resolve(ref)) as Member;
  }

  private records(): InstanceRecord[] {
    return [...this.members.values()].map((m) => m.record);
  }
}

function downError(member: Member): SandboxError {
  return new SandboxError(
    SandboxCode.InstanceDown,
    `${member.label} is not running: start it with \`orc sandbox start ${member.name}\``,
    { context: { instance: publicAddress(member.record) } },
  );
}

function result(member: Member, pid: number | null, changed: boolean): OperationResult {
  return { instance: member.name, address: publicAddress(member.record), pid, changed };
}

function info(record: InstanceRecord): InstanceInfo {
  return {
    name: record.name,
    host: SANDBOX_HOST,
    port: record.publicPort,
    privatePort: record.privatePort,
    serverId: record.serverId,
    plannedRole: record.plannedRole,
    plannedSource: record.plannedSource,
  };
}
