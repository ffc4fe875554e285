/**
 * Compiles sources (files in order, then the environment) into one frozen Config. Pure: the
 * caller reads files and passes the environment in; tests call this with literal documents.
 */
import { OrcError } from '../common/errors.js';
import { advise, normalise, validate, type Draft } from './rules.js';
import { allOptions, optionsByPath, primaryOrchestratorKey, type Config } from './schema.js';
import type { Assignment, Source } from './sources.js';

/**
 * `orchestrator`: the files use only orchestrator's PascalCase keys; `native`: only orc's
 * own (or there are no files); `mixed`: both. Only `native` gets orc's own defaults where
 * they differ from orchestrator's (backend.type, backend.sqliteDataFile).
 */
export type ConfigFormat = 'native' | 'orchestrator' | 'mixed';

export interface LoadResult {
  /** Deeply frozen; every option present. */
  readonly config: Config;
  /** Ignored keys, clamped values and likely mistakes, one sentence each. */
  readonly warnings: readonly string[];
  readonly format: ConfigFormat;
  /** `area.name` of every option some source set, in schema order. */
  readonly explicit: readonly string[];
}

function formatOf(sources: readonly Source[]): ConfigFormat {
  const orc = sources.some((s) => s.orchestratorKeyCount > 0);
  const native = sources.some((s) => s.nativeKeyCount > 0);
  if (orc && native) return 'mixed';
  return orc ? 'orchestrator' : 'native';
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return [...(v as unknown[])];
  if (typeof v === 'object' && v !== null) return { ...v };
  return v;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function defaults(format: ConfigFormat): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const o of allOptions) {
    const value =
      format !== 'native' && o.spec.orchestratorDefault !== undefined
        ? o.spec.orchestratorDefault
        : o.spec.default;
    (out[o.area] ??= {})[o.name] = clone(value);
  }
  return out;
}

/** Builds the message namer: the key as the user wrote it, with the other name in brackets. */
function namer(provenance: ReadonlyMap<string, Assignment>, format: ConfigFormat) {
  return (path: string): string => {
    const option = optionsByPath.get(path);
    const orcKey = option === undefined ? undefined : primaryOrchestratorKey(option)?.key;
    const written = provenance.get(path)?.key;
    const shown = written ?? (format === 'native' || orcKey === undefined ? path : orcKey);
    if (shown === path) return orcKey === undefined ? path : `${path} (${orcKey})`;
    return `${shown} (${path})`;
  };
}

/** Replaces `${NAME}` in secret options by environment variables (orchestrator: passwords). */
function substitute(
  draft: Record<string, Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
  name: (path: string) => string,
  issues: string[],
): void {
  for (const o of allOptions) {
    const area = draft[o.area];
    const value = area?.[o.name];
    if (!o.spec.secret || typeof value !== 'string' || area === undefined) continue;
    area[o.name] = value.replace(/\$\{([^}]*)\}/g, (_, variable: string) => {
      const resolved = env[variable.trim()];
      if (resolved === undefined) {
        issues.push(
          `${name(o.path)} refers to environment variable ${variable.trim()}, which is not set`,
        );
        return '';
      }
      return resolved;
    });
  }
}

/**
 * Merges `sources` over the defaults (later sources win; lists are replaced, maps merged key by
 * key), substitutes `${NAME}` in secrets from `env`, applies orchestrator's normalisations and
 * validations, and freezes the result. Throws OrcError CONFIG_INVALID listing every problem
 * found in any source; otherwise returns the config with all warnings.
 */
export function compileConfig(
  sources: readonly Source[],
  options: { env?: Readonly<Record<string, string | undefined>> } = {},
): LoadResult {
  const format = formatOf(sources);
  const draft = defaults(format);
  const provenance = new Map<string, Assignment>();
  const warnings = sources.flatMap((s) => s.warnings);
  const issues = sources.flatMap((s) => s.issues);

  for (const source of sources) {
    for (const [path, assignment] of source.values) {
      const option = optionsByPath.get(path);
      const area = option === undefined ? undefined : draft[option.area];
      if (option === undefined || area === undefined) continue;
      const previous = area[option.name];
      area[option.name] =
        option.spec.kind === 'map'
          ? { ...(previous as object), ...(assignment.value as object) }
          : clone(assignment.value);
      provenance.set(path, assignment);
    }
  }

  const name = namer(provenance, format);
  substitute(draft, options.env ?? {}, name, issues);
  const config = draft as unknown as Draft;
  normalise(config, warnings, name);
  issues.push(...validate(config, name));
  if (issues.length > 0) throw invalid(issues, warnings);
  warnings.push(...advise(config, name));

  const explicit = allOptions.filter((o) => provenance.has(o.path)).map((o) => o.path);
  return { config: deepFreeze(config), warnings, format, explicit };
}

/**
 * One CONFIG_INVALID error carrying every problem, each on its own line; `context.issues` lists
 * them and `context.warnings` keeps the warnings found on the way (often the cause).
 */
function invalid(issues: readonly string[], warnings: readonly string[]): OrcError {
  const message =
    issues.length === 1
      ? `invalid configuration: ${issues[0]}`
      : `invalid configuration, ${issues.length} problems:\n${issues.map((i) => `  - ${i}`).join('\n')}`;
  return new OrcError('CONFIG_INVALID', message, {
    context: { issues: [...issues], warnings: [...warnings] },
  });
}
