/**
 * Printing a compiled configuration (secrets masked) in orc's shape or orchestrator's keys,
 * and telling which options differ between two configurations.
 */
import { allOptions, primaryOrchestratorKey, type Config } from './schema.js';

/** What a set secret is shown as; an empty secret stays "". */
export const MASK = '****';

function read(config: Config, area: string, name: string): unknown {
  return (config as unknown as Record<string, Record<string, unknown>>)[area]?.[name];
}

function shown(value: unknown, secret: boolean): unknown {
  if (secret && value !== '') return MASK;
  if (Array.isArray(value)) return [...(value as unknown[])];
  if (typeof value === 'object' && value !== null) return { ...value };
  return value;
}

/**
 * The effective configuration as a plain, mutable object of orc's shape (`area: { option }`),
 * every option included, passwords, secrets and tokens replaced by "****" when set.
 */
export function dumpConfig(config: Config): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const o of allOptions) {
    (out[o.area] ??= {})[o.name] = shown(read(config, o.area, o.name), o.spec.secret);
  }
  return out;
}

/**
 * The effective configuration under orchestrator's current PascalCase keys (no legacy
 * synonyms), secrets masked, for people moving between the two. orc-only options are left
 * out; an option whose orchestrator key has another unit is converted back.
 */
export function toOrchestratorKeys(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const o of allOptions) {
    const key = primaryOrchestratorKey(o);
    if (key === undefined) continue;
    const value = shown(read(config, o.area, o.name), o.spec.secret);
    out[key.key] = key.factor === 1 || typeof value !== 'number' ? value : value / key.factor;
  }
  return out;
}

/** One option whose value differs between two configurations. */
export interface Change {
  readonly path: string;
  /** True when a running orc can apply it; false means a restart is needed. */
  readonly reload: boolean;
}

/** Options whose effective values differ, in schema order (for reloads on SIGHUP). */
export function changedOptions(before: Config, after: Config): Change[] {
  return allOptions
    .filter(
      (o) =>
        JSON.stringify(read(before, o.area, o.name)) !==
        JSON.stringify(read(after, o.area, o.name)),
    )
    .map((o) => ({ path: o.path, reload: o.spec.reload }));
}
