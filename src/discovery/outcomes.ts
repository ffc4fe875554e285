import type { Clock } from '../common/clock.js';
import { probeFailure, type ProbeResult, type ServerIdentity } from '../mysql/index.js';
import {
  instanceKeyId,
  parseInstanceKey,
  type Instance,
  type InstanceKey,
} from '../topology/index.js';
import { Crawler } from './crawler.js';
import type { Decisions } from './decisions.js';
import { assembleInstance, type AssemblyLookups } from './derive.js';
import { pollDelayMs } from './due-heap.js';
import {
  DiscoveryCode,
  DiscoveryError,
  type DiscoveryEvent,
  type DiscoveryMetrics,
  type Origin,
  type ProbeFailureInfo,
} from './events.js';
import { filterMatch } from './filters.js';
import { fingerprint, preferredKey } from './identity.js';
import type { Registry, Tracked } from './registry.js';
import type { HostnameResolver } from './resolve.js';
import type { PollScheduler } from './scheduler.js';
import type { DiscoverySettings } from './settings.js';

/** Where discovery's instance rows go (the service's InstanceWriteBuffer). */
export interface InstanceWriter {
  upsert(instance: Instance): void;
  recordProbeFailure(key: InstanceKey, options?: { at?: number; partialSuccess?: boolean }): void;
  /** Writes what is pending; throws the last write error. */
  flush(): Promise<void>;
}

/** The backend repositories used when names merge or servers are forgotten. */
export interface OutcomeStore {
  readonly instances: { forget(key: InstanceKey): Promise<boolean> };
  readonly instanceAliases: {
    record(alias: InstanceKey, canonical: InstanceKey, options?: { at?: number }): Promise<void>;
    forget(alias: InstanceKey): Promise<boolean>;
    forgetCanonical(canonical: InstanceKey): Promise<number>;
  };
}

export interface OutcomeDeps {
  readonly clock: Clock;
  readonly settings: DiscoverySettings;
  readonly store: OutcomeStore;
  readonly writer: InstanceWriter;
  readonly metrics?: DiscoveryMetrics | undefined;
  readonly registry: Registry;
  readonly scheduler: PollScheduler;
  readonly resolver: HostnameResolver;
  readonly decisions: Decisions;
  readonly emit: (event: DiscoveryEvent) => void;
  /** Starts polling an address (unless known); false when it could not be queued. */
  readonly track: (key: InstanceKey, origin: Origin, referrer: string | undefined) => boolean;
}

/**
 * What discovery does with each probe: decide whose address it was (identity), assemble and
 * write the instance or the failure mark, schedule the next poll, crawl, and answer callers
 * waiting on the probe. Also the name merges (alias, takeover) and forgetting.
 */
export class ProbeOutcomes {
  private readonly failing = new Set<string>();
  private readonly crawler: Crawler;

  constructor(private readonly deps: OutcomeDeps) {
    this.crawler = new Crawler(deps);
  }

  async handle(t: Tracked, probe: ProbeResult): Promise<void> {
    const { deps } = this;
    deps.emit({ type: 'probed', key: t.key, outcome: probe.outcome, durationMs: probe.durationMs });
    deps.metrics?.observeProbe(probe.outcome === 'ok' ? 'ok' : 'failed', probe.durationMs / 1000);
    const identity = probe.outcome === 'failed' ? undefined : probe.facts.identity;
    if (identity === undefined) this.failed(t, probe);
    else await this.answered(t, probe, identity);
    this.reportCounts();
  }

  /** New addresses waiting for their first answer. */
  pendingNew(): number {
    return this.deps.registry.tentative;
  }

  counts(): { tracked: number; tentative: number; failing: number } {
    const { registry } = this.deps;
    return { tracked: registry.size, tentative: registry.tentative, failing: this.failing.size };
  }

  private async answered(t: Tracked, probe: ProbeResult, identity: ServerIdentity) {
    const { registry, settings } = this.deps;
    const named = preferredKey(identity, t.key.port, settings.serverNameMethod);
    const preferred = named && (await this.deps.resolver.resolveKey(named));
    if (registry.get(t.id) !== t) return;

    const print = fingerprint(identity);
    const verdict = registry.identities.judge(t.id, print, {
      preferred: preferred && instanceKeyId(preferred),
      failing: (id) => this.failing.has(id),
    });
    if (verdict.kind === 'alias') {
      this.becomeAlias(t, verdict.canonical);
      return;
    }
    if (verdict.kind === 'self' && this.deferToPreferred(t, preferred)) return;
    if (verdict.kind === 'takeover') this.takeOver(t, verdict.from);
    for (const dropped of registry.identities.claim(t.id, print)) this.dropAlias(dropped, t.key);

    const edge = probe.facts.replication;
    const sourceKnown = edge !== undefined && registry.recordOf(edge.sourceKey) !== undefined;
    const record = assembleInstance(probe, t.record, this.lookups(t));
    if (record === undefined) return;
    this.deps.writer.upsert(record);
    this.settle(t, probe, record);
    await this.crawler.crawl(t, probe.facts, preferred);
    if (edge !== undefined && !sourceKnown && registry.recordOf(edge.sourceKey) !== undefined) {
      this.deps.scheduler.runNow(t.id);
    }
  }

  /**
   * A new address whose server names another key for itself, not known yet, waits: the
   * preferred key is probed first, and this address is probed again after it, so it becomes
   * an alias at once instead of being stored for a moment under a proxy's or link's name.
   */
  private deferToPreferred(t: Tracked, preferred: InstanceKey | undefined): boolean {
    if (t.record !== undefined || preferred === undefined) return false;
    const { registry, settings } = this.deps;
    const id = instanceKeyId(preferred);
    if (id === t.id || this.crawler.recentlyUnreachable(id)) return false;
    const queued = registry.get(id);
    if (queued !== undefined && queued.record === undefined) {
      if (queued.failures > 0) return false;
      queued.referrers.add(t.id);
    } else {
      if (registry.knows(id)) return false;
      if (filterMatch(settings.filters, preferred, 'direct') !== undefined) return false;
      if (!this.deps.track(preferred, 'crawl', t.id)) return false;
    }
    t.waiting.unshift(...t.inProbe.splice(0));
    return true;
  }

  /** Bookkeeping after an answer: state, events, cascades, callers, next poll. */
  private settle(t: Tracked, probe: ProbeResult, record: Instance): void {
    const { registry, scheduler, emit } = this.deps;
    const before = t.record;
    const failures = t.failures;
    const error = probeFailure(probe);
    t.failures = error === undefined ? 0 : failures + 1;
    t.lastError = error;
    t.dead = false;
    if (error === undefined) this.failing.delete(t.id);
    else this.failing.add(t.id);
    registry.setRecord(t, record);
    if (before === undefined) emit({ type: 'instance-discovered', key: t.key, origin: t.origin });
    else if (failures > 0 && error === undefined) {
      emit({ type: 'instance-recovered', key: t.key, failures });
    }

    this.deps.decisions.noteProbe(record, probe.facts.metadata);
    if (before !== undefined && clusterChanged(before, record)) {
      for (const id of registry.replicasOf(t.id)) scheduler.runNow(id);
    }
    this.releaseReferrers(t);
    for (const w of t.inProbe.splice(0)) w.resolve(record);
    this.scheduleNext(t, probe);
  }

  private failed(t: Tracked, probe: ProbeResult): void {
    const info = probeFailure(probe) as ProbeFailureInfo;
    const error = new DiscoveryError(
      DiscoveryCode.Unreachable,
      `cannot discover ${t.id}: ${info.message}`,
      { cause: probe.outcome === 'ok' ? undefined : probe.error, context: { instance: t.id } },
    );
    for (const w of t.inProbe.splice(0)) w.reject(error);
    if (t.record === undefined && !t.pinned) {
      this.dropTentative(t, info, error);
      return;
    }
    t.failures++;
    t.lastError = info;
    t.dead = info.kind === 'unreachable' || info.kind === 'timeout';
    this.releaseReferrers(t);
    if (t.record !== undefined) {
      this.failing.add(t.id);
      this.deps.writer.recordProbeFailure(t.key, { at: probe.checkedAt, partialSuccess: false });
      this.deps.registry.setRecord(t, withFailure(t.record, probe));
    }
    const nextPollMs = this.scheduleNext(t, probe);
    this.deps.emit({
      type: 'probe-failed',
      key: t.key,
      failure: info,
      failures: t.failures,
      nextPollMs,
    });
  }

  private dropTentative(t: Tracked, failure: ProbeFailureInfo, error: Error): void {
    const { registry, scheduler } = this.deps;
    for (const w of t.waiting.splice(0)) w.reject(error);
    registry.remove(t.id);
    scheduler.remove(t.id);
    this.releaseReferrers(t);
    this.crawler.noteUnreachable(t.id);
    this.deps.emit({ type: 'address-unreachable', key: t.key, failure, origin: t.origin });
  }

  /** Re-probes the servers whose assembly waited on `t`, now that `t` is settled. */
  private releaseReferrers(t: Tracked): void {
    const { registry, scheduler } = this.deps;
    for (const id of t.referrers) if (registry.get(id) !== undefined) scheduler.runNow(id);
    t.referrers.clear();
  }

  /** Schedules the next poll after `probe`; returns the interval chosen. */
  private scheduleNext(t: Tracked, probe: ProbeResult): number {
    const { settings, clock, scheduler } = this.deps;
    const exempt = this.isPrimaryLike(t);
    const delay = pollDelayMs({
      pollMs: settings.pollMs,
      failures: t.failures,
      factor: settings.deadPollFactor,
      maxMs: settings.deadPollMaxMs,
      exempt,
    });
    const lane = !t.dead ? 'live' : exempt ? 'dead-primary' : 'dead';
    scheduler.schedule(t.id, Math.max(probe.attemptedAt + delay, clock.now()), lane);
    return delay;
  }

  /** Primaries and intermediate primaries: analysis needs them fresh, so no back-off. */
  private isPrimaryLike(t: Tracked): boolean {
    const r = t.record;
    if (r === undefined) return false;
    return r.replication === undefined || this.deps.registry.replicasOf(t.id).length > 0;
  }

  /** `t` reached the server known as `canonicalId`: keep `t` only as an alias of it. */
  private becomeAlias(t: Tracked, canonicalId: string): void {
    const { registry, scheduler, store, emit } = this.deps;
    const canonical = registry.get(canonicalId);
    if (canonical === undefined) return;
    registry.remove(t.id);
    scheduler.remove(t.id);
    this.failing.delete(t.id);
    if (registry.identities.canonicalOf(t.id) === t.id) {
      for (const a of registry.identities.releaseCanonical(t.id)) this.dropAlias(a, t.key);
    }
    registry.identities.addAlias(t.id, canonicalId);
    this.background('record an instance alias', () =>
      store.instanceAliases.record(t.key, canonical.key),
    );
    if (t.record !== undefined) this.forgetRow(t.key);
    emit({ type: 'alias-recorded', alias: t.key, canonical: canonical.key });
    this.releaseReferrers(t);

    const waiters = [...t.inProbe.splice(0), ...t.waiting.splice(0)];
    if (canonical.record !== undefined) for (const w of waiters) w.resolve(canonical.record);
    else canonical.waiting.push(...waiters);
    this.crawler.noteAlias(t.id);
  }

  /** `t` is the better name of the server known as `fromId`, which becomes its alias. */
  private takeOver(t: Tracked, fromId: string): void {
    const { registry, scheduler, store, emit } = this.deps;
    const from = registry.get(fromId);
    const moved = registry.identities.takeover(t.id, fromId);
    this.failing.delete(fromId);
    if (from !== undefined) {
      const replicas = registry.replicasOf(fromId);
      registry.remove(fromId);
      scheduler.remove(fromId);
      t.pinned ||= from.pinned;
      t.origin = from.origin;
      if (t.record === undefined && from.record !== undefined) registry.setRecord(t, from.record);
      t.inProbe.push(...from.waiting.splice(0), ...from.inProbe.splice(0));
      for (const id of from.referrers) t.referrers.add(id);
      for (const id of replicas) scheduler.runNow(id);
      if (from.record !== undefined) this.forgetRow(from.key);
    }
    for (const alias of moved) {
      const aliasKey = parseInstanceKey(alias, t.key.port);
      this.background('record an instance alias', () =>
        store.instanceAliases.record(aliasKey, t.key),
      );
    }
    const fromKey = from?.key ?? parseInstanceKey(fromId, t.key.port);
    emit({ type: 'canonical-changed', from: fromKey, to: t.key });
  }

  private dropAlias(aliasId: string, canonical: InstanceKey): void {
    const alias = parseInstanceKey(aliasId, canonical.port);
    this.deps.registry.identities.removeAlias(aliasId);
    this.background('forget an instance alias', () =>
      this.deps.store.instanceAliases.forget(alias),
    );
    this.deps.emit({ type: 'alias-dropped', alias, canonical });
  }

  /** Start-up merge of two stored rows of one server: the alias row goes. */
  retire(alias: Tracked, canonicalId: string): void {
    const canonical = parseInstanceKey(canonicalId, alias.key.port);
    this.background('record an instance alias', () =>
      this.deps.store.instanceAliases.record(alias.key, canonical),
    );
    this.forgetRow(alias.key);
  }

  /** Stops polling `t`, deletes its row and aliases. */
  async forget(t: Tracked, reason: 'api' | 'unseen'): Promise<void> {
    const { registry, scheduler, store, writer, emit } = this.deps;
    registry.remove(t.id);
    scheduler.remove(t.id);
    this.failing.delete(t.id);
    registry.identities.releaseCanonical(t.id);
    const gone = new DiscoveryError(DiscoveryCode.UnknownInstance, `${t.id} was forgotten`, {
      context: { instance: t.id },
    });
    for (const w of [...t.waiting.splice(0), ...t.inProbe.splice(0)]) w.reject(gone);
    await writer.flush().catch(() => undefined);
    try {
      await store.instances.forget(t.key);
      await store.instanceAliases.forgetCanonical(t.key);
    } catch (error) {
      emit({ type: 'store-failed', operation: 'forget an instance', error });
    }
    emit({ type: 'instance-forgotten', key: t.key, reason });
    this.reportCounts();
  }

  /** Deletes the row stored under a name that is now an alias, after pending writes. */
  private forgetRow(key: InstanceKey): void {
    this.background('forget a replaced instance row', async () => {
      await this.deps.writer.flush().catch(() => undefined);
      await this.deps.store.instances.forget(key);
    });
    this.deps.emit({ type: 'instance-forgotten', key, reason: 'replaced' });
  }

  private lookups(t: Tracked): AssemblyLookups {
    const { registry, decisions, settings } = this.deps;
    return {
      recordOf: (key) => registry.recordOf(key),
      canonicalOf: (key) => registry.canonicalKey(key),
      promotionRule: decisions.promotionRule(t.key),
      aliasOverride: (name) => decisions.aliasOverride(name),
      settings,
    };
  }

  private background(operation: string, write: () => Promise<unknown>): void {
    write().catch((error: unknown) => this.deps.emit({ type: 'store-failed', operation, error }));
  }

  private reportCounts(): void {
    const { registry, metrics } = this.deps;
    if (metrics === undefined) return;
    const unreachable = this.failing.size;
    const ok = Math.max(0, registry.size - registry.tentative - unreachable);
    metrics.setInstanceCounts({ ok, unreachable });
  }
}

function clusterChanged(a: Instance, b: Instance): boolean {
  const x = a.cluster;
  const y = b.cluster;
  return x.name !== y.name || x.alias !== y.alias || x.domain !== y.domain || x.depth !== y.depth;
}

/** The record after a probe that reached nothing: checked and attempted move, seen does not. */
function withFailure(i: Instance, probe: ProbeResult): Instance {
  return {
    ...i,
    timing: {
      ...i.timing,
      lastAttemptedAt: probe.attemptedAt,
      lastCheckedAt: probe.checkedAt,
      partialSuccess: false,
      probeDurationMs: probe.durationMs,
    },
  };
}
