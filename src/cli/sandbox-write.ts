import { join } from 'node:path';
import type { Command } from 'commander';
import { OrcError } from '../common/errors.js';
import {
  checkRunName,
  findAckFile,
  readAckFile,
  readState,
  resolveInstance,
  SandboxCode,
  SandboxError,
  verifyWrites,
  WRITES_DIR,
  WriteLoad,
} from '../sandbox/index.js';
import { formatWriteCounts } from './sandbox-format.js';
import { dirOf, positive, print, withCommon, type CommonOptions } from './sandbox-cli-common.js';

interface WriteOptions extends CommonOptions {
  rate: number;
  duration?: number;
  table: string;
  run?: string;
}

/** `write` (the acknowledged-write load) and `verify-writes` (no acknowledged row lost). */
export function registerWriteCommands(sandbox: Command): void {
  withCommon(
    sandbox
      .command('write')
      .description('write rows to the writable server, recording every acknowledged id')
      .option('--rate <r>', 'writes per second', positive('--rate'), 20)
      .option(
        '--duration <s>',
        'stop after this many seconds (default: until Ctrl-C)',
        positive('--duration'),
      )
      .option('--table <table>', 'table in database orc_sandbox', 'writes')
      .option('--run <name>', 'name of the run (default: a timestamp)'),
  ).action(runWrite);

  withCommon(
    sandbox
      .command('verify-writes <instance>')
      .description('check every acknowledged id of a write run is on INSTANCE')
      .option('--run <name>', 'the run to check (default: the latest)'),
  ).action(runVerify);
}

async function runWrite(options: WriteOptions): Promise<void> {
  if (options.run !== undefined) checkRunName(options.run);
  const dir = dirOf(options);
  const state = await readState(dir);
  const load = WriteLoad.start({
    targets: state.instances.map((i) => ({ name: i.name, port: i.publicPort })),
    credentials: state.users.app,
    ratePerSecond: options.rate,
    table: options.table,
    ...(options.run ? { run: options.run } : {}),
    ackDir: join(dir, WRITES_DIR),
  });
  if (!options.json) {
    load.on('target', (t) => console.log(`writing to ${t.to}${t.from ? ` (was ${t.from})` : ''}`));
  }
  const ticker = setInterval(() => {
    if (!options.json) console.log(formatWriteCounts(load.counts()));
  }, 1000);
  await new Promise<void>((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      resolve();
    };
    const timer = options.duration ? setTimeout(finish, options.duration * 1000) : undefined;
    process.on('SIGINT', finish);
    process.on('SIGTERM', finish);
  });
  clearInterval(ticker);
  const counts = await load.stop();
  print(options, counts, () => `final: ${formatWriteCounts(counts)}`);
  if (counts.acked === 0 && counts.unavailable > 0) {
    throw new SandboxError(
      SandboxCode.NoWritable,
      `no server is writable (all are read_only or down): nothing was written to ${dir}`,
    );
  }
}

/** True for a connection refused, also when wrapped as an error's cause. */
function isRefused(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if ((e as NodeJS.ErrnoException).code === 'ECONNREFUSED') return true;
  }
  return false;
}

async function runVerify(
  instance: string,
  options: CommonOptions & { run?: string },
): Promise<void> {
  const dir = dirOf(options);
  const state = await readState(dir);
  const name = resolveInstance(instance, state.instances);
  const record = state.instances.find((i) => i.name === name);
  if (!record) throw new OrcError(SandboxCode.UnknownInstance, `no instance ${instance}`);
  const ack = await readAckFile(await findAckFile(join(dir, WRITES_DIR), options.run));
  const result = await verifyWrites({
    privatePort: record.privatePort,
    run: ack.run,
    table: ack.table,
    acked: ack.acked,
  }).catch((err: unknown) => {
    if (!isRefused(err)) throw err;
    throw new SandboxError(
      SandboxCode.InstanceDown,
      `${name} (127.0.0.1:${record.publicPort}) is down: start it with ` +
        `\`orc sandbox start ${name} --dir ${dir}\` and verify again`,
      { cause: err },
    );
  });
  print(options, result, () =>
    result.missing.length === 0
      ? `${name}: all ${result.acked} acknowledged writes of run ${result.run} are present` +
        (result.unacknowledged ? ` (plus ${result.unacknowledged} unacknowledged rows)` : '')
      : `${name}: ${result.missing.length} of ${result.acked} acknowledged writes of run ` +
        `${result.run} are MISSING: ${result.missing.slice(0, 50).join(', ')}` +
        (result.missing.length > 50 ? ' …' : ''),
  );
  if (result.missing.length > 0) {
    throw new OrcError(
      SandboxCode.WritesMissing,
      `${result.missing.length} acknowledged writes missing on ${name}`,
    );
  }
}
