import { instanceKeyId, type Instance, type InstanceKey } from '../topology/index.js';
import type { Origin, ProbeFailureInfo } from './events.js';
import { fingerprint, IdentityIndex } from './identity.js';

/** A caller of `discover`/`refresh` waiting for a probe. */
export interface Waiter {
  readonly resolve: (instance: Instance) => void;
  readonly reject: (err: Error) => void;
}

/**
 * One address discovery polls: a canonical key (`record` set once it answered) or a new
 * address waiting for its first answer (`record` undefined: tentative).
 */
export interface Tracked {
  readonly id: string;
  readonly key: InstanceKey;
  origin: Origin;
  record: Instance | undefined;
  /** Consecutive failed probes (0 after an answer). */
  failures: number;
  lastError: ProbeFailureInfo | undefined;
  /** The last probe reached nothing at all (unreachable or timed out): polled as dead. */
  dead: boolean;
  /** Seeds are kept even while they never answer; other new addresses are dropped. */
  pinned: boolean;
  /** Servers whose assembly waits on this address: refreshed once it is settled. */
  readonly referrers: Set<string>;
  /** Callers answered by the next probe to start. */
  waiting: Waiter[];
  /** Callers the probe in flight answers. */
  inProbe: Waiter[];
}

/**
 * Discovery's in-memory picture: the polled addresses, which names are aliases of which
 * server (the identity index), and who replicates from whom (to refresh replicas when their
 * source's cluster changes). No I/O; Discovery owns it and makes every change through it.
 */
export class Registry {
  readonly identities = new IdentityIndex();
  private readonly tracked = new Map<string, Tracked>();
  private readonly replicas = new Map<string, Set<string>>();
  private readonly sourceOf = new Map<string, string>();
  private tentativeCount = 0;

  get(id: string): Tracked | undefined {
    return this.tracked.get(id);
  }

  all(): IterableIterator<Tracked> {
    return this.tracked.values();
  }

  get size(): number {
    return this.tracked.size;
  }

  /** Tracked addresses that never answered (new addresses and silent seeds). */
  get tentative(): number {
    return this.tentativeCount;
  }

  /** The tracked entry that polls the server `id` names (through an alias, if it is one). */
  resolve(id: string): Tracked | undefined {
    const canonical = this.identities.canonicalOf(id) ?? id;
    return this.tracked.get(canonical);
  }

  /** True when `id` is polled, queued, or an alias of a known server. */
  knows(id: string): boolean {
    return this.tracked.has(id) || this.identities.canonicalOf(id) !== undefined;
  }

  add(key: InstanceKey, origin: Origin, record?: Instance): Tracked {
    const t: Tracked = {
      id: instanceKeyId(key),
      key,
      origin,
      record: undefined,
      failures: 0,
      lastError: undefined,
      dead: false,
      pinned: false,
      referrers: new Set(),
      waiting: [],
      inProbe: [],
    };
    this.tracked.set(t.id, t);
    this.tentativeCount++;
    if (record !== undefined) this.setRecord(t, record);
    return t;
  }

  /** Stops tracking `id`; its replication edge is forgotten too. */
  remove(id: string): Tracked | undefined {
    const t = this.tracked.get(id);
    if (t === undefined) return undefined;
    this.tracked.delete(id);
    if (t.record === undefined) this.tentativeCount--;
    this.unlink(id);
    return t;
  }

  /** Stores the latest record and updates the replication edges index. */
  setRecord(t: Tracked, record: Instance): void {
    if (t.record === undefined && this.tracked.get(t.id) === t) this.tentativeCount--;
    t.record = record;
    this.unlink(t.id);
    const source = record.replication?.sourceKey;
    if (source === undefined) return;
    const sourceId = instanceKeyId(source);
    this.sourceOf.set(t.id, sourceId);
    let set = this.replicas.get(sourceId);
    if (set === undefined) this.replicas.set(sourceId, (set = new Set()));
    set.add(t.id);
  }

  /** Ids of the tracked servers whose topology connection points at `id`. */
  replicasOf(id: string): string[] {
    return [...(this.replicas.get(id) ?? [])];
  }

  /** The record stored for the server a key names (through an alias), if any. */
  recordOf(key: InstanceKey): Instance | undefined {
    return this.resolve(instanceKeyId(key))?.record;
  }

  /** The canonical key an address names: itself when it is no known alias. */
  canonicalKey(key: InstanceKey): InstanceKey {
    const id = instanceKeyId(key);
    const canonical = this.identities.canonicalOf(id);
    if (canonical === undefined || canonical === id) return key;
    return this.tracked.get(canonical)?.key ?? key;
  }

  /**
   * Loads stored records at start. Two rows of one server (stored under two names by an
   * older orc, or by orchestrator) are merged: the row under the server's preferred key
   * (`preferred(row)`) wins, else the first in key order; the others are returned to be
   * forgotten and recorded as aliases.
   */
  load(
    rows: readonly Instance[],
    preferred: (row: Instance) => string | undefined,
  ): { merged: { alias: Tracked; canonical: Tracked }[] } {
    const merged: { alias: Tracked; canonical: Tracked }[] = [];
    const byPrint = new Map<string, Tracked>();
    for (const row of rows) {
      const t = this.add(row.key, 'backend', row);
      const print = fingerprint(row);
      const holder = byPrint.get(print);
      if (holder === undefined) {
        byPrint.set(print, t);
        continue;
      }
      const [keep, drop] = preferred(row) === t.id ? [t, holder] : [holder, t];
      byPrint.set(print, keep);
      merged.push({ alias: drop, canonical: keep });
    }
    for (const [print, t] of byPrint) this.identities.claim(t.id, print);
    for (const { alias, canonical } of merged) {
      this.remove(alias.id);
      this.identities.addAlias(alias.id, canonical.id);
    }
    return { merged };
  }

  private unlink(id: string): void {
    const source = this.sourceOf.get(id);
    if (source === undefined) return;
    this.sourceOf.delete(id);
    this.replicas.get(source)?.delete(id);
  }
}
