/**
 * Checks one raw value against one option and turns it into the option's type. Pure: values
 * from files arrive typed (JSON/YAML), values from the environment arrive as text.
 */
import type { AnyOption } from './spec.js';

/** The checked value, or what the option expects when the value does not fit. */
export type Coerced = { ok: true; value: unknown } | { ok: false; expected: string };

/** What an option accepts, in words for error messages ("a whole number, 1 or more"). */
export function expectation(spec: AnyOption): string {
  switch (spec.kind) {
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    case 'integer':
      return `a whole number${range(spec)}`;
    case 'number':
      return `a number${range(spec)}`;
    case 'enum': {
      const shown = (spec.values ?? []).map((v) => JSON.stringify(v)).join(', ');
      const aliases = Object.keys(spec.aliases ?? {}).map((v) => JSON.stringify(v));
      return `one of ${shown}${aliases.length > 0 ? ` (or ${aliases.join(', ')})` : ''}`;
    }
    case 'list':
      return 'a list of text values';
    case 'map':
      return 'a mapping of text to text';
  }
}

function range(spec: AnyOption): string {
  if (spec.min !== undefined && spec.max !== undefined) return ` from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `, ${spec.min} or more`;
  return '';
}

/** How a rejected value is quoted back to the user; secrets are never echoed. */
export function showValue(raw: unknown, secret: boolean): string {
  if (secret) return `(hidden ${Array.isArray(raw) ? 'list' : typeof raw})`;
  const text = JSON.stringify(raw) ?? String(raw);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const fail = (spec: AnyOption): Coerced => ({ ok: false, expected: expectation(spec) });

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkNumber(spec: AnyOption, n: number): Coerced {
  if (!Number.isFinite(n)) return fail(spec);
  if (spec.kind === 'integer' && !Number.isInteger(n)) return fail(spec);
  if (spec.min !== undefined && n < spec.min) return fail(spec);
  if (spec.max !== undefined && n > spec.max) return fail(spec);
  return { ok: true, value: n };
}

function checkEnum(spec: AnyOption, s: string): Coerced {
  if (spec.values?.includes(s)) return { ok: true, value: s };
  const alias = spec.aliases?.[s];
  return alias === undefined ? fail(spec) : { ok: true, value: alias };
}

/** A value read from a JSON or YAML file: types must match (no "5" for 5). */
export function coerceFileValue(spec: AnyOption, raw: unknown): Coerced {
  switch (spec.kind) {
    case 'string':
      return typeof raw === 'string' ? { ok: true, value: raw } : fail(spec);
    case 'boolean':
      return typeof raw === 'boolean' ? { ok: true, value: raw } : fail(spec);
    case 'integer':
    case 'number':
      return typeof raw === 'number' ? checkNumber(spec, raw) : fail(spec);
    case 'enum':
      return typeof raw === 'string' ? checkEnum(spec, raw) : fail(spec);
    case 'list':
      return Array.isArray(raw) && raw.every((v) => typeof v === 'string')
        ? { ok: true, value: [...raw] }
        : fail(spec);
    case 'map':
      return isPlainObject(raw) && Object.values(raw).every((v) => typeof v === 'string')
        ? { ok: true, value: { ...raw } }
        : fail(spec);
  }
}

/**
 * A value from an environment variable. Booleans: true/false, 1/0, yes/no, on/off. Lists: a
 * JSON array, or comma-separated text. Maps: a JSON object, or `key=value` pairs separated by
 * commas.
 */
export function coerceEnvValue(spec: AnyOption, text: string): Coerced {
  const t = text.trim();
  switch (spec.kind) {
    case 'string':
      return { ok: true, value: text };
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(t)) return { ok: true, value: true };
      if (/^(false|0|no|off)$/i.test(t)) return { ok: true, value: false };
      return fail(spec);
    case 'integer':
      return /^-?\d+$/.test(t) ? checkNumber(spec, Number(t)) : fail(spec);
    case 'number':
      return t === '' ? fail(spec) : checkNumber(spec, Number(t));
    case 'enum':
      return checkEnum(spec, t);
    case 'list':
      if (t.startsWith('[')) return coerceFileValue(spec, parseJson(t));
      return { ok: true, value: splitList(t) };
    case 'map':
      if (t.startsWith('{')) return coerceFileValue(spec, parseJson(t));
      return parsePairs(spec, t);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function parsePairs(spec: AnyOption, text: string): Coerced {
  const out: Record<string, string> = {};
  for (const pair of splitList(text)) {
    const at = pair.indexOf('=');
    if (at <= 0) return fail(spec);
    out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return { ok: true, value: out };
}
