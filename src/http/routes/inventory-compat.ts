/**
 * Helpers shared by the compatibility inventory routes (orchestrator's `/api/...` paths):
 * rendering orchestrator's Instance JSON, reading `:host/:port`, and refusing with the
 * messages orchestrator's handlers use (`Cannot read instance: h:p`, `Unable to determine
 * cluster name. clusterHint=x`). Failures are thrown as OrcErrors; the app's error handler
 * sends them as orchestrator's 500 `{Code:"ERROR", Message}` envelope.
 */
import type { FastifyReply } from 'fastify';
import { hasCode, OrcError } from '../../common/errors.js';
import type { Instance, InstanceKey } from '../../topology/index.js';
import { sendCompatJson } from '../compat-reply.js';
import { toCompatInstance } from '../compat/instance-json.js';
import type { CompatInstance } from '../compat/orchestrator-types.js';
import { keyFromPath, keyText } from '../compat/params.js';
import type { InventoryChanges } from './inventory-changes.js';
import type { InventoryDeps } from './inventory-deps.js';
import type { InventoryStore } from './inventory-store.js';

/** What every inventory route handler works with. */
export interface InventoryContext {
  readonly deps: InventoryDeps;
  readonly store: InventoryStore;
  readonly changes: InventoryChanges;
}

/** Route options of a compatibility read and of a compatibility change. */
export const READ = { config: { mutates: false } } as const;
export const CHANGE = { config: { mutates: true } } as const;

/** Path parameters naming an instance. */
export interface HostPort {
  host: string;
  port: string;
}

/** Sends a raw JSON body with 200, as orchestrator's `r.JSON(http.StatusOK, value)`. */
export function sendRaw(reply: FastifyReply, value: unknown): FastifyReply {
  return sendCompatJson(reply, 200, value);
}

/** The key of `:host/:port`, refused as orchestrator does (`Invalid port: x`). */
export function pathKey(params: HostPort): InstanceKey {
  return keyFromPath(params.host, params.port);
}

/** orchestrator's Instance JSON of each instance, in order. */
export async function compatInstances(
  ctx: InventoryContext,
  instances: readonly Instance[],
): Promise<CompatInstance[]> {
  const views = await ctx.store.views(instances);
  const timing = ctx.store.timing();
  return views.map((v) => toCompatInstance(v, timing));
}

/** One instance's JSON. */
export async function compatInstance(
  ctx: InventoryContext,
  instance: Instance,
): Promise<CompatInstance> {
  const [json] = await compatInstances(ctx, [instance]);
  if (json === undefined) throw new OrcError('INTERNAL', 'cannot render an instance');
  return json;
}

/** The stored instance, or orchestrator's `Cannot read instance: h:p`. */
export async function readInstance(ctx: InventoryContext, key: InstanceKey): Promise<Instance> {
  const found = await ctx.store.instance(key);
  if (found !== undefined) return found;
  throw new OrcError('INSTANCE_NOT_FOUND', `Cannot read instance: ${keyText(key)}`, {
    context: { instance: keyText(key) },
  });
}

/** The cluster a hint names, or orchestrator's `Unable to determine cluster name`. */
export async function resolveClusterHint(ctx: InventoryContext, hint: string): Promise<string> {
  try {
    return await ctx.store.resolveCluster(hint);
  } catch (err) {
    if (!hasCode(err, 'CLUSTER_NOT_FOUND')) throw err;
    const message =
      hint.trim() === ''
        ? 'Unable to determine cluster name by empty hint'
        : `Unable to determine cluster name. clusterHint=${hint}`;
    throw new OrcError('CLUSTER_NOT_FOUND', message, { cause: err, context: { cluster: hint } });
  }
}

/** The cluster an alias names, or orchestrator's `Unable to determine cluster name`. */
export async function resolveClusterAlias(ctx: InventoryContext, alias: string): Promise<string> {
  try {
    return await ctx.store.clusterByAlias(alias);
  } catch (err) {
    if (!hasCode(err, 'CLUSTER_NOT_FOUND')) throw err;
    const message = `Unable to determine cluster name for alias ${alias}`;
    throw new OrcError('CLUSTER_NOT_FOUND', message, { cause: err, context: { cluster: alias } });
  }
}

/**
 * The hint of a route that takes either `:clusterHint` or `:host/:port` (orchestrator's
 * `getClusterHint`).
 */
export function clusterHintOf(params: {
  clusterHint?: string;
  clusterName?: string;
  host?: string;
  port?: string;
}): string {
  if (params.clusterHint !== undefined && params.clusterHint !== '') return params.clusterHint;
  if (params.clusterName !== undefined && params.clusterName !== '') return params.clusterName;
  if (params.host !== undefined && params.port !== undefined) {
    return `${params.host}:${params.port}`;
  }
  return '';
}
