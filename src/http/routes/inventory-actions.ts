/**
 * orchestrator's inventory changes over GET (go/http/api.go `Discover`, `AsyncDiscover`,
 * `Refresh`, `Forget`, `ForgetCluster`, `BeginDowntime`, `EndDowntime`, `BeginMaintenance`,
 * `EndMaintenance`, `EndMaintenanceByInstanceKey`, `RegisterCandidate`,
 * `SetClusterAliasManualOverride`). Each declares `mutates: true`, so ReadOnly, the caller's
 * role and leadership are checked before it runs (refusal: 500 `Unauthorized`), and each
 * answers orchestrator's `{Code, Message, Details}` envelope with its message wording.
 * Compatibility layer: orchestrator's vocabulary on the wire.
 */
import { OrcError } from '../../common/errors.js';
import { isPromotionRule } from '../../topology/index.js';
import { respondCompat } from '../compat-reply.js';
import { compatNumericId } from '../compat/ids.js';
import { compatKey } from '../compat/instance-json.js';
import { COMPAT_BAD_PARAMETER, keyText, parseSimpleDuration } from '../compat/params.js';
import type { OrcApp } from '../types.js';
import {
  CHANGE,
  compatInstance,
  pathKey,
  resolveClusterHint,
  type HostPort,
  type InventoryContext,
} from './inventory-compat.js';

/** Registers the compatibility inventory changes. */
export function registerCompatActions(app: OrcApp, ctx: InventoryContext): void {
  registerDiscovery(app, ctx);
  registerDowntime(app, ctx);
  registerMaintenance(app, ctx);
  registerMetadata(app, ctx);
}

function registerDiscovery(app: OrcApp, ctx: InventoryContext): void {
  app.get<{ Params: HostPort }>('/api/discover/:host/:port', CHANGE, async (req, reply) => {
    const instance = await ctx.changes.discover(await resolved(ctx, req.params));
    const message = `Instance discovered: ${keyText(instance.key)}`;
    return respondCompat(reply, 'OK', message, await compatInstance(ctx, instance));
  });
  app.get<{ Params: HostPort }>('/api/async-discover/:host/:port', CHANGE, async (req, reply) => {
    const key = await resolved(ctx, req.params);
    await ctx.changes.asyncDiscover(key);
    const message = `Asynchronous discovery initiated for Instance: ${keyText(key)}`;
    return respondCompat(reply, 'OK', message);
  });
  app.get<{ Params: HostPort }>('/api/refresh/:host/:port', CHANGE, async (req, reply) => {
    const key = await resolved(ctx, req.params);
    await ctx.changes.refresh(key);
    return respondCompat(reply, 'OK', `Instance refreshed: ${keyText(key)}`, compatKey(key));
  });
  app.get<{ Params: HostPort }>('/api/forget/:host/:port', CHANGE, async (req, reply) => {
    const key = pathKey(req.params);
    await ctx.changes.forget(key);
    return respondCompat(reply, 'OK', `Instance forgotten: ${keyText(key)}`, compatKey(key));
  });
  app.get<{ Params: { clusterHint: string } }>(
    '/api/forget-cluster/:clusterHint',
    CHANGE,
    async (req, reply) => {
      const clusterName = await resolveClusterHint(ctx, req.params.clusterHint);
      await ctx.changes.forgetCluster(clusterName);
      return respondCompat(reply, 'OK', `Cluster forgotten: ${clusterName}`);
    },
  );
}

type DowntimeParams = HostPort & { owner: string; reason: string; duration?: string };

function registerDowntime(app: OrcApp, ctx: InventoryContext): void {
  const begin = async (params: DowntimeParams) => {
    const key = await resolved(ctx, params);
    const durationMs = params.duration === undefined ? 0 : parseSimpleDuration(params.duration);
    await ctx.changes.beginDowntime({
      key,
      owner: params.owner,
      reason: params.reason,
      durationMs,
    });
    return key;
  };
  for (const route of [
    '/api/begin-downtime/:host/:port/:owner/:reason',
    '/api/begin-downtime/:host/:port/:owner/:reason/:duration',
  ]) {
    app.get<{ Params: DowntimeParams }>(route, CHANGE, async (req, reply) => {
      const key = await begin(req.params);
      return respondCompat(reply, 'OK', `Downtime begun: ${keyText(key)}`, compatKey(key));
    });
  }
  app.get<{ Params: HostPort }>('/api/end-downtime/:host/:port', CHANGE, async (req, reply) => {
    const key = await resolved(ctx, req.params);
    await ctx.changes.endDowntime(key);
    return respondCompat(reply, 'OK', `Downtime ended: ${keyText(key)}`, compatKey(key));
  });
}

function registerMaintenance(app: OrcApp, ctx: InventoryContext): void {
  app.get<{ Params: HostPort & { owner: string; reason: string } }>(
    '/api/begin-maintenance/:host/:port/:owner/:reason',
    CHANGE,
    async (req, reply) => {
      const key = await resolved(ctx, req.params);
      const { owner, reason } = req.params;
      await ctx.changes.beginMaintenance({ key, owner, reason, durationMs: 0 });
      return respondCompat(reply, 'OK', `Maintenance begun: ${keyText(key)}`, compatKey(key));
    },
  );
  app.get<{ Params: HostPort }>('/api/end-maintenance/:host/:port', CHANGE, async (req, reply) => {
    const key = await resolved(ctx, req.params);
    await ctx.changes.endMaintenance(key);
    return respondCompat(reply, 'OK', `Maintenance ended: ${keyText(key)}`, compatKey(key));
  });
  app.get<{ Params: { maintenanceKey: string } }>(
    '/api/end-maintenance/:maintenanceKey',
    CHANGE,
    async (req, reply) => {
      const text = req.params.maintenanceKey;
      if (!/^-?\d+$/.test(text)) {
        const message = `strconv.ParseInt: parsing "${text}": invalid syntax`;
        throw new OrcError(COMPAT_BAD_PARAMETER, message, { context: { value: text } });
      }
      const id = Number(text);
      const { now } = ctx.store.timing();
      const locks = await ctx.deps.backend.maintenance.listActive(now);
      const lock = locks.find((l) => l.id === text || compatNumericId(l.id) === id);
      // Like orchestrator, ending a lock that is not active is not an error.
      if (lock !== undefined) await ctx.changes.endMaintenanceLock(lock);
      return respondCompat(reply, 'OK', `Maintenance ended: ${text}`, id);
    },
  );
}

function registerMetadata(app: OrcApp, ctx: InventoryContext): void {
  app.get<{ Params: HostPort & { promotionRule: string } }>(
    '/api/register-candidate/:host/:port/:promotionRule',
    CHANGE,
    async (req, reply) => {
      const key = await resolved(ctx, req.params);
      const rule = req.params.promotionRule;
      if (!isPromotionRule(rule)) {
        const message = `Invalid CandidatePromotionRule: ${rule}`;
        throw new OrcError(COMPAT_BAD_PARAMETER, message, { context: { value: rule } });
      }
      await ctx.changes.registerCandidate(key, rule);
      return respondCompat(reply, 'OK', 'Registered candidate', compatKey(key));
    },
  );
  app.get<{ Params: { clusterName: string }; Querystring: { alias?: string } }>(
    '/api/set-cluster-alias/:clusterName',
    CHANGE,
    async (req, reply) => {
      const given = req.params.clusterName;
      const clusterName = await ctx.store.resolveCluster(given).catch(() => given);
      const alias = req.query.alias ?? '';
      await ctx.changes.setClusterAlias(clusterName, alias);
      return respondCompat(reply, 'OK', `Cluster ${clusterName} now has alias '${alias}'`);
    },
  );
}

/** The key of `:host/:port`, resolved to the name orc stores (orchestrator `getInstanceKey`). */
async function resolved(ctx: InventoryContext, params: HostPort) {
  return ctx.store.resolveKey(pathKey(params));
}
