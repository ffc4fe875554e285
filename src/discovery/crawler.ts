import type { ServerFacts } from '../mysql/index.js';
import { instanceKeyId, type InstanceKey, type ReplicationChannel } from '../topology/index.js';
import { crawlCandidates, planCrawl } from './crawl.js';
import { contradicts } from './derive.js';
import type { DiscoveryEvent, Origin } from './events.js';
import type { Registry, Tracked } from './registry.js';
import type { HostnameResolver } from './resolve.js';
import type { PollScheduler } from './scheduler.js';
import type { DiscoverySettings } from './settings.js';

/** A confirmed alias is written again (its `seen_at` refreshed) at most this often. */
const ALIAS_TOUCH_MS = 60 * 60_000;

export interface CrawlerDeps {
  readonly clock: { now(): number };
  readonly settings: DiscoverySettings;
  readonly store: {
    readonly instanceAliases: {
      record(alias: InstanceKey, canonical: InstanceKey): Promise<void>;
      forget(alias: InstanceKey): Promise<boolean>;
    };
  };
  readonly registry: Registry;
  readonly scheduler: PollScheduler;
  readonly resolver: HostnameResolver;
  readonly emit: (event: DiscoveryEvent) => void;
  readonly track: (key: InstanceKey, origin: Origin, referrer: string | undefined) => boolean;
}

/**
 * Follows what one probe points at: up to the sources its replication connections name,
 * down to its replicas, and to the key the server names for itself. Every address is
 * resolved, checked against the known names and the filters, and probed at once when new.
 * A source address known as an alias is checked against the identity the replica's
 * connection reports (Master_Server_Id, Master_UUID): when they disagree (a VIP moved to
 * another server), the alias is dropped and the address probed again.
 */
export class Crawler {
  /** Addresses that did not answer their first probe, and when they may be tried again. */
  private readonly retryAt = new Map<string, number>();
  private readonly touched = new Map<string, number>();

  constructor(private readonly deps: CrawlerDeps) {}

  async crawl(
    t: Tracked,
    facts: Pick<Partial<ServerFacts>, 'replication' | 'otherChannels' | 'replicas'>,
    preferred: InstanceKey | undefined,
  ): Promise<void> {
    const { registry, resolver, settings } = this.deps;
    const channels = [
      ...(facts.replication === undefined ? [] : [facts.replication]),
      ...(facts.otherChannels ?? []),
    ];
    const raw = crawlCandidates({ ...facts, replicas: facts.replicas ?? [] }, preferred);
    const candidates = await Promise.all(
      raw.map(async (c) => ({ ...c, key: await resolver.resolveKey(c.key) })),
    );
    if (registry.get(t.id) !== t) return;

    channels.forEach((channel, i) => {
      const source = candidates[i];
      if (source !== undefined) this.checkSourceAlias(t, channel, source.key);
    });
    const plan = planCrawl(candidates, {
      self: t.id,
      isKnown: (id) => registry.knows(id) || this.recentlyUnreachable(id),
      filters: settings.filters,
    });
    for (const f of plan.filtered) {
      this.deps.emit({ type: 'address-filtered', key: f.key, foundAs: f.foundAs, match: f.match });
    }
    for (const c of plan.probe) {
      this.deps.track(c.key, 'crawl', c.foundAs === 'replica' ? undefined : t.id);
    }
  }

  /** An address that never answered is not crawled to again before one poll interval. */
  noteUnreachable(id: string): void {
    this.retryAt.set(id, this.deps.clock.now() + this.deps.settings.pollMs);
    if (this.retryAt.size > 10_000) this.prune();
  }

  /** True while an address that did not answer its first probe waits for its retry. */
  recentlyUnreachable(id: string): boolean {
    return (this.retryAt.get(id) ?? 0) > this.deps.clock.now();
  }

  noteAlias(id: string): void {
    this.retryAt.delete(id);
    this.touched.set(id, this.deps.clock.now());
  }

  private checkSourceAlias(t: Tracked, channel: ReplicationChannel, key: InstanceKey): void {
    const { registry } = this.deps;
    const id = instanceKeyId(key);
    const pending = registry.get(id);
    if (pending !== undefined && pending.record === undefined) pending.referrers.add(t.id);
    const canonicalId = registry.identities.canonicalOf(id);
    if (canonicalId === undefined || canonicalId === id) return;
    const canonical = registry.get(canonicalId);
    if (canonical?.record === undefined) return;

    if (contradicts(channel, canonical.record)) {
      registry.identities.removeAlias(id);
      this.touched.delete(id);
      this.deps.store.instanceAliases.forget(key).catch((error: unknown) => {
        this.deps.emit({ type: 'store-failed', operation: 'forget an instance alias', error });
      });
      this.deps.emit({ type: 'alias-dropped', alias: key, canonical: canonical.key });
      return;
    }
    const now = this.deps.clock.now();
    if (now - (this.touched.get(id) ?? 0) < ALIAS_TOUCH_MS) return;
    this.touched.set(id, now);
    this.deps.store.instanceAliases.record(key, canonical.key).catch((error: unknown) => {
      this.deps.emit({ type: 'store-failed', operation: 'record an instance alias', error });
    });
  }

  private prune(): void {
    const now = this.deps.clock.now();
    for (const [id, at] of this.retryAt) if (at <= now) this.retryAt.delete(id);
  }
}
