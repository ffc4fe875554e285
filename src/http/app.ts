/**
 * The HTTP application: orchestrator's compatibility API (`/api/...`), orc's v2 API
 * (`/api/v2/...`), health endpoints and `/metrics`, all under the configured URL prefix.
 * Domain routes (inventory, operations, recovery) come in through `registerRoutes`.
 */
import Fastify, { LogController, type FastifyBaseLogger, type RouteOptions } from 'fastify';
import fastifySwagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type {
  FastifyPluginCallbackTypebox,
  TypeBoxTypeProvider,
} from '@fastify/type-provider-typebox';
import type { Clock } from '../common/clock.js';
import { OrcError } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import type { Leadership } from '../ha/leadership.js';
import { compileAuth, type HttpAuthOptions } from './auth.js';
import { installAuth } from './auth-hook.js';
import { installErrorHandling } from './errors.js';
import {
  createMetrics,
  installRequestTiming,
  registerMetricsRoute,
  type Metrics,
} from './metrics.js';
import {
  DEFAULT_STATUS_ENDPOINT,
  registerHealthRoutes,
  registerStatusEndpoint,
} from './routes/health.js';
import { registerV2MetaRoutes } from './routes/v2-meta.js';
import type { ApiFamily, OrcApp, RouteRegistrar } from './types.js';

/**
 * What `buildApp` needs. Everything is injected; nothing is read from globals or the
 * environment, so tests build apps with a ManualClock and a fake leadership.
 */
export interface AppDeps {
  /** The service logger; the app logs through a `component: 'http'` child. */
  logger: Logger;
  clock: Clock;
  leadership: Leadership;
  auth: HttpAuthOptions;
  /** `URLPrefix`; normalised to `/prefix`, or '' (the default) for the root. */
  urlPrefix?: string;
  /**
   * `StatusEndpoint`, default `/api/status`. As in orchestrator, the default path lives under
   * the prefix while a custom path is served exactly as written, outside the prefix.
   */
  statusEndpoint?: string;
  /** orc's version, reported by the health endpoints and the OpenAPI document. */
  version: string;
  /** Shared with the modules that update them; a private set is created when omitted. */
  metrics?: Metrics;
  /** Route registrars run on the prefixed scope, after orc's own routes, in order. */
  registerRoutes?: readonly RouteRegistrar[];
}

/**
 * Builds the fastify instance; routes are registered when it becomes ready (`ready()`,
 * `listen()` or the first `inject()`). Throws OrcError `HTTP_AUTH_*` at once for authentication
 * settings that cannot work; a route that does not declare `config.mutates`, or a v2 GET route
 * declaring `mutates: true`, makes `ready()` reject with `HTTP_ROUTE_UNDECLARED`.
 */
export function buildApp(deps: AppDeps): OrcApp {
  const logger: FastifyBaseLogger = deps.logger.child({ component: 'http' });
  const prefix = normalizeUrlPrefix(deps.urlPrefix ?? '');
  const auth = compileAuth(deps.auth, logger);
  const metrics = deps.metrics ?? createMetrics();
  const familyOf = apiFamilyResolver(prefix);

  const app: OrcApp = Fastify({
    loggerInstance: logger,
    // Request lines are logged at debug by the timing hook (metrics.ts), not at info.
    logController: new LogController({ disableRequestLogging: true }),
    // orchestrator's API mutates over GET; an implicit HEAD twin would let a HEAD request (from
    // a link checker or a proxy probe) forget an instance or begin a downtime.
    exposeHeadRoutes: false,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onRoute', routeDeclarationCheck(familyOf));
  installErrorHandling(app, familyOf);
  installRequestTiming(app, metrics, deps.clock);
  installAuth(app, { auth, leadership: deps.leadership, familyOf });

  void app.register(fastifySwagger, swaggerOptions(deps.version, familyOf));

  const health = { leadership: deps.leadership };
  const statusEndpoint = normalizePath(deps.statusEndpoint ?? DEFAULT_STATUS_ENDPOINT);
  const routes: FastifyPluginCallbackTypebox = (scoped, _options, done) => {
    // A registrar's throw (an undeclared route) must reject ready(), not escape as uncaught.
    try {
      registerHealthRoutes(scoped, health);
      if (statusEndpoint === DEFAULT_STATUS_ENDPOINT) {
        registerStatusEndpoint(scoped, DEFAULT_STATUS_ENDPOINT, health);
      }
      registerV2MetaRoutes(scoped, health);
      registerMetricsRoute(scoped, metrics);
      for (const register of deps.registerRoutes ?? []) register(scoped);
      done();
    } catch (err) {
      done(err as Error);
    }
  };
  void app.register(routes, { prefix });
  if (statusEndpoint !== DEFAULT_STATUS_ENDPOINT) {
    registerStatusEndpoint(app, statusEndpoint, health);
  }

  return app;
}

/**
 * orchestrator's `URLPrefix` normalisation: no trailing slash, one leading slash, '' for the
 * root (`orc/` → `/orc`, `/` → '').
 */
export function normalizeUrlPrefix(raw: string): string {
  const trimmed = raw.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `/${trimmed}`;
}

/** Tells the API family of a request path (query string allowed) under `prefix`. */
export function apiFamilyResolver(prefix: string): (url: string) => ApiFamily {
  const v2 = `${prefix}/api/v2`;
  return (url) => {
    const path = url.split('?', 1)[0] ?? '';
    return path === v2 || path.startsWith(`${v2}/`) ? 'v2' : 'compat';
  };
}

/**
 * Refuses, at registration, a route that does not declare `config.mutates`, and a v2 GET route
 * that mutates: v2 changes go through POST, PUT or DELETE only.
 */
function routeDeclarationCheck(familyOf: (url: string) => ApiFamily) {
  return (route: RouteOptions): void => {
    const mutates: unknown = route.config?.mutates;
    const where = `${String(route.method)} ${route.url}`;
    if (typeof mutates !== 'boolean') {
      const message = `cannot register ${where}: its config must declare mutates: true or false`;
      throw new OrcError('HTTP_ROUTE_UNDECLARED', message);
    }
    if (mutates && route.method === 'GET' && familyOf(route.url) === 'v2') {
      const message = `cannot register ${where}: v2 changes use POST, PUT or DELETE, never GET`;
      throw new OrcError('HTTP_ROUTE_UNDECLARED', message);
    }
  };
}

/** OpenAPI 3 of the v2 API only; the compatibility layer follows orchestrator's own docs. */
function swaggerOptions(
  version: string,
  familyOf: (url: string) => ApiFamily,
): FastifyDynamicSwaggerOptions {
  return {
    openapi: { openapi: '3.0.3', info: { title: 'orc API', version } },
    transform: ({ schema, url }) => ({
      schema: familyOf(url) === 'v2' ? schema : { ...schema, hide: true },
      url,
    }),
  };
}

function normalizePath(raw: string): string {
  const trimmed = raw.trim();
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
