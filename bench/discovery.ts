// `npm run bench:discovery`: how fast orc discovers and keeps polling.
//
// (a) A real MariaDB sandbox (tree: a primary, three replicas, one chained): the time from
//     spawning `orc serve` to every instance visible in the API, at InstancePollSeconds 1 and 5,
//     then a steady-state run.
// (b) A fleet of fake servers (mysql2 server mode) in a separate process, organised as many
//     small clusters: probes/s, backend writes/s, orc's CPU and peak RSS, poll staleness.
//
// Figures go to stdout and to bench/results/discovery-<time>.json. Flags:
//   --servers N (default 2000)  --poll S (default 5)  --seconds S (steady run, default 30)
//   --skip-sandbox  --skip-fleet
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { silentLogger } from '../src/common/log.js';
import { compileConfig, readDocument } from '../src/config/index.js';
import { launchSupervisor, reserveBasePort, stopSandbox } from '../src/sandbox/index.js';
import { startService, type RunningService } from '../src/service/index.js';

const { values: flags } = parseArgs({
  options: {
    servers: { type: 'string', default: '2000' },
    poll: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '30' },
    'skip-sandbox': { type: 'boolean', default: false },
    'skip-fleet': { type: 'boolean', default: false },
  },
});

const root = join(import.meta.dirname, '..');
const results: Record<string, unknown> = { startedAt: new Date().toISOString() };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** Spawns `orc serve` with a config file and returns ms until the API lists `expected` keys. */
async function serveUntilDiscovered(o: {
  dir: string;
  seed: string;
  poll: number;
  expected: number;
}): Promise<number> {
  const port = 24000 + Math.floor(Math.random() * 4000);
  const config = join(o.dir, `orc-${o.poll}.yaml`);
  await writeFile(
    config,
    [
      'http: { listenAddress: 127.0.0.1:' + port + ' }',
      `backend: { type: sqlite, sqliteDataFile: ${join(o.dir, `orc-${o.poll}-${port}.db`)} }`,
      'topology: { user: orc, password: orc }',
      `discovery: { seeds: ['${o.seed}'], instancePollSeconds: ${o.poll} }`,
      'log: { level: warn }',
      '',
    ].join('\n'),
  );
  const started = performance.now();
  const child = spawn(process.execPath, [join(root, 'bin/orc.js'), 'serve', '--config', config], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`orc serve exited ${child.exitCode}`);
      const count = await fetch(`http://127.0.0.1:${port}/api/all-instances`)
        .then(async (r) => (r.ok ? ((await r.json()) as unknown[]).length : 0))
        .catch(() => 0);
      if (count >= o.expected) return performance.now() - started;
      if (performance.now() - started > 60_000) throw new Error('not discovered within 60 s');
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await stopChild(child);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function benchSandbox(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'orc-bench-discovery-'));
  const reservation = await reserveBasePort();
  const sandboxDir = join(dir, 'sandbox');
  try {
    await launchSupervisor({
      dir: sandboxDir,
      entry: join(root, 'bin/orc.js'),
      up: { basePort: reservation.basePort, replicas: 3, shape: 'tree', semiSync: false },
    });
    const seed = `127.0.0.1:${reservation.basePort}`;
    const startToDiscovered: Record<string, number[]> = {};
    for (const poll of [1, 5]) {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++)
        runs.push(await serveUntilDiscovered({ dir, seed, poll, expected: 4 }));
      startToDiscovered[`poll${poll}s`] = runs.map((r) => round(r / 1000, 3));
      const sorted = [...runs].sort((a, b) => a - b);
      console.log(
        `sandbox, InstancePollSeconds ${poll}: orc serve start → all 4 instances in the API: ` +
          `median ${round(percentile(sorted, 50) / 1000, 3)} s, max ${round(sorted.at(-1)! / 1000, 3)} s (5 runs)`,
      );
    }
    const steady = await steadyRun({ seeds: [seed], poll: 1, seconds: 10, expected: 4, dir });
    console.log(`sandbox steady state (poll 1 s): ${JSON.stringify(steady)}`);
    results.sandbox = { startToDiscoveredSeconds: startToDiscovered, steady };
  } finally {
    await stopSandbox(sandboxDir, { purge: true }).catch(() => undefined);
    await reservation.release();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs orc in this process against `seeds` and samples throughput and staleness. */
async function steadyRun(o: {
  seeds: string[];
  poll: number;
  seconds: number;
  expected: number;
  dir: string;
}): Promise<Record<string, number>> {
  const document = {
    http: { listenAddress: '127.0.0.1:0' },
    backend: { type: 'sqlite', sqliteDataFile: join(o.dir, `steady-${Date.now()}.db`) },
    topology: { user: 'orc', password: 'orc' },
    discovery: { seeds: o.seeds, instancePollSeconds: o.poll },
  };
  const { config } = compileConfig([readDocument(document, 'bench')]);
  const started = performance.now();
  const service: RunningService = await startService({ config, logger: silentLogger() });
  let probes = 0;
  const unsubscribe = service.context.discovery.subscribe((e) => {
    if (e.type === 'probed') probes++;
  });
  try {
    const discovery = service.context.discovery;
    while (discovery.observed().length < o.expected) {
      if (performance.now() - started > 120_000) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const discoveredMs = performance.now() - started;
    probes = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const staleness: number[] = [];
    while (performance.now() - t0 < o.seconds * 1000) {
      await new Promise((r) => setTimeout(r, 500));
      const now = Date.now();
      for (const { instance } of discovery.observed()) {
        const at = instance.timing.lastCheckedAt;
        if (at !== undefined) staleness.push(now - at);
      }
    }
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    staleness.sort((a, b) => a - b);
    return {
      instances: discovery.observed().length,
      discoveredSeconds: round(discoveredMs / 1000, 3),
      probesPerSecond: round(probes / wall, 1),
      cpuCores: round((cpu.user + cpu.system) / 1e6 / wall, 3),
      peakRssMiB: round(process.resourceUsage().maxRSS / 1024, 1),
      stalenessP50Seconds: round(percentile(staleness, 50) / 1000, 3),
      stalenessP99Seconds: round(percentile(staleness, 99) / 1000, 3),
    };
  } finally {
    unsubscribe();
    await service.stop();
  }
}

async function benchFleet(): Promise<void> {
  const servers = Number(flags.servers);
  const fleet = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'test/fakes/fake-fleet.ts'), '--servers', String(servers)],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: root },
  );
  const dir = await mkdtemp(join(tmpdir(), 'orc-bench-fleet-'));
  try {
    const ready = await readReady(fleet);
    const seeds = ready.clusters.map((c) => `${ready.host}:${c.primary}`);
    const figures = await steadyRun({
      seeds,
      poll: Number(flags.poll),
      seconds: Number(flags.seconds),
      expected: ready.servers,
      dir,
    });
    console.log(
      `fleet of ${ready.servers} fake servers in ${ready.clusters.length} clusters, ` +
        `poll ${flags.poll} s: ${JSON.stringify(figures)}`,
    );
    results.fleet = {
      servers: ready.servers,
      clusters: ready.clusters.length,
      poll: Number(flags.poll),
      ...figures,
    };
  } finally {
    await stopChild(fleet);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The fake fleet's ready line (test/fakes/fake-fleet.ts). */
interface FleetReady {
  host: string;
  servers: number;
  clusters: { primary: number; replicas: number[] }[];
}

async function readReady(child: ChildProcess): Promise<FleetReady> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    const message = JSON.parse(line) as { event?: string };
    if (message.event === 'ready') {
      return message as FleetReady;
    }
  }
  throw new Error('the fake fleet exited before it was ready');
}

if (!flags['skip-sandbox']) await benchSandbox();
if (!flags['skip-fleet']) await benchFleet();
await mkdir(join(root, 'bench/results'), { recursive: true });
const out = join(root, 'bench/results', `discovery-${Date.now()}.json`);
await writeFile(out, JSON.stringify(results, null, 2) + '\n');
console.log(`results written to ${out}`);
