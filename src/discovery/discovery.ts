import { instanceKeyId, type Instance, type InstanceKey } from '../topology/index.js';
import { caretake, Periodic } from './caretaking.js';
import { Decisions } from './decisions.js';
import {
  DiscoveryCode,
  DiscoveryError,
  type DiscoveryEvent,
  type DiscoveryListener,
  type Origin,
  type ProbeFailureInfo,
} from './events.js';
import { filterMatch } from './filters.js';
import { preferredKey } from './identity.js';
import type { DiscoveryOptions, ObservedServer } from './options.js';
import { ProbeOutcomes } from './outcomes.js';
import { Registry, type Tracked, type Waiter } from './registry.js';
import { HostnameResolver, systemDns } from './resolve.js';
import { PollScheduler } from './scheduler.js';

/**
 * Continuous discovery: polls every known server every `InstancePollSeconds` with at most
 * `DiscoveryMaxConcurrency` probes in flight, crawls up to sources and down to replicas,
 * merges the names of one server into one instance (identity, not names: see identity.ts),
 * and writes what it learns through the instance write buffer.
 *
 * Lifecycle: `start()` loads what the backend knows and probes seeds and known servers at
 * once; `stop()` stops polling and waits for probes in flight (the caller then flushes the
 * writer). Discovery never logs: it emits DiscoveryEvents and updates DiscoveryMetrics. In
 * the shared-backend mode only the leader runs it; in raft mode every node runs its own.
 */
export class Discovery {
  private readonly registry = new Registry();
  private readonly scheduler: PollScheduler;
  private readonly resolver: HostnameResolver;
  private readonly decisions: Decisions;
  private readonly outcomes: ProbeOutcomes;
  private readonly listeners = new Set<DiscoveryListener>();
  private readonly caretaker: Periodic;
  private state: 'new' | 'running' | 'stopped' = 'new';

  constructor(private readonly options: DiscoveryOptions) {
    const { clock, settings, store } = options;
    const onStoreError = (operation: string, error: unknown) =>
      this.emit({ type: 'store-failed', operation, error });
    this.scheduler = new PollScheduler({
      clock,
      maxConcurrency: settings.maxConcurrency,
      deadMaxConcurrency: settings.deadMaxConcurrency,
      run: (id) => this.poll(id),
      onQueueDepth: (depth) => options.metrics?.setQueueDepth(depth),
    });
    this.resolver = new HostnameResolver({
      method: settings.resolveMethod,
      reject: settings.rejectResolvePattern,
      ttlMs: settings.resolveExpiryMs,
      clock,
      dns: options.dns ?? systemDns,
      store: store.hostnames,
      onStoreError: (err: unknown) => onStoreError('cache a resolved host name', err),
    });
    this.decisions = new Decisions(store, clock, settings.candidateExpiryMs, onStoreError);
    this.caretaker = new Periodic(clock, settings.caretakingIntervalMs, () =>
      this.caretakeOnce().catch((error: unknown) => onStoreError('caretaking', error)),
    );
    this.outcomes = new ProbeOutcomes({
      ...options,
      registry: this.registry,
      scheduler: this.scheduler,
      resolver: this.resolver,
      decisions: this.decisions,
      emit: (event) => this.emit(event),
      track: (key, origin, referrer) => this.track(key, origin, { referrer }) !== undefined,
    });
  }

  /**
   * Loads the backend's instances, aliases and decisions, then polls every known server and
   * every seed at once. Seeds and addresses found by crawling are probed as soon as a poller
   * is free; nothing waits for a poll interval. Rejects when the backend cannot be read.
   */
  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'running';
    const { store, clock, settings } = this.options;
    await this.resolver.warm();
    await this.decisions.load();
    const [rows, aliases] = await Promise.all([store.instances.all(), store.instanceAliases.all()]);
    const { merged } = this.registry.load(rows, (row) => this.preferredId(row));
    for (const { alias, canonical } of merged) this.outcomes.retire(alias, canonical.id);
    for (const a of aliases) {
      const alias = instanceKeyId(a.alias);
      if (this.registry.get(alias) === undefined && this.registry.get(instanceKeyId(a.canonical))) {
        this.registry.identities.addAlias(alias, instanceKeyId(a.canonical));
      }
    }
    for (const t of this.registry.all()) this.scheduler.schedule(t.id, clock.now(), 'live');
    await this.addSeeds(settings.seeds);
    this.scheduler.start();
    if (this.options.caretaking !== false) this.caretaker.start();
  }

  /** Stops polling and caretaking; resolves when probes in flight have ended. Idempotent. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    await this.caretaker.stop();
    await this.scheduler.stop();
    const stopped = this.error(DiscoveryCode.Stopped, 'discovery is stopped', undefined);
    for (const t of this.registry.all()) {
      for (const w of [...t.waiting.splice(0), ...t.inProbe.splice(0)]) w.reject(stopped);
    }
  }

  /**
   * Probes `key` now and resolves with the instance stored for it. A new address is
   * followed (crawled) and polled from then on; an address that turns out to be another name
   * of a known server resolves with that server's instance. Rejects with DiscoveryError
   * `DISCOVERY_UNREACHABLE` (the probe's error as cause) when it does not answer,
   * `DISCOVERY_FILTERED` when DiscoveryIgnoreHostnameFilters excludes it. Used by the API.
   */
  async discover(key: InstanceKey): Promise<Instance> {
    this.assertRunning();
    const resolved = await this.resolver.resolveKey(key);
    const match = filterMatch(this.options.settings.filters, resolved, 'direct');
    if (match !== undefined) {
      const text = `${resolved.host}:${resolved.port}`;
      throw this.error(
        DiscoveryCode.Filtered,
        `cannot discover ${text}: it matches discovery filter "${match.pattern}"`,
        text,
      );
    }
    return new Promise<Instance>((resolve, reject) => {
      const t = this.track(resolved, 'api', { urgent: true, waiter: { resolve, reject } });
      if (t === undefined)
        reject(this.error(DiscoveryCode.Stopped, 'discovery is full', undefined));
    });
  }

  /** `discover` without waiting: the outcome arrives as events. */
  asyncDiscover(key: InstanceKey): void {
    this.discover(key).catch(() => undefined);
  }

  /**
   * Probes a known server now (re-reading its registered promotion rule and its cluster's
   * alias override first) and resolves with its new instance. Rejects with
   * `DISCOVERY_UNKNOWN_INSTANCE` for an address discovery does not know.
   */
  async refresh(key: InstanceKey): Promise<Instance> {
    this.assertRunning();
    const t = this.mustKnow(await this.resolver.resolveKey(key));
    await this.decisions.reload(t.key, t.record?.cluster.name);
    this.scheduler.runNow(t.id);
    return this.waitFor(t);
  }

  /**
   * Stops polling the server `key` names and deletes its row and its aliases from the
   * backend; false when discovery did not know it. A server still replicating from or to a
   * known one is found again by the next crawl, as in orchestrator.
   */
  async forget(key: InstanceKey, reason: 'api' | 'unseen' = 'api'): Promise<boolean> {
    const t = this.registry.resolve(instanceKeyId(await this.resolver.resolveKey(key)));
    if (t === undefined) return false;
    await this.outcomes.forget(t, reason);
    return true;
  }

  /** Forgets every server not seen since `cutoff` (tentative seeds count from their start). */
  async forgetUnseenBefore(cutoff: number): Promise<number> {
    const old = [...this.registry.all()].filter((t) => {
      const seen = t.record?.timing.lastSeenAt ?? t.record?.timing.lastCheckedAt;
      return seen !== undefined && seen < cutoff;
    });
    for (const t of old) await this.outcomes.forget(t, 'unseen');
    return old.length;
  }

  /** The stored instance of the server `key` names (through an alias too), if known. */
  instance(key: InstanceKey): Instance | undefined {
    return this.registry.recordOf(key);
  }

  /** The canonical key of the server `key` names; `key` itself when it is no known alias. */
  canonicalKey(key: InstanceKey): InstanceKey {
    return this.registry.canonicalKey(key);
  }

  /** `canonicalKey` after host name resolution: the key orc stores for a name a caller gave. */
  async resolveAlias(key: InstanceKey): Promise<InstanceKey> {
    return this.registry.canonicalKey(await this.resolver.resolveKey(key));
  }

  /** Why the last probe of the server `key` names failed; undefined when it answered. */
  lastProbeError(key: InstanceKey): ProbeFailureInfo | undefined {
    return this.registry.resolve(instanceKeyId(key))?.lastError;
  }

  /** Every known server with its last probe error: what the analysis snapshot is built from. */
  observed(): ObservedServer[] {
    const out: ObservedServer[] = [];
    for (const t of this.registry.all()) {
      if (t.record === undefined) continue;
      out.push(
        t.lastError ? { instance: t.record, lastProbeError: t.lastError } : { instance: t.record },
      );
    }
    return out;
  }

  /** Every alias and the canonical key it names. */
  aliases(): { alias: string; canonical: string }[] {
    return this.registry.identities.aliases().map(([alias, canonical]) => ({ alias, canonical }));
  }

  stats() {
    return {
      ...this.outcomes.counts(),
      aliases: this.registry.identities.aliasCount,
      ...this.scheduler.stats(),
    };
  }

  /**
   * Resolves true once no probe is running or waiting for a poller (the crawl from the seeds
   * has settled), false when `timeoutMs` passes first. Polls every few ms; for start-up
   * ordering and tests, not for hot paths.
   */
  async idle(timeoutMs: number): Promise<boolean> {
    const { clock } = this.options;
    const deadline = clock.monotonic() + timeoutMs;
    for (;;) {
      const { ready, running } = this.scheduler.stats();
      if (ready === 0 && running === 0) return true;
      if (clock.monotonic() >= deadline) return false;
      await clock.sleep(5);
    }
  }

  /** Adds a listener; returns an idempotent unsubscribe. A listener's exception is ignored. */
  subscribe(listener: DiscoveryListener): () => void {
    const entry: DiscoveryListener = (event) => listener(event);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Runs one caretaking pass now (also run every `caretakingIntervalMs`). */
  async caretakeOnce(): Promise<void> {
    const started = this.options.clock.monotonic();
    const removed = await caretake({
      store: this.options.store,
      settings: this.options.settings,
      clock: this.options.clock,
      forgetUnseenBefore: (cutoff) => this.forgetUnseenBefore(cutoff),
      reloadDecisions: () => this.decisions.load(),
      onError: (operation, error) => this.emit({ type: 'store-failed', operation, error }),
    });
    const durationMs = this.options.clock.monotonic() - started;
    this.emit({ type: 'caretaking-done', removed, durationMs });
  }

  private async addSeeds(seeds: readonly InstanceKey[]): Promise<void> {
    for (const seed of seeds) {
      const key = await this.resolver.resolveKey(seed);
      const match = filterMatch(this.options.settings.filters, key, 'direct');
      if (match !== undefined) {
        this.emit({ type: 'address-filtered', key, foundAs: 'direct', match });
        continue;
      }
      const t = this.track(key, 'seed', { urgent: true });
      if (t !== undefined) t.pinned = true;
    }
  }

  /**
   * Starts polling `key` unless it is known (polled, queued, or an alias), and returns what
   * polls it. New addresses are probed at once; `referrer` is refreshed once this address
   * is settled. Undefined when the queue of new addresses is full.
   */
  private track(
    key: InstanceKey,
    origin: Origin,
    options: { referrer?: string | undefined; urgent?: boolean; waiter?: Waiter } = {},
  ): Tracked | undefined {
    const id = instanceKeyId(key);
    const known = this.registry.resolve(id);
    if (known !== undefined) {
      if (options.waiter !== undefined) known.waiting.push(options.waiter);
      if (options.referrer !== undefined && known.record === undefined)
        known.referrers.add(options.referrer);
      if (options.urgent === true) this.scheduler.runNow(known.id);
      return known;
    }
    if (origin === 'crawl' && this.outcomes.pendingNew() >= this.options.settings.queueCapacity) {
      this.emit({ type: 'queue-full', key });
      return undefined;
    }
    const t = this.registry.add(key, origin);
    if (options.referrer !== undefined) t.referrers.add(options.referrer);
    if (options.waiter !== undefined) t.waiting.push(options.waiter);
    this.scheduler.runNow(id);
    return t;
  }

  /** Polls one address: the scheduler's run callback. */
  private async poll(id: string): Promise<void> {
    const t = this.registry.get(id);
    if (t === undefined) return;
    t.inProbe.push(...t.waiting.splice(0));
    const probe = await this.options.probe(t.key);
    if (this.registry.get(id) !== t || this.state !== 'running') {
      const gone = this.error(DiscoveryCode.Stopped, `${id} is no longer polled`, id);
      for (const w of t.inProbe.splice(0)) w.reject(gone);
      return;
    }
    await this.outcomes.handle(t, probe);
  }

  private waitFor(t: Tracked): Promise<Instance> {
    return new Promise<Instance>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      t.waiting.push(waiter);
      this.scheduler.runNow(t.id);
    });
  }

  private mustKnow(key: InstanceKey): Tracked {
    const t = this.registry.resolve(instanceKeyId(key));
    if (t !== undefined) return t;
    const text = `${key.host}:${key.port}`;
    throw this.error(DiscoveryCode.UnknownInstance, `unknown instance ${text}`, text);
  }

  private preferredId(row: Instance): string | undefined {
    const key = preferredKey(row, row.key.port, this.options.settings.serverNameMethod);
    return key === undefined ? undefined : instanceKeyId(key);
  }

  private assertRunning(): void {
    if (this.state !== 'running') {
      throw this.error(DiscoveryCode.Stopped, 'discovery is not running', undefined);
    }
  }

  private error(code: DiscoveryError['code'], message: string, instance: string | undefined) {
    return new DiscoveryError(
      code,
      message,
      instance === undefined ? {} : { context: { instance } },
    );
  }

  private emit(event: DiscoveryEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}
