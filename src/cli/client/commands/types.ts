/**
 * The shape of the client command table. Each command is declared once, with its names, what
 * it needs, the orchestrator-compatible API path it calls and how it prints the answer; the
 * runner, the commander wiring, the help and docs/cli.md all read the same entries.
 */
import type { ApiClient } from '../http-client.js';
import type { Inputs, Need } from '../inputs.js';

/** Help sections, in the order `orc help` shows them. */
export const SECTIONS = [
  'Information',
  'Instance management',
  'Tags',
  'Topology refactoring',
  'Replication',
  'Recovery',
  'Meta',
] as const;

export type Section = (typeof SECTIONS)[number];

/** What a command hands back to be printed. */
export interface Rendered {
  /** Human output without the final newline; '' prints nothing. */
  readonly text: string;
  /** What `--json` prints: the API's answer, unchanged. */
  readonly json: unknown;
  /** Exit code for an answer that is not an error but a "no" (leader-check); default 0. */
  readonly exitCode?: number;
}

/** What a custom `run` gets. */
export interface RunContext {
  readonly name: string;
  readonly inputs: Inputs;
  readonly api: ApiClient;
}

interface CommandBase {
  /** orchestrator-client's name (the "replica" spelling). */
  readonly name: string;
  /** Other accepted names; each "replica" name also answers to its "slave" spelling. */
  readonly aliases?: readonly string[];
  readonly section: Section;
  /** One line for `orc help`. */
  readonly summary: string;
  /** Values that must be present before anything is sent. */
  readonly needs?: readonly Need[];
  /** Values used when present (shown in the command's help). */
  readonly optional?: readonly Need[];
}

/** The common case: one GET, its answer printed. */
export interface ApiCommand extends CommandBase {
  /**
   * The compatibility API path relative to `/api/`, as a template (route.ts): `{instance}`
   * becomes `host/port`, other `{need}`s their value, `[…]` is left out unless all its values
   * are set. Placeholders outside `[…]` are required. E.g. `tag/{instance}?tag={tag}`.
   */
  readonly route: string;
  /** Human output of the answer (for envelopes, the whole `{Code, Message, Details}`). */
  readonly human: (answer: unknown, inputs: Inputs) => string;
  readonly run?: never;
}

/** Commands that call several paths, none, or print something else than one answer. */
export interface CustomCommand extends CommandBase {
  /** The API paths called, for help and docs. */
  readonly calls: string;
  readonly run: (context: RunContext) => Promise<Rendered>;
  readonly route?: never;
  readonly human?: never;
}

export type ClientCommand = ApiCommand | CustomCommand;
