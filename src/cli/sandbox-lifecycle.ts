import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  DEFAULT_BASE_PORT,
  launchSupervisor,
  MAX_REPLICAS,
  planPorts,
  SandboxCode,
  SandboxError,
  planTopology,
  runSupervisorProcess,
  SHAPES,
  stopSandbox,
  type Shape,
} from '../sandbox/index.js';
import { formatUp } from './sandbox-format.js';
import {
  dirOf,
  integer,
  oneOf,
  print,
  withCommon,
  type CommonOptions,
} from './sandbox-cli-common.js';

interface UpOptions extends CommonOptions {
  basePort: number;
  replicas: number;
  shape: Shape;
  semiSync?: boolean;
  semiSyncTimeout?: number;
  orcPassword: string;
  slaveNetTimeout?: number;
  galera?: number;
}

/** `up`, `down` and the hidden `supervise` that `up` starts. */
export function registerLifecycleCommands(sandbox: Command): void {
  registerUp(sandbox);
  registerDown(sandbox);
  sandbox
    .command('supervise', { hidden: true })
    .description('run a sandbox supervisor (started by `orc sandbox up`)')
    .requiredOption('--dir <dir>', 'the sandbox directory')
    .action(async (options: { dir: string }) => {
      process.exitCode = await runSupervisorProcess(resolve(options.dir));
    });
}

function registerUp(sandbox: Command): void {
  withCommon(
    sandbox
      .command('up')
      .description('create and start a replicating MariaDB topology on loopback')
      .option(
        '--base-port <port>',
        "the primary's public port; replicas follow it, private ports are base+100…",
        integer('--base-port', 1024, 65_435),
        DEFAULT_BASE_PORT,
      )
      .option(
        '--replicas <n>',
        `instances besides the primary, at most ${MAX_REPLICAS}`,
        integer('--replicas', 0),
        2,
      )
      .option('--shape <shape>', SHAPES.join(' | '), oneOf<Shape>('--shape', SHAPES), 'star')
      .option('--semi-sync', 'semi-synchronous replication from the primary to its replicas')
      .option(
        '--semi-sync-timeout <ms>',
        'rpl_semi_sync_master_timeout (default: the server default, 10000)',
        integer('--semi-sync-timeout', 0),
      )
      .option('--orc-password <password>', "password of orc's account", 'orc')
      .option(
        '--slave-net-timeout <s>',
        'seconds before a replica gives up a silent link (default 4)',
        integer('--slave-net-timeout', 2, 3600),
      )
      .option(
        '--galera <nodes>',
        'a Galera cluster of N nodes (node1…nodeN) instead of replication',
        integer('--galera', 1, 9),
      ),
  ).action(async (options: UpOptions, command: Command) => {
    // Fail on impossible options here, before a directory or a process exists.
    if (options.galera !== undefined) assertGaleraOptions(command);
    else {
      planPorts(options.basePort, planTopology(options.shape, options.replicas).instances.length);
    }

    const started = performance.now();
    const state = await launchSupervisor({
      dir: dirOf(options),
      entry: process.argv[1] ?? 'bin/orc.js',
      up: {
        basePort: options.basePort,
        replicas: options.replicas,
        shape: options.shape,
        semiSync: options.semiSync ?? false,
        orcPassword: options.orcPassword,
        ...(options.slaveNetTimeout === undefined
          ? {}
          : { slaveNetTimeout: options.slaveNetTimeout }),
        ...(process.env.ORC_MARIADBD ? { mariadbd: process.env.ORC_MARIADBD } : {}),
        ...(options.galera === undefined ? {} : { galera: options.galera }),
        ...(options.semiSyncTimeout === undefined
          ? {}
          : { semiSyncTimeoutMs: options.semiSyncTimeout }),
      },
    });
    print(options, state, () => formatUp(state, performance.now() - started));
  });
}

/** Replication-only options given with `--galera` are an error, not silently ignored. */
function assertGaleraOptions(command: Command): void {
  const given = ['shape', 'semiSync', 'semiSyncTimeout', 'replicas', 'slaveNetTimeout'].filter(
    (name) => command.getOptionValueSource(name) === 'cli',
  );
  if (given.length === 0) return;
  const flags = given.map((name) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  throw new SandboxError(
    SandboxCode.BadOptions,
    `${flags.join(', ')} ${given.length === 1 ? 'does' : 'do'} not apply with --galera ` +
      '(a Galera cluster has no shape or replicas: use --galera N for N nodes)',
  );
}

function registerDown(sandbox: Command): void {
  withCommon(
    sandbox
      .command('down')
      .description('stop every process of the sandbox, by pid')
      .option('--purge', 'also remove the sandbox directory'),
  ).action(async (options: CommonOptions & { purge?: boolean }) => {
    const result = await stopSandbox(dirOf(options), { purge: options.purge ?? false });
    print(options, result, () =>
      [
        `sandbox in ${result.dir} is down` +
          (result.stopped.length ? `: stopped pids ${result.stopped.join(', ')}` : ''),
        result.withoutSupervisor ? '(no supervisor answered: stopped the recorded pids)' : '',
        result.purged ? `removed ${result.dir}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  });
}
