import type { Command } from 'commander';
import { stringify } from 'yaml';
import { OrcError } from '../common/errors.js';
import {
  allOptions,
  dumpConfig,
  loadConfig,
  toOrchestratorKeys,
  type LoadResult,
} from '../config/index.js';

function printWarnings(warnings: readonly string[]): void {
  for (const warning of warnings) console.error(`orc: warning: ${warning}`);
}

/** Loads and prints warnings, also those found before a CONFIG_INVALID error. */
async function load(files: readonly string[]): Promise<LoadResult> {
  try {
    const result = await loadConfig({ files, env: process.env, cwd: process.cwd() });
    printWarnings(result.warnings);
    return result;
  } catch (err) {
    const warnings = err instanceof OrcError ? err.context.warnings : undefined;
    if (Array.isArray(warnings)) printWarnings(warnings.map(String));
    throw err;
  }
}

function summary(files: readonly string[], result: LoadResult): string[] {
  const { config } = result;
  const backend =
    config.backend.type === 'sqlite'
      ? `sqlite ${config.backend.sqliteDataFile}`
      : `mysql ${config.backend.mysqlHost}:${config.backend.mysqlPort}/${config.backend.mysqlDatabase}`;
  const raft = config.raft.enabled
    ? `enabled, ${config.raft.advertise}, ${Math.max(1, config.raft.nodes.length)} node(s)`
    : 'disabled';
  return [
    `  files: ${files.join(', ')}`,
    `  format: ${result.format}`,
    `  options set: ${result.explicit.length} of ${allOptions.length} (the rest at defaults)`,
    `  backend: ${backend}`,
    `  raft: ${raft}`,
    `  warnings: ${result.warnings.length}`,
  ];
}

interface DumpFlags {
  config?: string[];
  json?: boolean;
  yaml?: boolean;
  format: string;
}

function checkFlags(flags: DumpFlags): void {
  if (flags.format !== 'orc' && flags.format !== 'orchestrator') {
    throw new OrcError('USAGE', `unknown --format "${flags.format}": use orc or orchestrator`);
  }
  if (flags.json === true && flags.yaml === true) {
    throw new OrcError('USAGE', '--json and --yaml cannot be used together');
  }
}

function render(result: LoadResult, flags: DumpFlags): string {
  const orchestrator = flags.format === 'orchestrator';
  const data = orchestrator ? toOrchestratorKeys(result.config) : dumpConfig(result.config);
  const json = flags.json === true || (orchestrator && flags.yaml !== true);
  return json ? `${JSON.stringify(data, null, 2)}\n` : stringify(data, { lineWidth: 0 });
}

/** Registers `orc config check` and `orc config dump`. Errors leave as OrcError (exit 2). */
export function registerConfigCommands(program: Command): void {
  const config = program
    .command('config')
    .description('check and print configuration (orc YAML/JSON or orchestrator JSON)');

  config
    .command('check')
    .description('load the files (and ORC_* variables), report problems, exit 2 when invalid')
    .argument('<files...>', 'configuration files, later ones overriding earlier ones')
    .action(async (files: string[]) => {
      const result = await load(files);
      console.log(['configuration ok', ...summary(files, result)].join('\n'));
    });

  config
    .command('dump')
    .description('print the effective configuration with secrets masked')
    .option('-c, --config <files...>', 'configuration files, later ones overriding earlier ones')
    .option('--json', 'print JSON')
    .option('--yaml', 'print YAML (the default for --format orc)')
    .option(
      '--format <format>',
      "orc (orc's option names) or orchestrator (PascalCase keys)",
      'orc',
    )
    .action(async (flags: DumpFlags) => {
      checkFlags(flags);
      const result = await load(flags.config ?? []);
      process.stdout.write(render(result, flags));
    });
}
