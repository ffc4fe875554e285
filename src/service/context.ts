import type { Backend } from '../backend/index.js';
import type { Clock } from '../common/clock.js';
import type { Logger } from '../common/log.js';
import type { Config } from '../config/index.js';
import type { Discovery } from '../discovery/index.js';
import type { Leadership, NodeDescriptor } from '../ha/leadership.js';
import type { Metrics } from '../http/metrics.js';
import type { OrcApp } from '../http/types.js';

/**
 * What a running orc service is made of, as route registrars and later loops (analysis,
 * recovery) receive it. Built once by `startService`; every member lives until `stop()`.
 *
 * - `config`: the frozen configuration the service started with.
 * - `backend`: orc's own store, open and migrated.
 * - `discovery`: polls the managed servers; `discover`/`refresh`/`forget` for the API.
 *   Instance rows reach the backend through a write buffer: a read right after `discover`
 *   may see the previous row for up to `InstanceFlushIntervalMilliseconds`; read
 *   `discovery.instance(key)` for the freshest copy.
 * - `leadership`: whether this node leads (mutations, recoveries); never does I/O.
 * - `metrics`: the Prometheus registry `/metrics` serves.
 * - `node`: this process as the HA layer and node health know it.
 */
export interface ServiceContext {
  readonly config: Config;
  readonly backend: Backend;
  readonly discovery: Discovery;
  readonly leadership: Leadership;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly node: NodeDescriptor;
}

/**
 * Registers routes on the app's prefixed scope with the service's collaborators. Called once
 * per app, when the app becomes ready; a throw makes the service fail to start.
 */
export type ServiceRouteRegistrar = (app: OrcApp, context: ServiceContext) => void;
