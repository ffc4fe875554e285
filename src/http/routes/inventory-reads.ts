/**
 * orchestrator's instance and cluster reads (go/http/api.go `Instance`, `Cluster`,
 * `ClusterByAlias`, `ClusterByInstance`, `ClusterInfo`, `ClusterInfoByAlias`, `Clusters`,
 * `ClustersInfo`, `Masters`, `ClusterMaster`, `InstanceReplicas`, `AllInstances`, `Search`).
 * All answer raw JSON with 200 (`r.JSON(http.StatusOK, …)`), and failures as the 500
 * `{Code:"ERROR"}` envelope. Compatibility layer: orchestrator's vocabulary on the wire.
 */
import { OrcError } from '../../common/errors.js';
import { toCompatClusterInfo } from '../compat/instance-json.js';
import type { OrcApp } from '../types.js';
import {
  compatInstance,
  compatInstances,
  pathKey,
  readInstance,
  READ,
  resolveClusterAlias,
  resolveClusterHint,
  sendRaw,
  type HostPort,
  type InventoryContext,
} from './inventory-compat.js';

/** Most instances `search` returns. */
const SEARCH_LIMIT = 10_000;

/** Registers the instance and cluster reads. */
export function registerCompatReads(app: OrcApp, ctx: InventoryContext): void {
  registerInstanceReads(app, ctx);
  registerClusterReads(app, ctx);
  registerClusterInfoReads(app, ctx);
}

function registerInstanceReads(app: OrcApp, ctx: InventoryContext): void {
  app.get<{ Params: HostPort }>('/api/instance/:host/:port', READ, async (req, reply) => {
    const instance = await readInstance(ctx, pathKey(req.params));
    return sendRaw(reply, await compatInstance(ctx, instance));
  });

  app.get<{ Params: HostPort }>('/api/instance-replicas/:host/:port', READ, async (req, reply) => {
    const key = await ctx.store.resolveKey(pathKey(req.params));
    const replicas = await ctx.deps.backend.instances.replicasOf(key);
    return sendRaw(reply, await compatInstances(ctx, replicas));
  });

  app.get('/api/all-instances', READ, async (_req, reply) => {
    return sendRaw(reply, await compatInstances(ctx, await ctx.deps.backend.instances.all()));
  });

  const search = async (text: string) => {
    const { instances } = ctx.deps.backend;
    const found =
      text.trim() === '' ? await instances.all() : await instances.search(text, SEARCH_LIMIT);
    return compatInstances(ctx, found);
  };
  app.get<{ Params: { searchString: string } }>(
    '/api/search/:searchString',
    READ,
    async (req, reply) => sendRaw(reply, await search(req.params.searchString)),
  );
  app.get<{ Querystring: { s?: string } }>('/api/search', READ, async (req, reply) =>
    sendRaw(reply, await search(req.query.s ?? '')),
  );
}

function registerClusterReads(app: OrcApp, ctx: InventoryContext): void {
  const members = async (clusterName: string) =>
    compatInstances(ctx, await ctx.deps.backend.instances.byCluster(clusterName));

  app.get<{ Params: { clusterHint: string } }>(
    '/api/cluster/:clusterHint',
    READ,
    async (req, reply) =>
      sendRaw(reply, await members(await resolveClusterHint(ctx, req.params.clusterHint))),
  );
  app.get<{ Params: { clusterAlias: string } }>(
    '/api/cluster/alias/:clusterAlias',
    READ,
    async (req, reply) =>
      sendRaw(reply, await members(await resolveClusterAlias(ctx, req.params.clusterAlias))),
  );
  app.get<{ Params: HostPort }>('/api/cluster/instance/:host/:port', READ, async (req, reply) => {
    const instance = await readInstance(ctx, pathKey(req.params));
    return sendRaw(reply, await members(instance.cluster.name));
  });

  app.get('/api/clusters', READ, async (_req, reply) =>
    sendRaw(reply, await ctx.store.clusterNames()),
  );

  app.get('/api/masters', READ, async (_req, reply) => {
    const primaries = await ctx.deps.backend.instances.primaries();
    return sendRaw(
      reply,
      await compatInstances(
        ctx,
        primaries.filter((i) => !i.readOnly),
      ),
    );
  });

  app.get<{ Params: { clusterHint: string } }>(
    '/api/master/:clusterHint',
    READ,
    async (req, reply) => {
      const clusterName = await resolveClusterHint(ctx, req.params.clusterHint);
      const [primary] = await ctx.store.primariesOf(clusterName);
      if (primary === undefined) {
        const message = `No masters found for ${clusterName}`;
        throw new OrcError('INSTANCE_NOT_FOUND', message, { context: { cluster: clusterName } });
      }
      return sendRaw(reply, await compatInstance(ctx, primary));
    },
  );
}

function registerClusterInfoReads(app: OrcApp, ctx: InventoryContext): void {
  const info = async (clusterName: string) =>
    toCompatClusterInfo(await ctx.store.clusterSummary(clusterName));

  app.get<{ Params: { clusterHint: string } }>(
    '/api/cluster-info/:clusterHint',
    READ,
    async (req, reply) =>
      sendRaw(reply, await info(await resolveClusterHint(ctx, req.params.clusterHint))),
  );
  app.get<{ Params: { clusterAlias: string } }>(
    '/api/cluster-info/alias/:clusterAlias',
    READ,
    async (req, reply) =>
      sendRaw(reply, await info(await resolveClusterAlias(ctx, req.params.clusterAlias))),
  );
  app.get('/api/clusters-info', READ, async (_req, reply) => {
    const summaries = await ctx.store.clusterSummaries();
    return sendRaw(reply, summaries.map(toCompatClusterInfo));
  });
}
