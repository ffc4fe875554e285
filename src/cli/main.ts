import { Command, CommanderError } from 'commander';
import { OrcError, describeError } from '../common/errors.js';
import { registerClientCommands } from './client/register.js';
import { registerConfigCommands } from './config-commands.js';
import { registerDemoCommand } from './demo-command.js';
import { registerSandboxCommands } from './sandbox-commands.js';
import { registerServeCommand } from './serve-command.js';
import { exitCodeFor } from './exit-codes.js';

/**
 * Builds the `orc` command tree. Each domain registers its own subcommands; this file only
 * assembles them, so adding a command never means editing a long switch.
 */
export function buildProgram(): Command {
  const program = new Command('orc')
    .description('MySQL/MariaDB replication topology manager with automated failover')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerConfigCommands(program);
  registerSandboxCommands(program);
  registerClientCommands(program);
  registerServeCommand(program);
  registerDemoCommand(program);
  return program;
}

/** Runs the CLI; the only place (with cli/ helpers) that decides the process exit code. */
export async function main(argv: string[]): Promise<number> {
  // A reader that goes away early (`orc clusters | head -1`) ends the output, not the world.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    console.error(`orc: ${describeError(err)}`);
    if (err instanceof OrcError && process.env.ORC_DEBUG === '1' && err.cause) {
      console.error(err.cause);
    }
    return exitCodeFor(err);
  }
}

process.exitCode = await main(process.argv);
