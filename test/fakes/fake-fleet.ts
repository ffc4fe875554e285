import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { FAKE_FLAVORS, type FakeFlavor } from './fake-mysql-fixtures.js';
import { startFakeCluster, type FakeCluster } from './fake-topology.js';

/**
 * Many small fake clusters (1 primary + 2–4 replicas each, GTID-consistent) on system-chosen
 * loopback ports, for the discovery benchmark. In-process: `startFakeFleet`. As a separate
 * process (so the fakes do not share the measured core):
 *
 *     node --import tsx test/fakes/fake-fleet.ts --servers 2000 [--flavor mix|mysql-8.0|…]
 *          [--latency-ms 0] [--host 127.0.0.1] [--user orc --password orc]
 *
 * prints one JSON line when every server listens, `{"event":"ready","host":…,"servers":N,
 * "clusters":[{"flavor":…,"primary":port,"replicas":[ports]}]}`, and stops on SIGTERM/SIGINT.
 */
export interface FakeFleetOptions {
  /** At least this many servers in all (clusters are added until reached). */
  readonly servers: number;
  /** One flavor, or `mix` to cycle through all of them. */
  readonly flavor?: FakeFlavor | 'mix';
  readonly host?: string;
  readonly user?: string;
  readonly password?: string;
  readonly latencyMs?: number;
}

export interface FakeFleet {
  readonly clusters: readonly FakeCluster[];
  readonly servers: number;
  describe(): { flavor: FakeFlavor; primary: number; replicas: number[] }[];
  close(): Promise<void>;
}

/** Starts the fleet; clusters start a few at a time to keep the accept queues short. */
export async function startFakeFleet(options: FakeFleetOptions): Promise<FakeFleet> {
  const flavorOf = (i: number): FakeFlavor =>
    options.flavor === undefined || options.flavor === 'mix'
      ? (FAKE_FLAVORS[i % FAKE_FLAVORS.length] as FakeFlavor)
      : options.flavor;
  const sizes: number[] = [];
  for (let total = 0, i = 0; total < options.servers; i++) {
    sizes.push(2 + (i % 3));
    total += 3 + (i % 3);
  }
  const serverOptions = {
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.password === undefined ? {} : { password: options.password }),
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
  };
  const clusters: FakeCluster[] = [];
  let serverId = 1000;
  for (let i = 0; i < sizes.length; i += 50) {
    const batch = sizes.slice(i, i + 50).map((replicas, j) => {
      const firstServerId = serverId;
      serverId += replicas + 1;
      return startFakeCluster({ flavor: flavorOf(i + j), replicas, firstServerId }, serverOptions);
    });
    clusters.push(...(await Promise.all(batch)));
  }
  return {
    clusters,
    servers: clusters.reduce((n, c) => n + 1 + c.replicas.length, 0),
    describe: () =>
      clusters.map((c) => ({
        flavor: c.flavor,
        primary: c.primary.port,
        replicas: c.replicas.map((r) => r.port),
      })),
    close: async () => {
      await Promise.all(clusters.map((c) => c.close()));
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      servers: { type: 'string', default: '2000' },
      flavor: { type: 'string', default: 'mix' },
      host: { type: 'string', default: '127.0.0.1' },
      user: { type: 'string', default: 'orc' },
      password: { type: 'string', default: 'orc' },
      'latency-ms': { type: 'string', default: '0' },
    },
  });
  const flavor = values.flavor;
  if (flavor !== 'mix' && !(FAKE_FLAVORS as readonly string[]).includes(flavor)) {
    throw new Error(`unknown flavor "${flavor}": use mix or one of ${FAKE_FLAVORS.join(', ')}`);
  }
  const fleet = await startFakeFleet({
    servers: Number(values.servers),
    flavor: flavor as FakeFlavor | 'mix',
    host: values.host,
    user: values.user,
    password: values.password,
    latencyMs: Number(values['latency-ms']),
  });
  const stop = () => {
    void fleet.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const ready = {
    event: 'ready',
    host: values.host,
    user: values.user,
    servers: fleet.servers,
    clusters: fleet.describe(),
  };
  console.log(JSON.stringify(ready));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
