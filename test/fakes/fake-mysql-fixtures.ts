import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The recorded outputs the fake servers answer with (test/fixtures/mysql/*.json; each file's
 * `source` says where its columns and texts come from). A statement is either a result (its
 * columns in order, `name:int` for numeric ones, and an example row whose values fill the
 * columns the fake does not compute) or the error the real server gives.
 */
export const FAKE_FLAVORS = [
  'mysql-5.7',
  'mysql-8.0.21',
  'mysql-8.0',
  'mysql-8.4',
  'mariadb-10.11',
] as const;

export type FakeFlavor = (typeof FAKE_FLAVORS)[number];

export interface RecordedError {
  readonly errno: number;
  readonly sqlState: string;
  readonly message: string;
}

export interface RecordedResult {
  readonly columns: readonly string[];
  readonly example: Readonly<Record<string, unknown>>;
}

export type RecordedStatement = RecordedResult | { readonly error: RecordedError };

export interface Fixture {
  readonly server: string;
  readonly source: string;
  readonly version: string;
  readonly versionComment: string;
  /** What the handshake announces, when it differs from @@version (MariaDB 10.x). */
  readonly handshakeVersion?: string;
  /** The global variables this server has; any other is error 1193. */
  readonly variables: readonly string[];
  /** Statements by their text in upper case, single-spaced. */
  readonly statements: Readonly<Record<string, RecordedStatement>>;
  readonly errors: { readonly unknownVariable: RecordedError };
}

const cache = new Map<FakeFlavor, Fixture>();

/** The fixture of a flavor, read once per process. */
export function fixtureOf(flavor: FakeFlavor): Fixture {
  let fixture = cache.get(flavor);
  if (!fixture) {
    const url = new URL(`../fixtures/mysql/${flavor}.json`, import.meta.url);
    fixture = JSON.parse(readFileSync(fileURLToPath(url), 'utf8')) as Fixture;
    cache.set(flavor, fixture);
  }
  return fixture;
}

export function isMariaDbFlavor(flavor: FakeFlavor): boolean {
  return flavor.startsWith('mariadb');
}

/** A column spec `Name` or `Name:int` split into name and numeric flag. */
export function columnSpec(spec: string): { name: string; numeric: boolean } {
  const [name = spec, type] = spec.split(':');
  return { name, numeric: type === 'int' };
}
