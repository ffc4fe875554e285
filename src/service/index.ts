// The public API of src/service/: the composition root of `orc serve` — backend, leadership,
// discovery and the HTTP app wired together, started and stopped in order.
export type { ServiceContext, ServiceRouteRegistrar } from './context.js';
export { discoveryLogger, RateLimiter, type DiscoveryLogOptions } from './event-log.js';
export { serviceRoutes } from './routes.js';
export { startService, type RunningService, type StartServiceOptions } from './service.js';
