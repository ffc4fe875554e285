/**
 * The vocabulary of the option schema: what one option declares, and the small builders the
 * schema files use so that every declaration reads the same way.
 */

/** How a value is written and checked. */
export type OptionKind = 'string' | 'boolean' | 'integer' | 'number' | 'enum' | 'list' | 'map';

/** One orchestrator key that sets an option, as orchestrator spells and scales it. */
export interface OrchestratorKey {
  readonly key: string;
  /** orc's value = orchestrator's value × factor (e.g. 60 for a minutes key of a seconds option). */
  readonly factor: number;
  /** A key that applies only when no other key of the same option is given in the same file. */
  readonly fallback: boolean;
  /** A legacy synonym (master/slave vocabulary); never written by `dump --format orchestrator`. */
  readonly legacy: boolean;
}

/**
 * Everything orc knows about one option. `default` applies to orc's own configuration;
 * `orchestratorDefault`, when present, replaces it when the configuration came from an
 * orchestrator-format file (see docs/configuration.md, "Defaults").
 */
export interface OptionSpec<T> {
  readonly kind: OptionKind;
  readonly default: T;
  readonly orchestratorDefault?: T;
  /** One or two sentences for people; rendered into docs/configuration.md. */
  readonly doc: string;
  /** True when a running orc applies a new value without a restart. */
  readonly reload: boolean;
  readonly orchestrator: readonly OrchestratorKey[];
  /** Masked by dumps; `${NAME}` inside the value is replaced by that environment variable. */
  readonly secret: boolean;
  /** Accepted for orchestrator compatibility only: orc does not act on it. */
  readonly compat: boolean;
  readonly min?: number;
  readonly max?: number;
  /** Allowed values of an enum, and accepted spellings that normalise to one of them. */
  readonly values?: readonly string[];
  readonly aliases?: Readonly<Record<string, string>>;
  /** How the default is shown in the docs when the value alone would mislead. */
  readonly defaultDoc?: string;
}

/** An option of unknown value type, as code that walks the schema sees it. */
export type AnyOption = OptionSpec<unknown>;

/** The value type an option declaration produces. */
export type ValueOf<S> = S extends OptionSpec<infer T> ? T : never;

type KeyInput = string | { key: string; factor?: number; fallback?: boolean; legacy?: boolean };

interface Common {
  doc: string;
  reload: boolean;
  /** The orchestrator key, or keys (the first is the current name, later ones synonyms). */
  orc?: KeyInput | readonly KeyInput[];
  secret?: boolean;
  compat?: boolean;
  defaultDoc?: string;
}

function keys(orc: Common['orc']): readonly OrchestratorKey[] {
  if (orc === undefined) return [];
  const list: readonly KeyInput[] = typeof orc === 'string' || !Array.isArray(orc) ? [orc] : orc;
  return list.map((k) =>
    typeof k === 'string'
      ? { key: k, factor: 1, fallback: false, legacy: false }
      : {
          key: k.key,
          factor: k.factor ?? 1,
          fallback: k.fallback ?? false,
          legacy: k.legacy ?? false,
        },
  );
}

function base<T>(kind: OptionKind, value: T, o: Common): OptionSpec<T> {
  return {
    kind,
    default: value,
    doc: o.doc,
    reload: o.reload,
    orchestrator: keys(o.orc),
    secret: o.secret ?? false,
    compat: o.compat ?? false,
    ...(o.defaultDoc === undefined ? {} : { defaultDoc: o.defaultDoc }),
  };
}

/** A text option; the default is "" unless given. */
export function str(
  o: Common & { default?: string; orchestratorDefault?: string },
): OptionSpec<string> {
  const spec = base('string', o.default ?? '', o);
  return o.orchestratorDefault === undefined
    ? spec
    : { ...spec, orchestratorDefault: o.orchestratorDefault };
}

/** A secret text option (password, token): masked in dumps, `${ENV}` substituted. */
export function secret(o: Common): OptionSpec<string> {
  return base('string', '', { ...o, secret: true });
}

/** true or false; files must give a JSON/YAML boolean, not text. */
export function bool(o: Common & { default: boolean }): OptionSpec<boolean> {
  return base('boolean', o.default, o);
}

/** A whole number; `min` defaults to 0 because orchestrator's counters are unsigned. */
export function int(
  o: Common & { default: number; min?: number; max?: number },
): OptionSpec<number> {
  return { ...base('integer', o.default, o), min: o.min ?? 0, ...range(o.max) };
}

/** A whole number that may be negative (e.g. -1 meaning "driver default"). */
export function signedInt(o: Common & { default: number }): OptionSpec<number> {
  return base('integer', o.default, o);
}

/** A number that may have a fraction (e.g. a back-off factor); `min` defaults to 0. */
export function num(o: Common & { default: number; min?: number }): OptionSpec<number> {
  return { ...base('number', o.default, o), min: o.min ?? 0 };
}

function range(max: number | undefined): { max?: number } {
  return max === undefined ? {} : { max };
}

/** A list of text values; the default is empty unless given. */
export function list(o: Common & { default?: readonly string[] }): OptionSpec<readonly string[]> {
  return base('list', o.default ?? [], o);
}

/** A mapping of text to text (e.g. ClusterNameToAlias); files merge entries key by key. */
export function map(o: Common): OptionSpec<Readonly<Record<string, string>>> {
  return base('map', {}, o);
}

/** One of fixed text values; `aliases` are other accepted spellings (e.g. sqlite3 → sqlite). */
export function oneOf<const V extends readonly string[]>(
  values: V,
  o: Common & {
    default: V[number];
    orchestratorDefault?: V[number];
    aliases?: Readonly<Record<string, V[number]>>;
  },
): OptionSpec<V[number]> {
  const spec: OptionSpec<V[number]> = { ...base('enum', o.default, o), values };
  return {
    ...spec,
    ...(o.aliases === undefined ? {} : { aliases: o.aliases }),
    ...(o.orchestratorDefault === undefined ? {} : { orchestratorDefault: o.orchestratorDefault }),
  };
}

/** The sentence that marks options orc accepts but does not act on. */
export const COMPAT_NOTE = 'Accepted for compatibility; not acted on yet.';
