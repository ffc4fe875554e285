import type { ServerIdentity } from '../mysql/index.js';
import { instanceKey, type InstanceKey } from '../topology/index.js';
import type { ServerNameMethod } from './settings.js';

/** What identifies a server, whatever address it was reached at. */
export type IdentityFacts = Pick<
  ServerIdentity,
  'serverId' | 'serverUuid' | 'hostname' | 'reportHost' | 'reportPort'
>;

/**
 * A text equal for two probes exactly when they reached the same server, as far as the
 * server's own variables tell: its `server_uuid` where it has one (MySQL: unique by
 * construction), else `server_id` with `@@hostname` and `report_host:report_port`. Nothing
 * in it depends on the address probed, so a proxy, a VIP or a second port yields the same
 * text. Two MariaDB servers on one host with the same server_id and no report_host would
 * look alike; replication forbids equal server_ids within a topology, and report_host
 * (which SHOW SLAVE HOSTS needs anyway) tells them apart.
 */
export function fingerprint(identity: IdentityFacts): string {
  if (identity.serverUuid !== undefined && identity.serverUuid !== '') {
    return `uuid:${identity.serverUuid.toLowerCase()}`;
  }
  const report = `${identity.reportHost?.toLowerCase() ?? ''}:${identity.reportPort ?? ''}`;
  return `id:${identity.serverId}|host:${identity.hostname.toLowerCase()}|report:${report}`;
}

/**
 * The key a server names for itself, which becomes its canonical key once a probe of it
 * answers with the same identity: `report_host:report_port` when report_host is set (the
 * port defaults to the one probed), else with `@@hostname` (MySQLHostnameResolveMethod's
 * default) `@@hostname` at the probed port. Undefined with `none`, or when the name is not
 * a valid host.
 */
export function preferredKey(
  identity: IdentityFacts,
  probedPort: number,
  method: ServerNameMethod,
): InstanceKey | undefined {
  if (method === 'none') return undefined;
  const report = identity.reportHost?.trim() ?? '';
  if (report !== '') return keyOrUndefined(report, identity.reportPort ?? probedPort);
  if (method !== '@@hostname' || identity.hostname.trim() === '') return undefined;
  return keyOrUndefined(identity.hostname.trim(), probedPort);
}

function keyOrUndefined(host: string, port: number): InstanceKey | undefined {
  try {
    return instanceKey(host, port);
  } catch {
    return undefined;
  }
}

/**
 * What a successful probe of address `id` means: `self` — `id` is (or now becomes) the key
 * of the server it reached; `alias` — the server is already known as `canonical`, so `id` is
 * another name of it; `takeover` — the server was known as `from`, and `id` is the better
 * name (its preferred key, or `from` no longer answers), so `from` becomes an alias of `id`.
 */
export type IdentityVerdict =
  | { readonly kind: 'self' }
  | { readonly kind: 'alias'; readonly canonical: string }
  | { readonly kind: 'takeover'; readonly from: string };

/**
 * Which addresses name which server: canonical key ids hold a fingerprint; alias ids point
 * at a canonical id. Pure in-memory state owned by Discovery; every change goes through
 * these methods so both directions stay consistent.
 */
export class IdentityIndex {
  private readonly holderOf = new Map<string, string>();
  private readonly printOf = new Map<string, string>();
  private readonly aliasTarget = new Map<string, string>();
  private readonly aliasSet = new Map<string, Set<string>>();

  /** `id` itself when canonical, its target when an alias, else undefined. */
  canonicalOf(id: string): string | undefined {
    if (this.printOf.has(id)) return id;
    return this.aliasTarget.get(id);
  }

  isAlias(id: string): boolean {
    return this.aliasTarget.has(id);
  }

  aliasesOf(canonical: string): string[] {
    return [...(this.aliasSet.get(canonical) ?? [])];
  }

  /** Every alias with its canonical id. */
  aliases(): [string, string][] {
    return [...this.aliasTarget.entries()];
  }

  get aliasCount(): number {
    return this.aliasTarget.size;
  }

  /** Decides what a probe of `id` that reached the server `print` means; changes nothing. */
  judge(
    id: string,
    print: string,
    options: { preferred: string | undefined; failing: (id: string) => boolean },
  ): IdentityVerdict {
    const holder = this.holderOf.get(print);
    if (holder === undefined || holder === id) return { kind: 'self' };
    if (options.preferred === id) return { kind: 'takeover', from: holder };
    if (options.preferred !== holder && options.failing(holder)) {
      return { kind: 'takeover', from: holder };
    }
    return { kind: 'alias', canonical: holder };
  }

  /**
   * Makes `id` the canonical key of `print`. When `id` held another fingerprint (a different
   * server now answers there), its aliases no longer hold: they are dropped and returned.
   */
  claim(id: string, print: string): string[] {
    this.removeAlias(id);
    const before = this.printOf.get(id);
    if (before === print) return [];
    const dropped = before === undefined ? [] : this.releaseCanonical(id);
    this.printOf.set(id, print);
    this.holderOf.set(print, id);
    return dropped;
  }

  /** Records `alias` as another name of canonical `canonical`. */
  addAlias(alias: string, canonical: string): void {
    if (alias === canonical) return;
    this.removeAlias(alias);
    this.aliasTarget.set(alias, canonical);
    let set = this.aliasSet.get(canonical);
    if (set === undefined) this.aliasSet.set(canonical, (set = new Set()));
    set.add(alias);
  }

  /** `to` replaces canonical `from`: `from` and its aliases become aliases of `to`. */
  takeover(to: string, from: string): string[] {
    const print = this.printOf.get(from);
    const moved = [from, ...this.aliasesOf(from)].filter((a) => a !== to);
    this.releaseCanonical(from);
    this.removeAlias(to);
    if (print !== undefined) this.claim(to, print);
    for (const alias of moved) this.addAlias(alias, to);
    return moved;
  }

  removeAlias(alias: string): void {
    const target = this.aliasTarget.get(alias);
    if (target === undefined) return;
    this.aliasTarget.delete(alias);
    this.aliasSet.get(target)?.delete(alias);
  }

  /** Forgets canonical `id`, its fingerprint and its aliases; returns the aliases. */
  releaseCanonical(id: string): string[] {
    const print = this.printOf.get(id);
    if (print !== undefined && this.holderOf.get(print) === id) this.holderOf.delete(print);
    this.printOf.delete(id);
    const aliases = this.aliasesOf(id);
    for (const a of aliases) this.aliasTarget.delete(a);
    this.aliasSet.delete(id);
    return aliases;
  }
}
