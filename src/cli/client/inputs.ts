/**
 * The values a client command works on, from orchestrator-client's flags with its defaults:
 * `-i` from ORCHESTRATOR_INSTANCE, owner = the current user, duration 10m, promotion rule
 * `prefer`, port 3306 unless `-D`. Commands declare what they need (the `Need` names); a
 * missing one is a USAGE error naming the flag to pass.
 */
import { userInfo } from 'node:os';
import { OrcError } from '../../common/errors.js';
import { parseInstanceKey, parsePromotionRule } from '../../topology/index.js';

/** Every value a command may need, by the name used in the command table. */
export const NEEDS = {
  instance: '-i <host:port>',
  destination: '-d <host:port>',
  /** A cluster: `-a <alias>`, else `-i` (orchestrator's "cluster hint"). */
  cluster: '-a <alias> or -i <host:port>',
  alias: '-a <alias>',
  owner: '-o <owner>',
  reason: '-r <reason>',
  duration: '-u <duration>',
  promotionRule: '-R <promotion rule>',
  tag: '-t <tag>',
  pool: '-l <pool>',
  hostname: '-H <hostname>',
  path: '-P <api path>',
  binlog: '-n <binlog file>',
  query: '-q <query>',
  seconds: '-S <seconds>',
} as const;

export type Need = keyof typeof NEEDS;

/** Raw flag values as commander hands them over (after merging global and command flags). */
export interface FlagValues {
  instance?: string;
  destination?: string;
  sibling?: string;
  alias?: string;
  owner?: string;
  reason?: string;
  duration?: string;
  promotionRule?: string;
  tag?: string;
  pool?: string;
  hostname?: string;
  defaultPort?: string;
  path?: string;
  binlog?: string;
  query?: string;
  seconds?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The resolved values of one invocation, defaults applied. */
export class Inputs {
  readonly #values: Readonly<Partial<Record<Need, string>>>;
  readonly defaultPort: number;

  constructor(flags: FlagValues, env: Env, username: () => string = currentUser) {
    this.defaultPort = parsePort(flags.defaultPort);
    const set = (value: string | undefined): string | undefined =>
      value === undefined || value.trim() === '' ? undefined : value.trim();
    const instance = set(flags.instance) ?? set(env.ORCHESTRATOR_INSTANCE);
    const alias = set(flags.alias);
    this.#values = dropUndefined({
      instance,
      destination: set(flags.destination) ?? set(flags.sibling),
      cluster: alias ?? instance,
      alias,
      owner: set(flags.owner) ?? set(username()),
      reason: set(flags.reason),
      duration: set(flags.duration) ?? '10m',
      promotionRule: set(flags.promotionRule) ?? 'prefer',
      tag: set(flags.tag),
      pool: set(flags.pool),
      hostname: set(flags.hostname),
      path: set(flags.path),
      binlog: set(flags.binlog),
      query: set(flags.query),
      seconds: set(flags.seconds),
    });
  }

  /** True when the value is set (or has a default). */
  has(need: Need): boolean {
    return this.#values[need] !== undefined;
  }

  /** The value, or undefined. */
  optional(need: Need): string | undefined {
    return this.#values[need];
  }

  /** The value; a USAGE error naming the flag when it is missing. */
  text(need: Need, command = 'this command'): string {
    const value = this.#values[need];
    if (value === undefined) throw missing(command, need);
    return value;
  }

  /** `-i` as the `host/port` pair of an API path, the port defaulting to `-D`. */
  instancePath(command?: string): string {
    return this.#keyPath('instance', command);
  }

  /** `-d` (or `-s`) as `host/port`. */
  destinationPath(command?: string): string {
    return this.#keyPath('destination', command);
  }

  /** `-i` as `host:port`, for output when the API did not name the instance. */
  instanceKey(command?: string): string {
    const { host, port } = this.#key('instance', command);
    return `${host}:${port}`;
  }

  /** `-d` as `host:port`. */
  destinationKey(command?: string): string {
    const { host, port } = this.#key('destination', command);
    return `${host}:${port}`;
  }

  /** The promotion rule, checked against orchestrator's names. */
  promotionRule(): string {
    const text = this.text('promotionRule');
    try {
      return parsePromotionRule(text);
    } catch (err) {
      throw new OrcError('USAGE', `-R: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  #keyPath(need: 'instance' | 'destination', command?: string): string {
    const { host, port } = this.#key(need, command);
    return `${segment(host)}/${port}`;
  }

  #key(need: 'instance' | 'destination', command?: string): { host: string; port: number } {
    const text = this.text(need, command);
    try {
      return parseInstanceKey(text, this.defaultPort);
    } catch (err) {
      const flag = need === 'instance' ? '-i' : '-d';
      const why = err instanceof Error ? err.message : String(err);
      throw new OrcError('USAGE', `${flag}: ${why}`, { cause: err });
    }
  }
}

/** The USAGE error for a missing value: `topology needs -a <alias> or -i <host:port>`. */
export function missing(command: string, need: Need): OrcError {
  const hint = need === 'instance' || need === 'cluster' ? ' (or set ORCHESTRATOR_INSTANCE)' : '';
  return new OrcError('USAGE', `${command} needs ${NEEDS[need]}${hint}`, {
    context: { need },
  });
}

/**
 * One path segment: percent-encoded, except `:` which paths allow and which keeps
 * `topology/host:3306` readable (orchestrator-client sends it unencoded too).
 */
export function segment(text: string): string {
  return encodeURIComponent(text).replaceAll('%3A', ':');
}

function parsePort(text: string | undefined): number {
  if (text === undefined || text.trim() === '') return 3306;
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port < 1 || port > 65535) {
    throw new OrcError('USAGE', `-D must be a port from 1 to 65535, got "${text}"`);
  }
  return port;
}

/** orchestrator-client's `whoami`; USER or LOGNAME where the user has no passwd entry. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? '';
  }
}

function dropUndefined<T extends Record<string, string | undefined>>(
  record: T,
): Partial<Record<keyof T, string>> {
  const out: Partial<Record<keyof T, string>> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined) out[key as keyof T] = value;
  }
  return out;
}
