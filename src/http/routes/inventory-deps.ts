/**
 * What the inventory routes (orchestrator's `/api/...` inventory paths and orc's `/api/v2`
 * inventory) need from the rest of orc: one narrow, typed set of collaborators, built by the
 * service's composition root and passed to `registerInventoryRoutes`.
 */
import type { Clock } from '../../common/clock.js';
import type { Backend } from '../../backend/index.js';
import type { Config } from '../../config/index.js';
import type { Instance, InstanceKey } from '../../topology/index.js';

/**
 * The part of discovery the API drives. The discovery service implements it; tests use a
 * fake. Every method may be called concurrently for different keys.
 */
export interface DiscoveryControl {
  /**
   * Probes `key` now, stores the result (so a following read sees it) and queues the
   * server's source and replicas for discovery, as orchestrator's `discover` does. Resolves
   * with the instance as probed; rejects with an OrcError saying why when the server cannot
   * be read (unreachable, refused, not a MySQL/MariaDB server).
   */
  discover(key: InstanceKey): Promise<Instance>;
  /** Queues `key` for discovery and returns at once; failures are discovery's to report. */
  asyncDiscover(key: InstanceKey): void;
  /**
   * Re-probes an instance orc already knows and stores the result; resolves with it.
   * Rejects with an OrcError when the probe fails.
   */
  refresh(key: InstanceKey): Promise<Instance>;
  /**
   * Stops polling `key` and deletes what orc stored about it. Idempotent: forgetting an
   * unknown key succeeds. The server comes back if a neighbour still names it.
   */
  forget(key: InstanceKey): Promise<void>;
  /**
   * The key orc stores for a name a caller gave (HostnameResolveMethod: a CNAME, an IP).
   * Optional: without it the key is used as given.
   */
  resolveAlias?(key: InstanceKey): Promise<InstanceKey>;
}

/**
 * The inventory routes' dependencies. `nodeName` names this orc process in maintenance locks
 * it takes on a caller's behalf.
 */
export interface InventoryDeps {
  backend: Backend;
  discovery: DiscoveryControl;
  config: Config;
  clock: Clock;
  nodeName: string;
}
