/**
 * Turns one parsed configuration document, or the environment, into option assignments. Pure:
 * no file or process access; problems come back as text, never thrown.
 */
import { coerceEnvValue, coerceFileValue, showValue } from './coerce.js';
import {
  allOptions,
  nonConfigEnv,
  optionsByPath,
  orchestratorKeys,
  retiredOrchestratorKeys,
  schema,
  toEnvWord,
  type OptionInfo,
} from './schema.js';
import { closest } from './suggest.js';

/** One option set by one source: the checked value and the key as the user wrote it. */
export interface Assignment {
  readonly value: unknown;
  readonly key: string;
  readonly origin: string;
}

/** What one file (or the environment) contributes. */
export interface Source {
  /** The file path, or "environment". */
  readonly origin: string;
  /** Option path (`area.name`) → assignment. */
  readonly values: ReadonlyMap<string, Assignment>;
  /** Ignored keys, each with a suggestion when one looks meant. */
  readonly warnings: readonly string[];
  /** Wrong values; any issue makes the whole load fail with CONFIG_INVALID. */
  readonly issues: readonly string[];
  /** How many orchestrator (PascalCase) and orc-native keys the source used. */
  readonly orchestratorKeyCount: number;
  readonly nativeKeyCount: number;
}

interface Candidate {
  readonly key: string;
  readonly raw: unknown;
  readonly factor: number;
  readonly fallback: boolean;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Names a misspelt key may have meant, each with what to suggest for it. */
const suggestions: ReadonlyMap<string, string> = new Map([
  ...[...orchestratorKeys.keys()].map((k): [string, string] => [k, k]),
  ...allOptions.map((o): [string, string] => [o.path, o.path]),
  ...allOptions.map((o): [string, string] => [o.name, o.path]),
  ...Object.keys(schema).map((a): [string, string] => [a, a]),
]);

function unknownKey(origin: string, key: string, suggestion: string | undefined): string {
  const hint = suggestion === undefined ? '' : `; did you mean "${suggestion}"?`;
  return `${origin}: unknown option "${key}" ignored${hint}`;
}

function suggestFor(key: string): string | undefined {
  const match = closest(key, suggestions.keys());
  return match === undefined ? undefined : suggestions.get(match);
}

function isZero(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return v === '' || v === 0 || v === false;
}

/**
 * Settles the keys of one source that set the same option (orc's name, orchestrator's name,
 * a legacy synonym). Fallback keys count only when nothing else is given; values equal to
 * "unset" ("" / 0 / false) yield to a set one, as in orchestrator; two different set values
 * are an error.
 */
function settle(
  option: OptionInfo,
  candidates: readonly Candidate[],
  origin: string,
  issues: string[],
): Assignment | undefined {
  const checked: { key: string; value: unknown; fallback: boolean }[] = [];
  for (const c of candidates) {
    const result = coerceFileValue(option.spec, c.raw);
    if (!result.ok) {
      issues.push(
        `${origin}: ${c.key} is ${showValue(c.raw, option.spec.secret)}; expected ${result.expected}`,
      );
      continue;
    }
    const value = c.factor === 1 ? result.value : (result.value as number) * c.factor;
    checked.push({ key: c.key, value, fallback: c.fallback });
  }
  const preferred = checked.filter((c) => !c.fallback);
  const pool = preferred.length > 0 ? preferred : checked;
  const set = pool.filter((c) => !isZero(c.value));
  const chosen = set.length > 0 ? set : pool;
  const [first, second] = chosen;
  if (first === undefined) return undefined;
  const differing = chosen.find((c) => JSON.stringify(c.value) !== JSON.stringify(first.value));
  if (second !== undefined && differing !== undefined) {
    const a = showValue(first.value, option.spec.secret);
    const b = showValue(differing.value, option.spec.secret);
    issues.push(
      `${origin}: ${first.key} and ${differing.key} are synonyms but set to different values (${a} and ${b}); keep one`,
    );
    return undefined;
  }
  return { value: first.value, key: first.key, origin };
}

/**
 * Reads one parsed document: orc's native shape (`area: { option: value }`, or a dotted
 * `area.option` key), orchestrator's flat PascalCase keys, or a mix of both. `null` values
 * mean "not set here".
 */
export function readDocument(doc: unknown, origin: string): Source {
  const warnings: string[] = [];
  const issues: string[] = [];
  const candidates = new Map<string, Candidate[]>();
  let orchestratorKeyCount = 0;
  let nativeKeyCount = 0;
  const add = (path: string, c: Candidate): void => {
    candidates.set(path, [...(candidates.get(path) ?? []), c]);
  };

  if (doc !== null && doc !== undefined && !isPlainObject(doc)) {
    issues.push(
      `${origin}: expected a mapping of option names to values at the top level, got ${showValue(doc, false)}`,
    );
  }
  const entries = isPlainObject(doc) ? Object.entries(doc) : [];
  for (const [key, raw] of entries) {
    if (raw === null) continue;
    const orc = orchestratorKeys.get(key);
    if (orc !== undefined) {
      orchestratorKeyCount++;
      add(orc.option.path, { key, raw, factor: orc.ref.factor, fallback: orc.ref.fallback });
    } else if (optionsByPath.has(key)) {
      nativeKeyCount++;
      add(key, { key, raw, factor: 1, fallback: false });
    } else if (Object.hasOwn(schema, key)) {
      nativeKeyCount += readArea(key, raw, origin, { add, warnings, issues });
    } else if (retiredOrchestratorKeys.has(key)) {
      warnings.push(`${origin}: "${key}" is no longer used by orchestrator and is ignored`);
    } else {
      warnings.push(unknownKey(origin, key, suggestFor(key)));
    }
  }

  const values = new Map<string, Assignment>();
  for (const [path, list] of candidates) {
    const option = optionsByPath.get(path);
    if (option === undefined) continue;
    const assignment = settle(option, list, origin, issues);
    if (assignment !== undefined) values.set(path, assignment);
  }
  return { origin, values, warnings, issues, orchestratorKeyCount, nativeKeyCount };
}

function readArea(
  area: string,
  raw: unknown,
  origin: string,
  out: { add: (path: string, c: Candidate) => void; warnings: string[]; issues: string[] },
): number {
  if (!isPlainObject(raw)) {
    out.issues.push(
      `${origin}: "${area}" must be a mapping of ${area} options, got ${showValue(raw, false)}`,
    );
    return 0;
  }
  let count = 0;
  const names = Object.keys((schema as Record<string, object>)[area] ?? {});
  for (const [name, value] of Object.entries(raw)) {
    const path = `${area}.${name}`;
    if (value === null) continue;
    if (optionsByPath.has(path)) {
      count++;
      out.add(path, { key: path, raw: value, factor: 1, fallback: false });
      continue;
    }
    const near = closest(name, names);
    out.warnings.push(
      unknownKey(origin, path, near === undefined ? suggestFor(name) : `${area}.${near}`),
    );
  }
  return count;
}

const envAreaPrefixes = Object.keys(schema).map((a) => `ORC_${toEnvWord(a)}_`);
const envNames = new Map(allOptions.map((o) => [o.env, o]));

/**
 * Reads ORC_<AREA>_<OPTION> variables (see docs/configuration.md). Variables with an area's
 * prefix that name no option are reported as warnings; other ORC_* variables are not
 * configuration and are left alone.
 */
export function readEnvironment(env: Readonly<Record<string, string | undefined>>): Source {
  const origin = 'environment';
  const warnings: string[] = [];
  const issues: string[] = [];
  const values = new Map<string, Assignment>();
  for (const [name, text] of Object.entries(env)) {
    if (text === undefined || !name.startsWith('ORC_')) continue;
    const option = envNames.get(name);
    if (option === undefined) {
      if (!nonConfigEnv.has(name) && envAreaPrefixes.some((p) => name.startsWith(p))) {
        warnings.push(unknownKey(origin, name, closest(name, envNames.keys())));
      }
      continue;
    }
    const result = coerceEnvValue(option.spec, text);
    if (result.ok) values.set(option.path, { value: result.value, key: name, origin });
    else {
      const shown = showValue(text, option.spec.secret);
      issues.push(`${origin}: ${name} is ${shown}; expected ${result.expected}`);
    }
  }
  return { origin, values, warnings, issues, orchestratorKeyCount: 0, nativeKeyCount: 0 };
}
