/**
 * Runs one client command: checks that what it needs was given (before any request, so a
 * forgotten `-i` is a usage error even with the API down), calls the API, and renders the
 * answer for people or, with `--json`, the API's JSON unchanged.
 */
import { needsOf, type ClientCommand, type Rendered } from './commands/index.js';
import type { ApiClient } from './http-client.js';
import { missing, type Inputs } from './inputs.js';
import { fillRoute } from './route.js';

export interface RunOptions {
  readonly inputs: Inputs;
  /** Built lazily: a command whose inputs are wrong never touches the network. */
  readonly api: () => ApiClient;
  readonly json: boolean;
}

/** What to print on stdout ('' for nothing) and the exit code. */
export interface RunResult {
  readonly stdout: string;
  readonly exitCode: number;
}

export async function runClientCommand(
  command: ClientCommand,
  options: RunOptions,
): Promise<RunResult> {
  const { inputs } = options;
  for (const need of needsOf(command)) {
    if (!inputs.has(need)) throw missing(command.name, need);
  }

  let rendered: Rendered;
  if (command.route !== undefined) {
    const path = fillRoute(command.route, inputs, command.name);
    const answer = await options.api().get(path);
    rendered = { text: options.json ? '' : command.human(answer, inputs), json: answer };
  } else {
    rendered = await command.run({ name: command.name, inputs, api: options.api() });
  }

  const text = options.json ? JSON.stringify(rendered.json ?? null, null, 2) : rendered.text;
  return { stdout: text === '' ? '' : `${text}\n`, exitCode: rendered.exitCode ?? 0 };
}
