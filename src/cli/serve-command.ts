import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { OrcError } from '../common/errors.js';
import { createLogger, type Logger } from '../common/log.js';
import { loadConfig, type Config } from '../config/index.js';
import { startService } from '../service/index.js';

/**
 * Configuration files `orc serve` reads when no `--config` is given: every one that exists,
 * in this order, later ones overriding earlier ones. First orchestrator's own search list
 * (it, too, reads every existing file of it in order), then orc's files in the working
 * directory, so an orc file can adjust an inherited orchestrator one.
 */
export const DEFAULT_CONFIG_FILES: readonly string[] = [
  '/etc/orchestrator.conf.json',
  'conf/orchestrator.conf.json',
  'orchestrator.conf.json',
  'orc.yaml',
  'orc.yml',
  'orc.json',
];

/** The default files that exist, relative ones looked up in `cwd`. */
export function defaultConfigFiles(
  cwd: string,
  exists: (path: string) => boolean = existsSync,
): string[] {
  return DEFAULT_CONFIG_FILES.filter((file) => exists(resolve(cwd, file)));
}

interface ServeFlags {
  config?: string[];
  debug?: boolean;
}

/** The log level: `--debug` wins, then `log.debug` (which lowers `info`), then `log.level`. */
export function logLevel(config: Config, debugFlag: boolean): string {
  if (debugFlag) return 'debug';
  if (config.log.debug && config.log.level === 'info') return 'debug';
  return config.log.level;
}

/**
 * Registers `orc serve [--config FILE...] [--debug]`: runs orc until SIGINT or SIGTERM,
 * then stops gracefully and exits 0. A configuration that cannot be read or is invalid exits
 * 2; a service that cannot start (backend, address in use) exits 1.
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run orc: continuous discovery, the HTTP API and health endpoints')
    .option(
      '-c, --config <files...>',
      `configuration files, later ones overriding earlier ones (default: those of ${DEFAULT_CONFIG_FILES.join(', ')} that exist)`,
    )
    .option('--debug', 'log at debug level')
    .action(async (flags: ServeFlags) => {
      await serve(flags);
    });
}

async function serve(flags: ServeFlags): Promise<void> {
  const cwd = process.cwd();
  const files = flags.config ?? defaultConfigFiles(cwd);
  const { config, warnings } = await loadConfig({ files, env: process.env, cwd });
  const logger = createLogger({
    level: logLevel(config, flags.debug === true),
    pretty: config.log.format === 'pretty' || process.stderr.isTTY,
  });
  const log = logger.child({ component: 'cli' });
  for (const warning of warnings) log.warn({ warning }, 'configuration warning');
  log.info({ files }, 'configuration loaded');

  const signals = signalWaiter(log);
  let service;
  try {
    service = await startService({ config, logger, version: orcVersion() });
  } catch (err) {
    signals.dispose();
    log.error({ err }, 'service failed to start');
    throw new OrcError('SERVE_FAILED', `orc serve failed to start: ${describe(err)}`, {
      cause: err,
    });
  }
  const signal = await signals.received;
  log.info({ signal }, 'stopping on signal');
  await service.stop();
  signals.dispose();
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function orcVersion(): string {
  return process.env.npm_package_version ?? '0.1.0';
}

/**
 * Resolves with the first SIGINT or SIGTERM. A second signal while stopping exits at once
 * with code 1 (someone insists).
 */
function signalWaiter(log: Logger): { received: Promise<string>; dispose(): void } {
  let first: string | undefined;
  let resolveReceived: (signal: string) => void = () => undefined;
  const received = new Promise<string>((r) => (resolveReceived = r));
  const handler = (signal: NodeJS.Signals): void => {
    if (first !== undefined) {
      log.warn({ signal }, 'second signal: exiting without a clean stop');
      process.exit(1);
    }
    first = signal;
    resolveReceived(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    received,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
