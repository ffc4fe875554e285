/**
 * orchestrator's tag endpoints (go/http/api.go `Tagged`, `Tags`, `TagValue`, `Tag`, `Untag`,
 * `UntagAll`; docs/tags.md). Reads answer raw JSON; changes answer the `{Code, Message,
 * Details}` envelope. One deliberate difference: orchestrator lets anyone tag and untag even
 * under ReadOnly; orc treats them as the changes they are (`mutates: true`).
 */
import { OrcError } from '../../common/errors.js';
import { compareInstanceKeys, instanceKeyId, type InstanceKey } from '../../topology/index.js';
import { respondCompat } from '../compat-reply.js';
import { compatKey } from '../compat/instance-json.js';
import { COMPAT_BAD_PARAMETER, keyText } from '../compat/params.js';
import {
  parseTagExpression,
  requestedTag,
  selectTagged,
  type TagTerm,
} from '../compat/tag-expression.js';
import type { OrcApp } from '../types.js';
import {
  CHANGE,
  pathKey,
  READ,
  sendRaw,
  type HostPort,
  type InventoryContext,
} from './inventory-compat.js';

type TagParams = HostPort & { tagName?: string; tagValue?: string };
type TagQuery = { tag?: string };

/** Registers the tag routes. */
export function registerCompatTags(app: OrcApp, ctx: InventoryContext): void {
  registerTagReads(app, ctx);
  registerTagChanges(app, ctx);
}

function registerTagReads(app: OrcApp, ctx: InventoryContext): void {
  app.get<{ Querystring: TagQuery }>('/api/tagged', READ, async (req, reply) => {
    const keys = await taggedKeys(ctx, req.query.tag ?? '');
    return sendRaw(reply, keys.map(compatKey));
  });

  app.get<{ Params: HostPort }>('/api/tags/:host/:port', READ, async (req, reply) => {
    const tags = await ctx.deps.backend.tags.get(await ctx.store.resolveKey(pathKey(req.params)));
    return sendRaw(
      reply,
      tags.map((t) => `${t.name}=${t.value}`),
    );
  });

  for (const route of ['/api/tag-value/:host/:port', '/api/tag-value/:host/:port/:tagName']) {
    app.get<{ Params: TagParams; Querystring: TagQuery }>(route, READ, async (req, reply) => {
      const key = await ctx.store.resolveKey(pathKey(req.params));
      const { name } = requestedTag(req.query.tag, req.params);
      const found = (await ctx.deps.backend.tags.get(key)).find((t) => t.name === name);
      if (found === undefined) {
        const message = `tag ${name} not found for ${keyText(key)}`;
        throw new OrcError('TAG_NOT_FOUND', message, { context: { instance: keyText(key) } });
      }
      return sendRaw(reply, found.value);
    });
  }
}

function registerTagChanges(app: OrcApp, ctx: InventoryContext): void {
  for (const route of ['/api/tag/:host/:port', '/api/tag/:host/:port/:tagName/:tagValue']) {
    app.get<{ Params: TagParams; Querystring: TagQuery }>(route, CHANGE, async (req, reply) => {
      const key = await ctx.store.resolveKey(pathKey(req.params));
      const tag = requestedTag(req.query.tag, req.params);
      const value = tag.value ?? '';
      await ctx.changes.tag(key, { name: tag.name, value });
      const message = `${keyText(key)} tagged with ${tag.name}=${value}`;
      return respondCompat(reply, 'OK', message, compatKey(key));
    });
  }

  for (const route of ['/api/untag/:host/:port', '/api/untag/:host/:port/:tagName']) {
    app.get<{ Params: TagParams; Querystring: TagQuery }>(route, CHANGE, async (req, reply) => {
      const key = await ctx.store.resolveKey(pathKey(req.params));
      const tag = requestedTag(req.query.tag, req.params);
      const untagged = await ctx.changes.untag(key, tag.name, tag.value);
      return untaggedReply(reply, tag.name, untagged);
    });
  }

  for (const route of ['/api/untag-all', '/api/untag-all/:tagName/:tagValue']) {
    app.get<{ Params: Partial<TagParams>; Querystring: TagQuery }>(
      route,
      CHANGE,
      async (req, reply) => {
        const tag = requestedTag(req.query.tag, req.params);
        if (tag.value === undefined || tag.value === '') {
          const message =
            'Untag: either indicate an instance or a tag value. ' +
            'Will not delete on-valued tag across instances';
          throw new OrcError(COMPAT_BAD_PARAMETER, message, { context: { value: tag.name } });
        }
        return untaggedReply(reply, tag.name, await ctx.changes.untagAll(tag.name, tag.value));
      },
    );
  }
}

function untaggedReply(
  reply: Parameters<typeof respondCompat>[0],
  name: string,
  keys: readonly InstanceKey[],
) {
  const message = `${name} removed from ${keys.length} instances`;
  return respondCompat(reply, 'OK', message, keys.map(compatKey));
}

/**
 * The keys a tag expression selects, in key order. `~name` considers every known instance;
 * the other terms select among tagged keys (tags may outlive an instance, as in orchestrator).
 */
export async function taggedKeys(
  ctx: InventoryContext,
  expression: string,
): Promise<InstanceKey[]> {
  const terms = parseTagExpression(expression);
  const { backend } = ctx.deps;
  const keys = new Map<string, InstanceKey>();
  const remember = (found: readonly InstanceKey[]) =>
    new Set(found.map((k) => (keys.set(instanceKeyId(k), k), instanceKeyId(k))));
  const byName = new Map<string, ReadonlySet<string>>();
  const byValue = new Map<string, ReadonlySet<string>>();
  for (const t of terms) {
    byName.set(t.name, remember(await backend.tags.find(t.name)));
    if (t.value !== undefined) {
      byValue.set(`${t.name}=${t.value}`, remember(await backend.tags.find(t.name, t.value)));
    }
  }
  const all = needsAll(terms)
    ? [...remember((await backend.instances.all()).map((i) => i.key))]
    : [];
  const ids = selectTagged(
    terms,
    {
      all,
      withName: (name) => byName.get(name) ?? new Set(),
      withValue: (name, value) => byValue.get(`${name}=${value}`) ?? new Set(),
    },
    (a, b) => compareInstanceKeys(keyOf(keys, a), keyOf(keys, b)),
  );
  return ids.map((id) => keyOf(keys, id));
}

function needsAll(terms: readonly TagTerm[]): boolean {
  return terms.some((t) => t.negate && t.value === undefined);
}

function keyOf(keys: ReadonlyMap<string, InstanceKey>, id: string): InstanceKey {
  const key = keys.get(id);
  if (key === undefined) throw new OrcError('INTERNAL', `cannot find key ${id}`);
  return key;
}
