/**
 * orc's own inventory API under `/api/v2` (primary/replica vocabulary, typed schemas that
 * `/api/v2/openapi.json` documents): clusters, a cluster with its instances, its topology
 * tree, instances and search. Changes are in v2-inventory-actions.ts. Errors use the v2 body
 * `{error: {code, message, details}}`: 400 for a malformed instance key, 404 for an unknown
 * instance or cluster.
 */
import { Type } from 'typebox';
import type { InstanceKey } from '../../topology/index.js';
import { V2ErrorBody } from '../errors.js';
import type { OrcApp } from '../types.js';
import { inventoryContext } from './inventory.js';
import type { InventoryContext } from './inventory-compat.js';
import type { InventoryDeps } from './inventory-deps.js';
import { registerV2InventoryActions } from './v2-inventory-actions.js';
import { ClusterParams, InstanceParams, v2Key } from './v2-inventory-params.js';
import {
  toV2ClusterSummary,
  toV2Instance,
  V2Cluster,
  V2ClusterList,
  V2Instance,
  V2InstanceList,
  V2Topology,
} from './v2-inventory-schemas.js';
import { topologyTree } from './v2-inventory-topology.js';

const READ = { mutates: false } as const;
const errors = { 400: V2ErrorBody, 404: V2ErrorBody };

/** Registers the v2 inventory routes (reads and changes) on the prefixed scope. */
export function registerV2InventoryRoutes(app: OrcApp, deps: InventoryDeps): void {
  const ctx = inventoryContext(deps);
  registerClusterReads(app, ctx);
  registerInstanceReads(app, ctx);
  registerV2InventoryActions(app, ctx);
}

function keyOf(ctx: InventoryContext, text: string): InstanceKey {
  return v2Key(text, ctx.deps.config.topology.defaultInstancePort);
}

function registerClusterReads(app: OrcApp, ctx: InventoryContext): void {
  const tags = ['inventory'];
  app.get(
    '/api/v2/clusters',
    { config: READ, schema: { summary: 'Every cluster', tags, response: { 200: V2ClusterList } } },
    async () => ({ clusters: (await ctx.store.clusterSummaries()).map(toV2ClusterSummary) }),
  );

  app.get(
    '/api/v2/clusters/:cluster',
    {
      config: READ,
      schema: {
        summary: 'A cluster with its instances, alias and domain',
        tags,
        params: ClusterParams,
        response: { 200: V2Cluster, ...errors },
      },
    },
    async (req) => {
      const name = await ctx.store.resolveCluster(req.params.cluster);
      const summary = await ctx.store.clusterSummary(name);
      const views = await ctx.store.views(await ctx.deps.backend.instances.byCluster(name));
      const timing = ctx.store.timing();
      return {
        ...toV2ClusterSummary(summary),
        instances: views.map((v) => toV2Instance(v, timing)),
      };
    },
  );

  app.get(
    '/api/v2/clusters/:cluster/topology',
    {
      config: READ,
      schema: {
        summary: "A cluster's replication tree",
        tags,
        params: ClusterParams,
        response: { 200: V2Topology, ...errors },
      },
    },
    async (req) => {
      const name = await ctx.store.resolveCluster(req.params.cluster);
      const summary = await ctx.store.clusterSummary(name);
      const views = await ctx.store.views(await ctx.deps.backend.instances.byCluster(name));
      const maxLag = ctx.deps.config.analysis.reasonableMaintenanceReplicationLagSeconds;
      const roots = topologyTree(views, ctx.store.timing(), maxLag);
      return { cluster: name, alias: summary.alias, roots };
    },
  );
}

function registerInstanceReads(app: OrcApp, ctx: InventoryContext): void {
  const tags = ['inventory'];
  app.get(
    '/api/v2/instances',
    {
      config: READ,
      schema: {
        summary: 'Every instance, or those whose address, version or alias contains `search`',
        tags,
        querystring: Type.Object({ search: Type.Optional(Type.String()) }),
        response: { 200: V2InstanceList },
      },
    },
    async (req) => {
      const text = req.query.search?.trim() ?? '';
      const { instances } = ctx.deps.backend;
      const found = text === '' ? await instances.all() : await instances.search(text, 10_000);
      const timing = ctx.store.timing();
      return { instances: (await ctx.store.views(found)).map((v) => toV2Instance(v, timing)) };
    },
  );

  app.get(
    '/api/v2/instances/:instance',
    {
      config: READ,
      schema: {
        summary: 'One instance',
        tags,
        params: InstanceParams,
        response: { 200: V2Instance, ...errors },
      },
    },
    async (req) => {
      const instance = await ctx.store.requireInstance(keyOf(ctx, req.params.instance));
      return toV2Instance(await ctx.store.view(instance), ctx.store.timing());
    },
  );
}
