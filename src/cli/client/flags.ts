/**
 * orchestrator-client's flags, declared once: short letter, long name, what they feed. Each
 * client subcommand accepts all of them (as orchestrator-client does, so scripts passing an
 * extra flag keep working) and shows in its help only those it uses; the connection flags are
 * also accepted before the command name (`orc --api URL topology -i X`).
 */
import { Option } from 'commander';
import { OrcError } from '../../common/errors.js';
import type { FlagValues, Need } from './inputs.js';

interface FlagSpec {
  readonly flags: string;
  readonly description: string;
  /** The values this flag provides; shown in the help of commands using one of them. */
  readonly feeds: readonly Need[];
  /** Connection and output flags: also on the program, shown everywhere. */
  readonly global?: true;
}

export const FLAGS: readonly FlagSpec[] = [
  {
    flags: '-i, --instance <host:port>',
    description: 'the instance (default: $ORCHESTRATOR_INSTANCE)',
    feeds: ['instance', 'cluster'],
  },
  {
    flags: '-d, --destination <host:port>',
    description: 'the destination instance',
    feeds: ['destination'],
  },
  { flags: '-s, --sibling <host:port>', description: 'same as -d', feeds: ['destination'] },
  { flags: '-a, --alias <alias>', description: 'a cluster alias', feeds: ['alias', 'cluster'] },
  {
    flags: '-o, --owner <owner>',
    description: 'owner of a downtime or maintenance (default: you)',
    feeds: ['owner'],
  },
  {
    flags: '-r, --reason <reason>',
    description: 'reason of a downtime or maintenance; ack comment',
    feeds: ['reason'],
  },
  {
    flags: '-u, --duration <duration>',
    description: 'downtime duration, e.g. 30m, 2h (default 10m)',
    feeds: ['duration'],
  },
  {
    flags: '-R, --promotion-rule <rule>',
    description: 'prefer (default), neutral, prefer_not, must_not, must',
    feeds: ['promotionRule'],
  },
  {
    flags: '-t, --tag <tag>',
    description: 'a tag: name, name=value, or an expression for tagged',
    feeds: ['tag'],
  },
  { flags: '-l, --pool <pool>', description: 'a pool name', feeds: ['pool'] },
  {
    flags: '-H, --hostname <hostname>',
    description: 'a host name (virtual name, raft leader hint)',
    feeds: ['hostname'],
  },
  { flags: '-P, --path <path>', description: 'the API path for the api command', feeds: ['path'] },
  { flags: '-n, --binlog <file>', description: 'a binary log file name', feeds: ['binlog'] },
  {
    flags: '-q, --query <query>',
    description: 'a query for restart-replica-statements',
    feeds: ['query'],
  },
  {
    flags: '-S, --seconds <seconds>',
    description: 'seconds for delay-replication',
    feeds: ['seconds'],
  },
  {
    flags: '-D, --default-port <port>',
    description: 'port for instances given without one (3306)',
    feeds: [],
    global: true,
  },
  {
    flags: '-U, --api <urls>',
    description:
      'API URL(s), space or comma separated (default: $ORC_API, $ORCHESTRATOR_API, http://localhost:3000)',
    feeds: [],
    global: true,
  },
  {
    flags: '-b, --auth <user:password>',
    description: 'basic auth (default: $ORCHESTRATOR_AUTH_USER/_PASSWORD)',
    feeds: [],
    global: true,
  },
  {
    flags: '-e, --headers-auth <header>',
    description: 'auth header "Name: value" (default: $ORCHESTRATOR_AUTH_USER_HEADER)',
    feeds: [],
    global: true,
  },
  {
    flags: '--timeout <seconds>',
    description: 'give up on a request after this long (300)',
    feeds: [],
    global: true,
  },
  { flags: '--json', description: "print the API's JSON instead of text", feeds: [], global: true },
];

/** Everything commander hands a client command (global and command flags merged). */
export interface ClientFlags extends FlagValues {
  api?: string;
  auth?: string;
  headersAuth?: string;
  timeout?: string;
  json?: boolean;
  command?: string;
}

/** Adds every flag to a client subcommand, hiding those the command does not use. */
export function addClientFlags(
  command: { addOption(option: Option): unknown },
  uses: readonly Need[],
): void {
  for (const spec of FLAGS) {
    const option = new Option(spec.flags, spec.description);
    if (spec.global !== true && !spec.feeds.some((need) => uses.includes(need))) option.hideHelp();
    command.addOption(option);
  }
}

/** Adds `-c` and the connection flags to the program, under their own help heading. */
export function addProgramFlags(program: { addOption(option: Option): unknown }): void {
  const group = 'Client options (orchestrator-client compatible):';
  const command = new Option(
    '-c, --command <command>',
    'run a client command, as orchestrator-client -c',
  );
  program.addOption(command.helpGroup(group));
  for (const spec of FLAGS.filter((flag) => flag.global === true)) {
    program.addOption(new Option(spec.flags, spec.description).helpGroup(group));
  }
}

/**
 * orchestrator-client also takes its long options with one dash (`-alias x`, `-owner=me`);
 * commander would read `-alias` as `-a lias`. This maps the exact single-dash spellings of the
 * long names to two dashes and leaves every other argument alone.
 */
export function doubleDashLongOptions(args: readonly string[]): string[] {
  return args.map((arg) => {
    const match = /^-([a-z][a-z-]+)(=.*)?$/.exec(arg);
    return match !== null && LONG_NAMES.has(match[1] ?? '') ? `-${arg}` : arg;
  });
}

const LONG_NAMES = new Set([
  'help',
  ...FLAGS.map((spec) => /--([a-z-]+)/.exec(spec.flags)?.[1] ?? '').filter((name) => name !== ''),
]);

/** `--timeout` in milliseconds (default 300 s). */
export function timeoutMs(text: string | undefined): number {
  if (text === undefined) return 300_000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new OrcError('USAGE', `--timeout must be a positive number of seconds, got "${text}"`);
  }
  return Math.round(seconds * 1000);
}
