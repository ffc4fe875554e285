import type { Command } from 'commander';
import { OrcError } from '../common/errors.js';
import {
  callControl,
  CUT_MODES,
  readState,
  type CutMode,
  type OperationResult,
} from '../sandbox/index.js';
import { formatGaleraStatus, formatStatus } from './sandbox-format.js';
import {
  dirOf,
  integer,
  oneOf,
  print,
  withCommon,
  type CommonOptions,
} from './sandbox-cli-common.js';
import { registerLifecycleCommands } from './sandbox-lifecycle.js';
import { registerWriteCommands } from './sandbox-write.js';

/**
 * Registers `orc sandbox …`: real MariaDB topologies on loopback for tests, `orc demo` and
 * failure drills (docs/sandbox.md). `up` starts a supervisor process that owns the servers and
 * proxies; every other command talks to it over D/control.sock.
 */
export function registerSandboxCommands(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('real MariaDB replication sandboxes on loopback, with cuttable links');
  registerLifecycleCommands(sandbox);
  registerStatus(sandbox);
  for (const op of ['kill', 'stop', 'start', 'restart'] as const) registerInstanceOp(sandbox, op);
  registerLag(sandbox);
  registerCut(sandbox);
  registerHeal(sandbox);
  registerWriteCommands(sandbox);
}

function registerStatus(sandbox: Command): void {
  withCommon(
    sandbox.command('status').description('show every instance, its replication, and cut links'),
  ).action(async (options: CommonOptions) => {
    const dir = dirOf(options);
    if ((await readState(dir)).kind === 'galera') {
      const status = await callControl(dir, { op: 'galera-status' });
      print(options, status, () => formatGaleraStatus(status));
      return;
    }
    const status = await callControl(dir, { op: 'status' });
    print(options, status, () => formatStatus(status));
  });
}

const opHelp = {
  kill: 'SIGKILL a server (like kill -9): replicas report Connecting, errno 2003',
  stop: 'stop a server cleanly (SIGTERM)',
  start: 'start a stopped server (it comes back read_only=ON)',
  restart: 'stop, then start a server',
} as const;

const opDone = { kill: 'killed', stop: 'stopped', start: 'started', restart: 'restarted' };
const opNoop = { kill: 'was not running', stop: 'was not running', start: 'was running' };

function registerInstanceOp(sandbox: Command, op: keyof typeof opHelp): void {
  withCommon(sandbox.command(`${op} <instance>`).description(opHelp[op])).action(
    async (instance: string, options: CommonOptions) => {
      const request = { op, instance };
      const result: OperationResult = await callControl(dirOf(options), request);
      print(options, result, () => describeOp(result, op));
    },
  );
}

function describeOp(r: OperationResult, op: keyof typeof opHelp): string {
  const what = r.changed || op === 'restart' ? opDone[op] : opNoop[op];
  return `${r.instance} (${r.address}${r.pid ? `, pid ${r.pid}` : ''}) ${what}`;
}

interface LagOptions extends CommonOptions {
  stopApplier?: boolean;
  startApplier?: boolean;
}

function registerLag(sandbox: Command): void {
  withCommon(
    sandbox
      .command('lag <instance> [seconds]')
      .description('delay a replica by SECONDS (0 removes it), or stop/start its SQL thread')
      .option('--stop-applier', 'stop the SQL thread: events arrive but are not applied')
      .option('--start-applier', 'start the SQL thread again'),
  ).action(async (instance: string, seconds: string | undefined, options: LagOptions) => {
    const chosen = [seconds !== undefined, options.stopApplier, options.startApplier];
    if (chosen.filter(Boolean).length !== 1) {
      throw new OrcError(
        'USAGE',
        'lag needs exactly one of SECONDS, --stop-applier, --start-applier',
      );
    }
    const change =
      seconds !== undefined
        ? { delaySeconds: integer('SECONDS', 0, 86_400)(seconds) }
        : { applier: options.stopApplier ? ('stop' as const) : ('start' as const) };
    const result = await callControl(dirOf(options), { op: 'lag', instance, change });
    print(options, result, () =>
      'delaySeconds' in change
        ? `${result.instance} (${result.address}) delay set to ${change.delaySeconds} s`
        : `${result.instance} (${result.address}) SQL thread ${change.applier === 'stop' ? 'stopped' : 'started'}`,
    );
  });
}

function registerCut(sandbox: Command): void {
  withCommon(
    sandbox
      .command('cut <from> [to]')
      .description(
        'cut one link: "orc s1" (clients → s1) or "s2 s1" (s2 replicating from s1); ' +
          'Galera: "node2" cuts node2 off the group',
      )
      .option(
        '--mode <mode>',
        'blackhole (silent: bytes dropped) or reset (refused)',
        oneOf<CutMode>('--mode', CUT_MODES),
        'blackhole',
      ),
  ).action(async (from: string, to: string | undefined, options: CutOptions) => {
    const dir = dirOf(options);
    if ((await readState(dir)).kind === 'galera') {
      if (to) throw new OrcError('USAGE', 'a Galera cut names one member: cut node2');
      const cut = await callControl(dir, { op: 'cut-member', member: from, mode: options.mode });
      print(options, cut, () => `cut ${cut.member} off the group (${cut.mode})`);
      return;
    }
    if (!to) throw new OrcError('USAGE', 'cut needs FROM and TO: "orc s1" or "s2 s1"');
    const link = await callControl(dir, { op: 'cut', from, to, mode: options.mode });
    print(
      options,
      link,
      () =>
        `cut ${link.from} → ${link.to} (${link.mode}, ${link.flows} open ${link.flows === 1 ? 'flow' : 'flows'})`,
    );
  });
}

interface CutOptions extends CommonOptions {
  mode: CutMode;
}

function registerHeal(sandbox: Command): void {
  withCommon(
    sandbox
      .command('heal [from] [to]')
      .description('heal one cut link (Galera: one member), or every one with --all')
      .option('--all', 'heal every cut link'),
  ).action(
    async (
      from: string | undefined,
      to: string | undefined,
      options: CommonOptions & { all?: boolean },
    ) => {
      const dir = dirOf(options);
      if (options.all) {
        const result = await callControl(dir, { op: 'heal-all' });
        const names = result.healed.map((l) => (l.to === '*' ? l.from : `${l.from} → ${l.to}`));
        print(options, result, () =>
          names.length ? `healed ${names.join(', ')}` : 'no link was cut',
        );
        return;
      }
      if ((await readState(dir)).kind === 'galera') {
        if (!from || to) throw new OrcError('USAGE', 'a Galera heal names one member: heal node2');
        const healed = await callControl(dir, { op: 'heal-member', member: from });
        print(options, healed, () => `healed ${healed.member}`);
        return;
      }
      if (!from || !to) throw new OrcError('USAGE', 'heal needs FROM and TO, or --all');
      const result = await callControl(dir, { op: 'heal', from, to });
      print(options, result, () =>
        result.healed ? `healed ${from} → ${to}` : `${from} → ${to} was not cut`,
      );
    },
  );
}
