/**
 * The changes the inventory API makes, shared by the compatibility routes and v2: discovery
 * requests, forgetting, downtime, maintenance locks, promotion-rule registrations, tags and
 * cluster alias overrides. Every change writes one audit entry (orchestrator's audit types:
 * `begin-downtime`, `end-maintenance`, …) after it succeeded. Callers have already passed the
 * mutation checks (ReadOnly, role, leadership).
 *
 * TODO(raft): in raft mode these decisions must go through the replicated command log rather
 * than straight to this node's backend; the routes call them here until ha/ offers that path.
 */
import { randomInt } from 'node:crypto';
import type { Downtime, MaintenanceLock, Tag } from '../../backend/index.js';
import type { Instance, InstanceKey, PromotionRule } from '../../topology/index.js';
import type { InventoryDeps } from './inventory-deps.js';
import type { InventoryStore } from './inventory-store.js';

/** orchestrator's `MaintenanceExpireMinutes`: default length of downtime and maintenance. */
export const DEFAULT_HOLD_MS = 10 * 60_000;

/** What begins a downtime or a maintenance lock; `durationMs` 0 means the default. */
export interface HoldRequest {
  readonly key: InstanceKey;
  readonly owner: string;
  readonly reason: string;
  readonly durationMs: number;
}

/** Inventory changes, each audited. Stateless; safe to share between requests. */
export class InventoryChanges {
  constructor(
    private readonly deps: InventoryDeps,
    private readonly store: InventoryStore,
  ) {}

  /** Probes now (discovery stores the result); audited as `discover`. */
  async discover(key: InstanceKey): Promise<Instance> {
    const instance = await this.deps.discovery.discover(key);
    await this.audit('discover', instance.key, 'discovered');
    return instance;
  }

  /** Queues a probe and returns; audited as `discover` (asynchronous). */
  async asyncDiscover(key: InstanceKey): Promise<void> {
    this.deps.discovery.asyncDiscover(key);
    await this.audit('discover', key, 'asynchronous discovery requested');
  }

  /** Re-probes a known instance; audited as `refresh`. */
  async refresh(key: InstanceKey): Promise<Instance> {
    const instance = await this.deps.discovery.refresh(key);
    await this.audit('refresh', instance.key, 'refreshed');
    return instance;
  }

  /** Forgets one instance (idempotent); audited as `forget`. */
  async forget(key: InstanceKey): Promise<void> {
    const cluster = (await this.store.instance(key))?.cluster.name;
    await this.deps.discovery.forget(key);
    await this.audit('forget', key, 'forgotten', cluster);
  }

  /** Forgets every instance of a cluster; returns how many. Audited as `forget-cluster`. */
  async forgetCluster(clusterName: string): Promise<number> {
    const members = await this.deps.backend.instances.byCluster(clusterName);
    for (const m of members) await this.deps.discovery.forget(m.key);
    const message = `forgot ${members.length} instances of ${clusterName}`;
    await this.audit('forget-cluster', undefined, message, clusterName);
    return members.length;
  }

  /** Begins (or replaces) a downtime; audited as `begin-downtime`. */
  async beginDowntime(request: HoldRequest): Promise<Downtime> {
    const downtime = await this.deps.backend.downtime.begin({
      key: request.key,
      owner: request.owner,
      reason: request.reason,
      durationMs: holdMs(request.durationMs),
    });
    const message = `owner: ${request.owner}, reason: ${request.reason}`;
    await this.audit('begin-downtime', request.key, message);
    return downtime;
  }

  /** Ends a downtime; false when there was none. Audited as `end-downtime` when one ended. */
  async endDowntime(key: InstanceKey): Promise<boolean> {
    const ended = await this.deps.backend.downtime.end(key);
    if (ended) await this.audit('end-downtime', key, '');
    return ended;
  }

  /**
   * Takes the maintenance lock for the caller, with a decimal id (so orchestrator's clients
   * see a number). Throws MAINTENANCE_HELD when someone else holds it.
   */
  async beginMaintenance(request: HoldRequest): Promise<MaintenanceLock> {
    const { nodeName, clock } = this.deps;
    const lock = await this.deps.backend.maintenance.begin({
      key: request.key,
      owner: request.owner,
      reason: request.reason,
      durationMs: holdMs(request.durationMs),
      node: { hostname: nodeName, token: nodeName },
      id: String(clock.now() * 1000 + randomInt(1000)),
    });
    const message = `maintenanceToken: ${lock.id}, owner: ${lock.owner}, reason: ${lock.reason}`;
    await this.audit('begin-maintenance', request.key, message);
    return lock;
  }

  /** Ends the lock on `key`, whoever holds it; false when there was none. */
  async endMaintenance(key: InstanceKey): Promise<boolean> {
    const lock = await this.deps.backend.maintenance.get(key);
    const ended = await this.deps.backend.maintenance.endByKey(key);
    if (ended) await this.audit('end-maintenance', key, `maintenanceToken: ${lock?.id ?? '?'}`);
    return ended;
  }

  /** Ends one lock by id; false when it is not active. */
  async endMaintenanceLock(lock: MaintenanceLock): Promise<boolean> {
    const ended = await this.deps.backend.maintenance.endById(lock.id);
    if (ended) await this.audit('end-maintenance', lock.key, `maintenanceToken: ${lock.id}`);
    return ended;
  }

  /** Registers a promotion rule (refreshing its time); audited as `register-candidate`. */
  async registerCandidate(key: InstanceKey, rule: PromotionRule): Promise<void> {
    await this.deps.backend.candidates.register({ key, promotionRule: rule });
    await this.audit('register-candidate', key, `promotion rule: ${rule}`);
  }

  /** Sets a tag; audited as `put-instance-tag`. */
  async tag(key: InstanceKey, tag: Tag): Promise<void> {
    await this.deps.backend.tags.put(key, tag);
    await this.audit('put-instance-tag', key, `${tag.name}=${tag.value}`);
  }

  /**
   * Removes tag `name` from `key` when it carries it (with `value`, when given). Returns the
   * keys untagged: [key] or []. Audited as `delete-instance-tag`.
   */
  async untag(key: InstanceKey, name: string, value?: string): Promise<InstanceKey[]> {
    const tags = await this.deps.backend.tags.get(key);
    const found = tags.find((t) => t.name === name);
    if (found === undefined || (value !== undefined && found.value !== value)) return [];
    await this.deps.backend.tags.remove(key, name);
    await this.audit('delete-instance-tag', key, `${name}=${found.value}`);
    return [key];
  }

  /** Removes tag `name=value` from every instance carrying it; returns their keys. */
  async untagAll(name: string, value: string): Promise<InstanceKey[]> {
    const keys = await this.deps.backend.tags.find(name, value);
    await this.deps.backend.tags.removeEverywhere(name, value);
    for (const key of keys) await this.audit('delete-instance-tag', key, `${name}=${value}`);
    return keys;
  }

  /** Sets the manual alias of a cluster ('' removes it); audited as `set-cluster-alias`. */
  async setClusterAlias(clusterName: string, alias: string): Promise<void> {
    const { clusters } = this.deps.backend;
    if (alias === '') await clusters.removeAliasOverride(clusterName);
    else await clusters.setAliasOverride(clusterName, alias);
    const message = `alias: '${alias}'`;
    await this.audit('set-cluster-alias', undefined, message, clusterName);
  }

  /** Writes one audit entry; the cluster is looked up from the instance when not given. */
  private async audit(
    action: string,
    key: InstanceKey | undefined,
    message: string,
    cluster?: string,
  ): Promise<void> {
    const clusterName =
      cluster ?? (key === undefined ? undefined : (await this.store.instance(key))?.cluster.name);
    await this.deps.backend.audit.record({
      action,
      message,
      ...(key === undefined ? {} : { key }),
      ...(clusterName === undefined ? {} : { cluster: clusterName }),
    });
  }
}

function holdMs(durationMs: number): number {
  return durationMs > 0 ? durationMs : DEFAULT_HOLD_MS;
}
