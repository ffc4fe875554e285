import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import {
  InstanceWriteBuffer,
  openBackend,
  type Backend,
  type InstanceWriteEvent,
} from '../backend/index.js';
import { systemClock, type Clock } from '../common/clock.js';
import type { Logger } from '../common/log.js';
import type { Config } from '../config/index.js';
import {
  Discovery,
  discoverySettings,
  type DiscoveryMetrics,
  type DiscoverySettings,
  type DnsLookup,
} from '../discovery/index.js';
import type { NodeDescriptor } from '../ha/leadership.js';
import { buildApp } from '../http/app.js';
import { createMetrics, type Metrics } from '../http/metrics.js';
import { startServer } from '../http/serve.js';
import type { MysqlPool } from '../mysql/index.js';
import type { ServiceContext, ServiceRouteRegistrar } from './context.js';
import { discoveryLogger, RateLimiter } from './event-log.js';
import { startLeadership, type LeadershipHandle } from './leadership.js';
import { createTopologyPool, topologyProber } from './managed.js';
import { serviceRoutes } from './routes.js';

export interface StartServiceOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** orc's version, reported by health endpoints and node health. */
  readonly version?: string;
  /** Route registrars; default: routes.ts' list. */
  readonly routes?: readonly ServiceRouteRegistrar[];
  /** Resolves host names for discovery; default node:dns. */
  readonly dns?: DnsLookup;
  /** Working directory for relative paths (the SQLite file); default process.cwd(). */
  readonly cwd?: string;
}

/** A started service. */
export interface RunningService {
  /** Where HTTP listens: `host:port` or the unix socket path. */
  readonly address: string;
  readonly context: ServiceContext;
  /** Stops everything in reverse order of starting; idempotent, never rejects. */
  stop(): Promise<void>;
}

/** Longest wait for discovery's first crawl before the HTTP app is built. */
const DISCOVERY_HEAD_START_MS = 300;

/** What has been started so far, stopped in reverse order. */
type Stopper = { readonly name: string; readonly stop: () => Promise<void> };

/**
 * The composition root of `orc serve`: opens the backend (migrating it), starts leadership
 * and the node health heartbeat, discovery (seeds probed at once; up to 300 ms for its first
 * crawl before the HTTP app is built), the HTTP app with the route registrars, and listens.
 * Rejects — having stopped whatever it started — when any step fails (bad discovery
 * patterns or seeds, backend unreachable, address in use).
 *
 * `stop()` closes the listener, stops discovery (waiting for probes in flight), flushes the
 * instance write buffer, closes connections to managed servers, stops the heartbeat, and
 * closes the backend. The service owns all logging of discovery's and leadership's events.
 */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger.child({ component: 'service' });
  const stoppers: Stopper[] = [];
  const stopAll = async (): Promise<void> => {
    for (const s of stoppers.splice(0).reverse()) {
      try {
        await s.stop();
      } catch (err) {
        logger.warn({ err, step: s.name }, 'service stop step failed');
      }
    }
  };
  try {
    const running = await compose(options, clock, stoppers);
    logger.info(
      { address: running.address, backend: running.context.backend.kind },
      'service started',
    );
    let stopping: Promise<void> | undefined;
    return {
      ...running,
      stop: () =>
        (stopping ??= stopAll().then(() => {
          logger.info({}, 'service stopped');
        })),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function compose(
  options: StartServiceOptions,
  clock: Clock,
  stoppers: Stopper[],
): Promise<Omit<RunningService, 'stop'>> {
  const { config, logger } = options;
  const settings = discoverySettings(config);
  const version = options.version ?? '0.1.0';
  const node: NodeDescriptor = { hostname: hostname(), token: randomUUID(), version };

  const backend = await openStore(config, clock, options.cwd ?? process.cwd());
  stoppers.push({ name: 'backend', stop: () => backend.close() });
  const ha = startLeadership({ config, backend, clock, node, logger });
  stoppers.push({ name: 'leadership', stop: () => ha.stop() });
  const pool = await createTopologyPool(config, clock);
  stoppers.push({ name: 'topology connections', stop: () => pool.close() });
  const writer = instanceWriter(config, backend, clock, logger);
  stoppers.push({ name: 'instance writes', stop: () => writer.close() });

  const metrics = createMetrics();
  const discovery = createDiscovery({ options, clock, settings, pool, backend, writer, metrics });
  stoppers.push({ name: 'discovery', stop: () => discovery.stop() });
  // Discovery starts first and gets a head start (its first crawl, at most
  // DISCOVERY_HEAD_START_MS, then its rows written) before fastify compiles its schemas,
  // which holds the CPU for a few hundred ms: servers are stored sooner after start.
  await startDiscovery(discovery, ha);
  if (await discovery.idle(DISCOVERY_HEAD_START_MS)) await writer.flush().catch(() => undefined);

  const context: ServiceContext = {
    config,
    backend,
    discovery,
    leadership: ha.leadership,
    clock,
    logger,
    metrics,
    node,
  };
  const app = buildApp({
    logger,
    clock,
    leadership: ha.leadership,
    auth: authOf(config),
    urlPrefix: config.http.urlPrefix,
    statusEndpoint: config.http.statusEndpoint,
    version,
    metrics,
    registerRoutes: (options.routes ?? serviceRoutes).map((r) => (a) => r(a, context)),
  });
  stoppers.push({ name: 'http', stop: () => app.close() });

  const bound = await startServer({
    app,
    listenAddress: config.http.listenAddress,
    listenSocket: config.http.listenSocket,
  });
  return { address: bound.address, context };
}

/** Discovery on the pool and the backend, its events logged and its metrics exported. */
function createDiscovery(parts: {
  readonly options: StartServiceOptions;
  readonly clock: Clock;
  readonly settings: DiscoverySettings;
  readonly pool: MysqlPool;
  readonly backend: Backend;
  readonly writer: InstanceWriteBuffer;
  readonly metrics: Metrics;
}): Discovery {
  const { options, clock, pool } = parts;
  const { config, logger } = options;
  const discovery = new Discovery({
    clock,
    settings: parts.settings,
    probe: topologyProber(pool, config),
    store: parts.backend,
    writer: parts.writer,
    metrics: discoveryMetrics(parts.metrics),
    ...(options.dns === undefined ? {} : { dns: options.dns }),
  });
  discovery.subscribe(
    discoveryLogger({
      logger,
      clock,
      filtersLogs: config.discovery.filtersLogsEnabled,
      deadInstanceLogs: config.discovery.deadInstanceLogsEnabled,
    }),
  );
  watchPool(pool, logger, clock);
  return discovery;
}

function openStore(config: Config, clock: Clock, cwd: string): Promise<Backend> {
  const b = config.backend;
  const migrate = !b.skipDatabaseUpdate;
  if (b.type === 'sqlite') {
    return openBackend({ type: 'sqlite', path: resolve(cwd, b.sqliteDataFile), clock, migrate });
  }
  return openBackend({
    type: 'mysql',
    host: b.mysqlHost,
    port: b.mysqlPort,
    user: b.mysqlUser,
    password: b.mysqlPassword,
    database: b.mysqlDatabase,
    connectionLimit: b.mysqlMaxPoolConnections,
    connectTimeoutMs: config.topology.connectTimeoutSeconds * 1000,
    queryTimeoutMs: b.mysqlReadTimeoutSeconds * 1000,
    clock,
    migrate,
  });
}

/** Starts discovery where this node discovers (see LeadershipHandle.discovers). */
async function startDiscovery(discovery: Discovery, ha: LeadershipHandle): Promise<void> {
  if (ha.discovers()) await discovery.start();
}

/**
 * orc always batches instance writes: `InstanceWriteBufferSize` rows or
 * `InstanceFlushIntervalMilliseconds`, whichever comes first (a size of 0 writes each row
 * on its own, still off the probe's path).
 */
function instanceWriter(config: Config, backend: Backend, clock: Clock, logger: Logger) {
  const d = config.discovery;
  const writer = new InstanceWriteBuffer({
    instances: backend.instances,
    clock,
    maxSize: Math.max(1, d.instanceWriteBufferSize),
    flushIntervalMs: d.instanceFlushIntervalMilliseconds,
  });
  const limiter = new RateLimiter(clock, 60_000);
  const log = logger.child({ component: 'backend' });
  writer.subscribe((event: InstanceWriteEvent) => {
    if (event.type !== 'flush-failed') return;
    const suppressed = limiter.allow('flush');
    if (suppressed === undefined) return;
    const rows = event.upserts + event.failures;
    log.warn({ err: event.error, rows, suppressed }, 'instance rows not written');
  });
  return writer;
}

function watchPool(pool: MysqlPool, logger: Logger, clock: Clock): void {
  const log = logger.child({ component: 'mysql' });
  const limiter = new RateLimiter(clock, 5 * 60_000);
  pool.on('query-timeout', (e) => {
    const suppressed = limiter.allow(e.instance);
    if (suppressed === undefined) return;
    const fields = { instance: e.instance, timeoutMs: e.timeoutMs, killed: e.killed, suppressed };
    log.warn({ ...fields, err: e.killError }, 'query timed out on managed server');
  });
}

function discoveryMetrics(metrics: Metrics): DiscoveryMetrics {
  return {
    observeProbe: (outcome, seconds) => metrics.probeDuration.observe({ outcome }, seconds),
    setQueueDepth: (depth) => metrics.discoveryQueueDepth.set(depth),
    setInstanceCounts: ({ ok, unreachable }) => {
      metrics.instances.set({ state: 'ok' }, ok);
      metrics.instances.set({ state: 'unreachable' }, unreachable);
    },
  };
}

function authOf(config: Config) {
  const a = config.auth;
  return {
    method: a.method,
    user: a.user,
    password: a.password,
    userHeader: a.userHeader,
    powerUsers: a.powerUsers,
    powerGroups: a.powerGroups,
    readOnly: config.http.readOnly,
  };
}
