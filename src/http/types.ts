/**
 * Types shared by the HTTP layer's modules, and the fastify declarations they rely on.
 */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Principal } from './auth.js';

/** The fastify instance orc builds: TypeBox schemas give validation, types and OpenAPI. */
export type OrcApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** Registers routes on the prefixed scope; handed to `buildApp` through `registerRoutes`. */
export type RouteRegistrar = (app: OrcApp) => void;

/**
 * Which API a request belongs to, by path: `v2` under `{prefix}/api/v2`, `compat` for everything
 * else (orchestrator's `/api/...`, `/metrics`, unknown paths). Decides error and refusal shapes.
 */
export type ApiFamily = 'v2' | 'compat';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Whether the route changes anything (orc's state or a managed server). Every route must
     * declare it: `buildApp` refuses to start otherwise. Mutating routes pass the ReadOnly,
     * role and leadership checks before their handler runs.
     */
    mutates?: boolean;
  }

  interface FastifyRequest {
    /** Who is calling, set by the authentication hook before any handler runs. */
    principal: Principal | null;
  }
}
