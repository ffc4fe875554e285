import * as dns from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Clock } from '../common/clock.js';
import { instanceKey, type InstanceKey } from '../topology/index.js';
import type { HostnameResolveMethod } from './settings.js';

/** The DNS calls resolution needs; `node:dns/promises` in the service, a table in tests. */
export interface DnsLookup {
  /** The first address of `host` (A/AAAA or /etc/hosts). */
  lookup(host: string): Promise<string>;
  /** The CNAME targets of `host`; rejects (ENODATA) when it has none. */
  resolveCname(host: string): Promise<string[]>;
}

/** The system resolver (`node:dns/promises`): /etc/hosts, then DNS. */
export const systemDns: DnsLookup = {
  lookup: async (host) => (await dns.lookup(host)).address,
  resolveCname: (host) => dns.resolveCname(host),
};

/** The part of the backend's resolve cache this module uses. */
export interface ResolveCacheStore {
  putResolved(hostname: string, resolved: string, options?: { at?: number }): Promise<void>;
  allResolved(): Promise<{ hostname: string; target: string; at: number }[]>;
}

export interface HostnameResolverOptions {
  readonly method: HostnameResolveMethod;
  /** `RejectHostnameResolvePattern`: matching results are refused, the name is kept. */
  readonly reject: RegExp | undefined;
  /** How long a result is trusted (`ExpiryHostnameResolvesMinutes`). */
  readonly ttlMs: number;
  readonly clock: Clock;
  readonly dns: DnsLookup;
  /** Where results persist across restarts; omitted in tests. */
  readonly store?: ResolveCacheStore | undefined;
  /** Called when the store refuses a write (relaxed data: the next resolve writes again). */
  readonly onStoreError?: (err: unknown) => void;
}

/**
 * orchestrator's host name resolution: every address discovery meets goes through
 * `resolveKey` before it is compared or probed, so one server is not known under both a
 * name and its CNAME or IP. `default` keeps names as given; `none` too (and caches nothing);
 * `cname` follows one CNAME; `ip` resolves to an address. IP literals are never resolved. A
 * failed lookup keeps the name; results are cached in memory and in the backend for `ttlMs`.
 */
export class HostnameResolver {
  private readonly cache = new Map<string, { target: string; at: number }>();

  constructor(private readonly options: HostnameResolverOptions) {}

  /** Loads the backend's cache (entries younger than the TTL). */
  async warm(): Promise<void> {
    const { store, clock, ttlMs } = this.options;
    if (store === undefined || !this.resolves()) return;
    for (const entry of await store.allResolved()) {
      if (entry.at + ttlMs > clock.now()) this.cache.set(entry.hostname, entry);
    }
  }

  /** The key with its host resolved; the port is kept. */
  async resolveKey(key: InstanceKey): Promise<InstanceKey> {
    const host = await this.resolve(key.host);
    return host === key.host ? key : instanceKey(host, key.port);
  }

  async resolve(host: string): Promise<string> {
    if (!this.resolves() || isIP(host) !== 0) return host;
    const now = this.options.clock.now();
    const cached = this.cache.get(host);
    if (cached !== undefined && cached.at + this.options.ttlMs > now) return cached.target;

    const target = (await this.lookup(host)).toLowerCase();
    if (this.options.reject?.test(target) === true) return host;
    this.cache.set(host, { target, at: now });
    this.persist(host, target, now);
    return target;
  }

  /** Drops every cached result (`reset-hostname-resolve-cache`). */
  clear(): void {
    this.cache.clear();
  }

  private resolves(): boolean {
    return this.options.method === 'cname' || this.options.method === 'ip';
  }

  private async lookup(host: string): Promise<string> {
    try {
      if (this.options.method === 'ip') return await this.options.dns.lookup(host);
      const [first] = await this.options.dns.resolveCname(host);
      return first ?? host;
    } catch {
      return host;
    }
  }

  private persist(host: string, target: string, at: number): void {
    const store = this.options.store;
    if (store === undefined) return;
    store
      .putResolved(host, target, { at })
      .catch((err: unknown) => this.options.onStoreError?.(err));
  }
}
