/**
 * Prometheus metrics. Each `Metrics` owns its own registry (never prom-client's global one), so
 * two apps in one process (tests, a demo running several nodes) never collide. The service
 * creates one `Metrics`, hands it to `buildApp` and to the modules that update it.
 */
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Clock } from '../common/clock.js';
import type { OrcApp } from './types.js';

/** Outcome label of a probe: it answered, or it failed (refused, timed out, errored). */
export type ProbeOutcome = 'ok' | 'failed';

/**
 * The metrics other modules update. Discovery observes `probeDuration` once per probe and sets
 * `discoveryQueueDepth` when its queue changes; inventory sets `instances` per state after each
 * pass (`state` such as `ok`, `unreachable`, `downtimed`: the inventory module owns the list).
 */
export interface Metrics {
  readonly registry: Registry;
  readonly probeDuration: Histogram<'outcome'>;
  readonly instances: Gauge<'state'>;
  readonly discoveryQueueDepth: Gauge;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
}

/** Options of `createMetrics`. */
export interface MetricsOptions {
  /** Process metrics (CPU, memory, event loop, GC); default true. */
  processMetrics?: boolean;
}

/** Creates a registry with orc's metrics, and the default process metrics unless disabled. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  return {
    registry,
    probeDuration: new Histogram({
      name: 'orc_probe_duration_seconds',
      help: 'Time to probe one managed MySQL/MariaDB server, by outcome.',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    instances: new Gauge({
      name: 'orc_instances',
      help: 'Known managed servers, by state.',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    discoveryQueueDepth: new Gauge({
      name: 'orc_discovery_queue_depth',
      help: 'Servers waiting in the discovery queue.',
      registers: [registry],
    }),
    httpRequestDuration: new Histogram({
      name: 'orc_http_request_duration_seconds',
      help: 'Time to serve an HTTP request, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
  };
}

/**
 * Times every request (by route pattern, never by raw URL, so label sets stay bounded) with the
 * injected clock, logs one debug line per request, and serves the registry at `/metrics` on the
 * given (prefixed) scope. `installRequestTiming` goes on the root instance; `registerMetricsRoute`
 * on the prefixed one.
 */
export function installRequestTiming(app: OrcApp, metrics: Metrics, clock: Clock): void {
  const started = new WeakMap<object, number>();

  app.addHook('onRequest', (request, _reply, done) => {
    started.set(request, clock.monotonic());
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    const start = started.get(request);
    if (start !== undefined) {
      const seconds = Math.max(0, clock.monotonic() - start) / 1000;
      const route = request.routeOptions.url ?? 'unmatched';
      const labels = { method: request.method, route, status_code: String(reply.statusCode) };
      metrics.httpRequestDuration.observe(labels, seconds);
      request.log.debug({ ...labels, seconds }, 'request served');
    }
    done();
  });
}

/** Serves the registry in Prometheus text format at `/metrics`. */
export function registerMetricsRoute(app: OrcApp, metrics: Metrics): void {
  app.get(
    '/metrics',
    { config: { mutates: false }, schema: { hide: true } },
    async (_request, reply) => {
      const body = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(body);
    },
  );
}
