/**
 * orchestrator's listing endpoints beyond plain instance reads (go/http/api.go `Downtimed`,
 * `Problems`, `asciiTopology`, `Maintenance`, `InMaintenance`, `Audit`). Lists answer raw
 * JSON with 200; the topology and in-maintenance answers are `{Code, Message, Details}`
 * envelopes, as in orchestrator. Compatibility layer: orchestrator's vocabulary on the wire.
 */
import type { AuditEntry, MaintenanceLock } from '../../backend/index.js';
import type { InstanceKey } from '../../topology/index.js';
import { respondCompat } from '../compat-reply.js';
import { asciiTopology } from '../compat/ascii-topology.js';
import { compatNumericId } from '../compat/ids.js';
import { compatKey, NO_COMPAT_KEY, sqlDateTime } from '../compat/instance-json.js';
import type { CompatAudit, CompatMaintenance } from '../compat/orchestrator-types.js';
import { keyFromPath, keyText, parsePage } from '../compat/params.js';
import type { OrcApp } from '../types.js';
import {
  clusterHintOf,
  compatInstances,
  pathKey,
  READ,
  resolveClusterHint,
  sendRaw,
  type HostPort,
  type InventoryContext,
} from './inventory-compat.js';

/** Registers downtimed, problems, topology, maintenance and audit listings. */
export function registerCompatLists(app: OrcApp, ctx: InventoryContext): void {
  registerStateLists(app, ctx);
  registerTopology(app, ctx);
  registerAudit(app, ctx);
}

function registerStateLists(app: OrcApp, ctx: InventoryContext): void {
  const downtimed = async (hint: string | undefined) => {
    const cluster = hint === undefined ? undefined : await resolveClusterHint(ctx, hint);
    return compatInstances(ctx, await ctx.store.downtimedInstances(cluster));
  };
  app.get('/api/downtimed', READ, async (_req, reply) =>
    sendRaw(reply, await downtimed(undefined)),
  );
  app.get<{ Params: { clusterHint: string } }>(
    '/api/downtimed/:clusterHint',
    READ,
    async (req, reply) => sendRaw(reply, await downtimed(req.params.clusterHint)),
  );

  // orchestrator filters on the name as given; orc also accepts an alias or a member.
  const problems = async (name: string | undefined) => {
    const cluster =
      name === undefined ? undefined : await ctx.store.resolveCluster(name).catch(() => name);
    return compatInstances(ctx, await ctx.store.problemInstances(cluster));
  };
  app.get('/api/problems', READ, async (_req, reply) => sendRaw(reply, await problems(undefined)));
  app.get<{ Params: { clusterName: string } }>(
    '/api/problems/:clusterName',
    READ,
    async (req, reply) => sendRaw(reply, await problems(req.params.clusterName)),
  );

  app.get('/api/maintenance', READ, async (_req, reply) => {
    const { now } = ctx.store.timing();
    const locks = await ctx.deps.backend.maintenance.listActive(now);
    return sendRaw(
      reply,
      locks.map((l) => compatMaintenance(l, now)),
    );
  });
  app.get<{ Params: HostPort }>('/api/in-maintenance/:host/:port', READ, async (req, reply) => {
    const key = await ctx.store.resolveKey(pathKey(req.params));
    const lock = await ctx.deps.backend.maintenance.get(key);
    const details = lock === undefined ? '' : keyText(key);
    return respondCompat(reply, 'OK', String(lock !== undefined), details);
  });
}

type TopologyParams = { clusterHint?: string; host?: string; port?: string };

function registerTopology(app: OrcApp, ctx: InventoryContext): void {
  const variants = [
    { path: 'topology', tabulated: false, tags: false },
    { path: 'topology-tabulated', tabulated: true, tags: false },
    { path: 'topology-tags', tabulated: false, tags: true },
  ];
  for (const v of variants) {
    const handler = async (params: TopologyParams) => {
      const clusterName = await resolveClusterHint(ctx, clusterHintOf(params));
      const members = await ctx.deps.backend.instances.byCluster(clusterName);
      const tags = v.tags
        ? await tagDisplays(
            ctx,
            members.map((m) => m.key),
          )
        : undefined;
      const text = asciiTopology(await compatInstances(ctx, members), {
        tabulated: v.tabulated,
        ...(tags === undefined ? {} : { tags }),
        reasonableMaintenanceLagSeconds:
          ctx.deps.config.analysis.reasonableMaintenanceReplicationLagSeconds,
      });
      return { clusterName, text };
    };
    for (const route of [`/api/${v.path}/:clusterHint`, `/api/${v.path}/:host/:port`]) {
      app.get<{ Params: TopologyParams }>(route, READ, async (req, reply) => {
        const { clusterName, text } = await handler(req.params);
        return respondCompat(reply, 'OK', `Topology for cluster ${clusterName}`, text);
      });
    }
  }
}

/** Tags as orchestrator's `Tag.Display()` (`name`, or `name=value`) by `host:port`. */
async function tagDisplays(
  ctx: InventoryContext,
  keys: readonly InstanceKey[],
): Promise<Map<string, string[]>> {
  const tags = await ctx.store.tagsOf(keys);
  return new Map(
    keys.map((k) => [
      `${k.host}:${k.port}`,
      (tags.get(keyText(k)) ?? []).map((t) => (t.value === '' ? t.name : `${t.name}=${t.value}`)),
    ]),
  );
}

function registerAudit(app: OrcApp, ctx: InventoryContext): void {
  const page = async (pageText: string | undefined, key?: InstanceKey) => {
    const entries = await ctx.deps.backend.audit.page({
      page: parsePage(pageText),
      ...(key === undefined ? {} : { key }),
    });
    return entries.map(compatAudit);
  };
  app.get('/api/audit', READ, async (_req, reply) => sendRaw(reply, await page(undefined)));
  app.get<{ Params: { page: string } }>('/api/audit/:page', READ, async (req, reply) =>
    sendRaw(reply, await page(req.params.page)),
  );
  // orchestrator lists every entry when the instance part cannot be read; so does orc.
  const byInstance = async (params: HostPort & { page?: string }) => {
    let key: InstanceKey | undefined;
    try {
      key = keyFromPath(params.host, params.port);
    } catch {
      key = undefined;
    }
    return page(params.page, key);
  };
  for (const route of [
    '/api/audit/instance/:host/:port',
    '/api/audit/instance/:host/:port/:page',
  ]) {
    app.get<{ Params: HostPort & { page?: string } }>(route, READ, async (req, reply) =>
      sendRaw(reply, await byInstance(req.params)),
    );
  }
}

/** orchestrator's `Maintenance` for an active lock. */
export function compatMaintenance(lock: MaintenanceLock, now: number): CompatMaintenance {
  return {
    MaintenanceId: compatNumericId(lock.id),
    Key: compatKey(lock.key),
    BeginTimestamp: sqlDateTime(lock.beginsAt),
    SecondsElapsed: Math.max(0, Math.floor((now - lock.beginsAt) / 1000)),
    IsActive: true,
    Owner: lock.owner,
    Reason: lock.reason,
  };
}

/** orchestrator's `Audit` for an entry. */
export function compatAudit(entry: AuditEntry): CompatAudit {
  return {
    AuditId: compatNumericId(entry.id),
    AuditTimestamp: sqlDateTime(entry.at),
    AuditType: entry.action,
    AuditInstanceKey: entry.key === undefined ? { ...NO_COMPAT_KEY } : compatKey(entry.key),
    Message: entry.message,
    ClusterName: entry.cluster ?? '',
  };
}
