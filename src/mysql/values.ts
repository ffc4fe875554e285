import type { Row } from './connection.js';
import { MysqlError } from './errors.js';

/**
 * Reading single values out of result rows. Servers and drivers differ in how they type the
 * same column (a number, a numeric string, `ON`, `Yes`, NULL), so every reader accepts each
 * form; the `require*` readers throw MYSQL_BAD_RESULT naming the column when a value is absent
 * or unreadable.
 */

/** The value as text: '' for NULL, Buffers decoded as UTF-8. */
export function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}

/** Trimmed text, or undefined when NULL or blank. */
export function optionalText(value: unknown): string | undefined {
  const t = text(value).trim();
  return t === '' ? undefined : t;
}

/** A whole number from a number or numeric text; undefined for NULL, blank or anything else. */
export function optionalInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  const t = text(value).trim();
  if (!/^-?\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A number (fractions allowed) from a number or numeric text; undefined otherwise. */
export function optionalNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const t = text(value).trim();
  if (t === '' || !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

const TRUE = new Set(['1', 'ON', 'YES', 'TRUE']);

/** `1`, `ON`, `Yes`, `TRUE` (any case) are true; anything else, NULL included, is false. */
export function flag(value: unknown): boolean {
  return TRUE.has(text(value).trim().toUpperCase());
}

/** A comma-separated list as the server prints it, trimmed, without empty items. */
export function list(value: unknown): string[] {
  return text(value)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A comma-separated list of whole numbers; items that are not numbers are dropped. */
export function intList(value: unknown): number[] {
  return list(value).flatMap((item) => {
    const n = optionalInt(item);
    return n === undefined ? [] : [n];
  });
}

/** Where a value came from, for MYSQL_BAD_RESULT messages. */
export interface Origin {
  readonly instance: string;
  readonly statement: string;
}

export function badResult(origin: Origin, why: string): MysqlError {
  return new MysqlError(
    'MYSQL_BAD_RESULT',
    `unreadable answer from ${origin.instance} to ${origin.statement}: ${why}`,
    { context: { instance: origin.instance, sql: origin.statement } },
  );
}

/** `row[column]` as a whole number; throws MYSQL_BAD_RESULT when absent or not a number. */
export function requireInt(row: Row, column: string, origin: Origin): number {
  const n = optionalInt(row[column]);
  if (n === undefined) {
    throw badResult(origin, `column ${column} is ${JSON.stringify(text(row[column]))}`);
  }
  return n;
}
