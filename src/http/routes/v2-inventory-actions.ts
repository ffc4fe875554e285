/**
 * orc's v2 inventory changes: discover, refresh, forget, downtime, maintenance, promotion
 * rule, tags and cluster alias. POST for actions, PUT to set, DELETE to remove; each declares
 * `mutates: true` (403 READ_ONLY / FORBIDDEN, 503 NOT_LEADER from the auth hook) and is
 * audited. Changes to an instance orc does not know are 404 INSTANCE_NOT_FOUND; a lock held by
 * someone else is 409 INSTANCE_IN_MAINTENANCE; a malformed duration is 400 INVALID_ARGUMENT.
 */
import type { TSchema } from 'typebox';
import { hasCode, OrcError } from '../../common/errors.js';
import type { MaintenanceLock } from '../../backend/index.js';
import { formatInstanceKey, type Instance, type InstanceKey } from '../../topology/index.js';
import { V2ErrorBody } from '../errors.js';
import type { OrcApp } from '../types.js';
import type { HoldRequest } from './inventory-changes.js';
import type { InventoryContext } from './inventory-compat.js';
import {
  ClusterParams,
  InstanceParams,
  TagParams,
  v2DurationMs,
  v2Key,
} from './v2-inventory-params.js';
import {
  isoTime,
  toV2Instance,
  V2AliasBody,
  V2AliasReply,
  V2DowntimeReply,
  V2Ended,
  V2Forgotten,
  V2HoldBody,
  V2Instance,
  V2MaintenanceReply,
  V2PromotionRuleBody,
  V2PromotionRuleReply,
  V2TagBody,
  V2Tags,
} from './v2-inventory-schemas.js';

const INSTANCE = '/api/v2/instances/:instance';
const errors = { 400: V2ErrorBody, 404: V2ErrorBody, 409: V2ErrorBody };

/** Options of a v2 change without a body. */
function change<P extends TSchema, R extends TSchema>(summary: string, params: P, reply: R) {
  return {
    config: { mutates: true },
    schema: { summary, tags: ['inventory'], params, response: { 200: reply, ...errors } },
  };
}

/** Options of a v2 change with a JSON body. */
function changeWith<P extends TSchema, B extends TSchema, R extends TSchema>(
  summary: string,
  params: P,
  body: B,
  reply: R,
) {
  const options = change(summary, params, reply);
  return { ...options, schema: { ...options.schema, body } };
}

/** Registers the v2 inventory changes. */
export function registerV2InventoryActions(app: OrcApp, ctx: InventoryContext): void {
  registerDiscovery(app, ctx);
  registerDowntime(app, ctx);
  registerMaintenance(app, ctx);
  registerPromotionRule(app, ctx);
  registerTags(app, ctx);
  registerAlias(app, ctx);
}

/** The known instance an `:instance` parameter names (400 malformed, 404 unknown). */
async function known(ctx: InventoryContext, text: string): Promise<Instance> {
  return ctx.store.requireInstance(v2Key(text, ctx.deps.config.topology.defaultInstancePort));
}

function registerDiscovery(app: OrcApp, ctx: InventoryContext): void {
  const asV2 = async (instance: Instance) =>
    toV2Instance(await ctx.store.view(instance), ctx.store.timing());

  const discover = change('Probe a server now and watch its topology', InstanceParams, V2Instance);
  app.post(`${INSTANCE}/discover`, discover, async (req) => {
    const port = ctx.deps.config.topology.defaultInstancePort;
    const key = await ctx.store.resolveKey(v2Key(req.params.instance, port));
    return asV2(await ctx.changes.discover(key));
  });

  const refresh = change('Probe a known instance again now', InstanceParams, V2Instance);
  app.post(`${INSTANCE}/refresh`, refresh, async (req) => {
    const { key } = await known(ctx, req.params.instance);
    return asV2(await ctx.changes.refresh(key));
  });

  const forget = change(
    'Forget an instance (it returns if named again)',
    InstanceParams,
    V2Forgotten,
  );
  app.delete(INSTANCE, forget, async (req) => {
    const { key } = await known(ctx, req.params.instance);
    await ctx.changes.forget(key);
    return { instance: formatInstanceKey(key), forgotten: true };
  });
}

function holdRequest(key: InstanceKey, body: { owner: string; reason: string; duration?: string }) {
  const request: HoldRequest = {
    key,
    owner: body.owner,
    reason: body.reason,
    durationMs: v2DurationMs(body.duration),
  };
  return request;
}

function registerDowntime(app: OrcApp, ctx: InventoryContext): void {
  const begin = changeWith(
    'Begin or replace a downtime',
    InstanceParams,
    V2HoldBody,
    V2DowntimeReply,
  );
  app.put(`${INSTANCE}/downtime`, begin, async (req) => {
    const { key } = await known(ctx, req.params.instance);
    const d = await ctx.changes.beginDowntime(holdRequest(key, req.body));
    const downtime = {
      owner: d.owner,
      reason: d.reason,
      beginsAt: isoTime(d.beginsAt),
      endsAt: isoTime(d.endsAt),
    };
    return { instance: formatInstanceKey(key), downtime };
  });

  const end = change('End a downtime', InstanceParams, V2Ended);
  app.delete(`${INSTANCE}/downtime`, end, async (req) => {
    const { key } = await known(ctx, req.params.instance);
    return { instance: formatInstanceKey(key), ended: await ctx.changes.endDowntime(key) };
  });
}

function registerMaintenance(app: OrcApp, ctx: InventoryContext): void {
  const begin = changeWith(
    'Take the maintenance lock',
    InstanceParams,
    V2HoldBody,
    V2MaintenanceReply,
  );
  app.put(`${INSTANCE}/maintenance`, begin, async (req) => {
    const { key } = await known(ctx, req.params.instance);
    return { maintenance: v2Lock(await beginMaintenance(ctx, holdRequest(key, req.body))) };
  });

  const end = change('Release the maintenance lock', InstanceParams, V2Ended);
  app.delete(`${INSTANCE}/maintenance`, end, async (req) => {
    const { key } = await known(ctx, req.params.instance);
    return { instance: formatInstanceKey(key), ended: await ctx.changes.endMaintenance(key) };
  });
}

/** Takes the lock; someone else holding it is 409 INSTANCE_IN_MAINTENANCE. */
async function beginMaintenance(
  ctx: InventoryContext,
  request: HoldRequest,
): Promise<MaintenanceLock> {
  try {
    return await ctx.changes.beginMaintenance(request);
  } catch (err) {
    if (!hasCode(err, 'MAINTENANCE_HELD')) throw err;
    throw new OrcError('INSTANCE_IN_MAINTENANCE', err.message, {
      cause: err,
      context: { instance: formatInstanceKey(request.key) },
    });
  }
}

function v2Lock(lock: MaintenanceLock) {
  return {
    id: lock.id,
    instance: formatInstanceKey(lock.key),
    owner: lock.owner,
    reason: lock.reason,
    node: lock.node.hostname,
    beginsAt: isoTime(lock.beginsAt),
    endsAt: isoTime(lock.endsAt),
  };
}

function registerPromotionRule(app: OrcApp, ctx: InventoryContext): void {
  const options = changeWith(
    'Register a promotion rule (expires after CandidateInstanceExpireMinutes)',
    InstanceParams,
    V2PromotionRuleBody,
    V2PromotionRuleReply,
  );
  app.put(`${INSTANCE}/promotion-rule`, options, async (req) => {
    const { key } = await known(ctx, req.params.instance);
    await ctx.changes.registerCandidate(key, req.body.promotionRule);
    return { instance: formatInstanceKey(key), promotionRule: req.body.promotionRule };
  });
}

function registerTags(app: OrcApp, ctx: InventoryContext): void {
  const reply = async (key: InstanceKey) => ({
    instance: formatInstanceKey(key),
    tags: await ctx.deps.backend.tags.get(key),
  });

  const read = {
    ...change("An instance's tags", InstanceParams, V2Tags),
    config: { mutates: false },
  };
  app.get(`${INSTANCE}/tags`, read, async (req) =>
    reply((await known(ctx, req.params.instance)).key),
  );

  const put = changeWith('Set a tag', TagParams, V2TagBody, V2Tags);
  app.put(`${INSTANCE}/tags/:name`, put, async (req) => {
    const { key } = await known(ctx, req.params.instance);
    await ctx.changes.tag(key, { name: req.params.name, value: req.body.value ?? '' });
    return reply(key);
  });

  const remove = change('Remove a tag', TagParams, V2Tags);
  app.delete(`${INSTANCE}/tags/:name`, remove, async (req) => {
    const { key } = await known(ctx, req.params.instance);
    await ctx.changes.untag(key, req.params.name);
    return reply(key);
  });
}

function registerAlias(app: OrcApp, ctx: InventoryContext): void {
  const options = changeWith(
    "Set a cluster's manual alias",
    ClusterParams,
    V2AliasBody,
    V2AliasReply,
  );
  app.put('/api/v2/clusters/:cluster/alias', options, async (req) => {
    const name = await ctx.store.resolveCluster(req.params.cluster);
    await ctx.changes.setClusterAlias(name, req.body.alias);
    return { cluster: name, alias: (await ctx.store.clusterSummary(name)).alias };
  });
}
