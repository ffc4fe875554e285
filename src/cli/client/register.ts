/**
 * Wires the client command table into commander, in both of orchestrator-client's styles:
 * `orc topology -i X` (one subcommand per table entry, aliases included) and
 * `orc -c topology -i X` (a hidden default command reads `-c` and hands the remaining arguments
 * to the same subcommand). Program options are made positional so that `-c` before a command
 * name never swallows another command's `-c` (`orc config dump -c file`).
 */
import { Command, type ParseOptionsResult } from 'commander';
import { OrcError } from '../../common/errors.js';
import { pickApiSetting, parseApiList } from './api-urls.js';
import {
  aliasesOf,
  callsOf,
  clientCommands,
  findClientCommand,
  needsOf,
  optionalOf,
  suggestCommand,
  type ClientCommand,
} from './commands/index.js';
import {
  addClientFlags,
  addProgramFlags,
  doubleDashLongOptions,
  timeoutMs,
  type ClientFlags,
} from './flags.js';
import { ApiClient, type BasicAuth } from './http-client.js';
import { currentUser, Inputs } from './inputs.js';
import { runClientCommand } from './run.js';

/** What client commands read and write; the process's by default, fakes in tests. */
export interface ClientEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly write: (text: string) => void;
  readonly setExitCode: (code: number) => void;
  readonly username?: () => string;
  readonly fetch?: typeof fetch;
}

function processEnvironment(): ClientEnvironment {
  return {
    env: process.env,
    write: (text) => void process.stdout.write(text),
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

/** A subcommand that reads orchestrator-client's single-dash long options too. */
class ClientSubcommand extends Command {
  override parseOptions(argv: string[]): ParseOptionsResult {
    return super.parseOptions(doubleDashLongOptions(argv));
  }
}

/**
 * Registers every client command on `program`, the `-c` dispatcher and the client flags.
 * Call after the program's own settings (exitOverride, …): subcommands copy them.
 */
export function registerClientCommands(
  program: Command,
  environment: ClientEnvironment = processEnvironment(),
): void {
  program.enablePositionalOptions();
  addProgramFlags(program);
  showClientCommandsByName(program);

  const subcommands = new Map<string, Command>();
  for (const spec of clientCommands) {
    const sub = buildSubcommand(spec, environment).copyInheritedSettings(program);
    program.addCommand(sub);
    subcommands.set(spec.name, sub);
  }

  const dispatcher = new Command('orchestrator-client')
    .copyInheritedSettings(program)
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_options: unknown, self: Command) => {
      const { name, rest } = takeCommandName(self.args, program.opts<ClientFlags>().command);
      if (name === undefined) {
        if (self.args.length === 0) program.help({ error: true });
        const first = self.args[0] ?? '';
        if (!first.startsWith('-')) throw unknownCommand(first, program);
        throw new OrcError('USAGE', 'no command given: use orc <command> or orc -c <command>');
      }
      if (name === 'help') return program.outputHelp();
      const spec = findClientCommand(name);
      const sub = spec === undefined ? undefined : subcommands.get(spec.name);
      if (sub === undefined) throw unknownCommand(name, program);
      await sub.parseAsync(rest, { from: 'user' });
    });
  program.addCommand(dispatcher, { isDefault: true, hidden: true });
}

/**
 * In `orc help`, a client command is listed by its name alone: every one takes options, and
 * the "slave" aliases would double the column's width.
 */
function showClientCommandsByName(program: Command): void {
  const standard = program.createHelp();
  program.configureHelp({
    subcommandTerm: (command) =>
      command instanceof ClientSubcommand ? command.name() : standard.subcommandTerm(command),
  });
}

function buildSubcommand(spec: ClientCommand, environment: ClientEnvironment): Command {
  const uses = [...needsOf(spec), ...optionalOf(spec)];
  const sub = new ClientSubcommand(spec.name)
    .description(spec.summary)
    .aliases(aliasesOf(spec))
    .helpGroup(`${spec.section} commands:`)
    .addHelpText('after', `\nCalls: GET /api/${callsOf(spec)}`);
  addClientFlags(sub, uses);
  return sub.action(async (_options: unknown, self: Command) => {
    const flags = self.optsWithGlobals<ClientFlags>();
    const inputs = new Inputs(flags, environment.env, environment.username ?? currentUser);
    const result = await runClientCommand(spec, {
      inputs,
      json: flags.json === true,
      api: () => buildApiClient(flags, environment),
    });
    if (result.stdout !== '') environment.write(result.stdout);
    if (result.exitCode !== 0) environment.setExitCode(result.exitCode);
  });
}

/** The API client for these flags: URLs, credentials and timeout resolved, defaults applied. */
export function buildApiClient(flags: ClientFlags, environment: ClientEnvironment): ApiClient {
  const { env } = environment;
  const setting = pickApiSetting(flags.api, env);
  const header = flags.headersAuth ?? env.ORCHESTRATOR_AUTH_USER_HEADER;
  return new ApiClient({
    bases: parseApiList(setting.value, setting.source),
    auth: basicAuth(flags.auth, env),
    authHeader: header === undefined || header.trim() === '' ? undefined : header,
    timeoutMs: timeoutMs(flags.timeout),
    ...(environment.fetch === undefined ? {} : { fetch: environment.fetch }),
  });
}

/** `-b user:password`, else ORCHESTRATOR_AUTH_USER/_PASSWORD; undefined when neither is set. */
export function basicAuth(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): BasicAuth | undefined {
  if (flag !== undefined && flag !== '' && flag !== ':') {
    const colon = flag.indexOf(':');
    return colon < 0
      ? { user: flag, password: '' }
      : { user: flag.slice(0, colon), password: flag.slice(colon + 1) };
  }
  const user = env.ORCHESTRATOR_AUTH_USER ?? '';
  const password = env.ORCHESTRATOR_AUTH_PASSWORD ?? '';
  return user === '' && password === '' ? undefined : { user, password };
}

const COMMAND_FLAGS = new Set(['-c', '--command', '-command']);

/**
 * The `-c` value and the other arguments. `given` is what the program parsed before any
 * unknown option; otherwise `-c` is looked for anywhere, as getopts finds it anywhere.
 */
export function takeCommandName(
  args: readonly string[],
  given: string | undefined,
): { name: string | undefined; rest: string[] } {
  if (given !== undefined) return { name: given, rest: [...args] };
  const rest: string[] = [];
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const inline = /^(?:-c|--?command)=(.*)$/.exec(arg);
    if (name === undefined && inline !== null) {
      name = inline[1];
    } else if (name === undefined && COMMAND_FLAGS.has(arg) && i + 1 < args.length) {
      name = args[++i];
    } else {
      rest.push(arg);
    }
  }
  return { name, rest };
}

function unknownCommand(name: string, program: Command): OrcError {
  const others = program.commands.filter((c) => !c.name().startsWith('orchestrator-client'));
  const suggestion = suggestCommand(
    name,
    others.map((c) => c.name()),
  );
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return new OrcError('USAGE', `unknown command "${name}"${hint}; see orc help`, {
    context: { command: name },
  });
}
