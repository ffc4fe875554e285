import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MysqlPool, probeInstance } from '../../src/mysql/index.js';
import { instanceKey, type InstanceKey } from '../../src/topology/index.js';

/**
 * A rough probe rate: starts the fake fleet in a child process, then probes its servers
 * round-robin from this process for a while and prints one JSON line with probes/s. Not the
 * discovery benchmark (bench/ will have that); a smoke figure for the probe alone.
 *
 *     node --import tsx test/fakes/fleet-probe-rate.ts [--servers 2000] [--seconds 10]
 *          [--concurrency 200] [--flavor mix]
 */
const { values } = parseArgs({
  options: {
    servers: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '200' },
    flavor: { type: 'string', default: 'mix' },
  },
});

const fleetPath = fileURLToPath(new URL('./fake-fleet.ts', import.meta.url));
const child = spawn(
  process.execPath,
  ['--import', 'tsx', fleetPath, '--servers', values.servers, '--flavor', values.flavor],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
try {
  const lines = createInterface({ input: child.stdout });
  const [line] = (await once(lines, 'line')) as [string];
  const ready = JSON.parse(line) as {
    host: string;
    clusters: { primary: number; replicas: number[] }[];
  };
  const keys: InstanceKey[] = ready.clusters.flatMap((c) =>
    [c.primary, ...c.replicas].map((port) => instanceKey(ready.host, port)),
  );
  const pool = new MysqlPool({ user: 'orc', password: 'orc', maxConnectionsPerServer: 2 });
  let next = 0;
  let done = 0;
  let failed = 0;
  const worker = async (deadline: number) => {
    while (performance.now() < deadline) {
      const key = keys[next++ % keys.length] as InstanceKey;
      const r = await probeInstance(pool, key);
      if (r.outcome === 'ok') done++;
      else failed++;
    }
  };
  const workers = Number(values.concurrency);
  // A first pass opens one connection per server; the measured run reuses them, as discovery
  // would (it polls the same servers every few seconds).
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < keys.length) await probeInstance(pool, keys[next++] as InstanceKey);
    }),
  );
  done = 0;
  failed = 0;
  const started = performance.now();
  const deadline = started + Number(values.seconds) * 1000;
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: workers }, () => worker(deadline)));
  const elapsed = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  console.log(
    JSON.stringify({
      servers: keys.length,
      seconds: Number(elapsed.toFixed(2)),
      probes: done,
      failed,
      probesPerSecond: Math.round(done / elapsed),
      cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
    }),
  );
  await pool.close();
} finally {
  child.kill('SIGTERM');
  await once(child, 'exit');
}
