/**
 * Test fixtures for the inventory routes: a fake DiscoveryControl over a real backend, a
 * fixture fleet, and an app with both route families on a real SqliteBackend in a temporary
 * directory. Used by the inventory tests only; not by production code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, NOW, primary, replica, server } from '../../analysis/fixtures.js';
import { SqliteBackend, type Backend } from '../../backend/index.js';
import { ManualClock } from '../../common/clock.js';
import { OrcError } from '../../common/errors.js';
import { compileConfig, type Config } from '../../config/index.js';
import {
  formatInstanceKey,
  instanceKey,
  type Instance,
  type InstanceKey,
} from '../../topology/index.js';
import type { AppDeps } from '../app.js';
import { testApp, type TestApp } from '../testing.js';
import type { DiscoveryControl, InventoryDeps } from './inventory-deps.js';
import { registerInventoryRoutes } from './inventory.js';
import { registerV2InventoryRoutes } from './v2-inventory.js';

/**
 * Discovery that "probes" from `servers` (a server absent from it is unreachable) and writes
 * the result to the backend, recording every call in `calls`.
 */
export class FakeDiscovery implements DiscoveryControl {
  readonly servers = new Map<string, Instance>();
  readonly calls: string[] = [];

  constructor(private readonly backend: Backend) {}

  async discover(key: InstanceKey): Promise<Instance> {
    return this.probe('discover', key);
  }

  asyncDiscover(key: InstanceKey): void {
    this.calls.push(`async-discover ${formatInstanceKey(key)}`);
  }

  async refresh(key: InstanceKey): Promise<Instance> {
    return this.probe('refresh', key);
  }

  async forget(key: InstanceKey): Promise<void> {
    this.calls.push(`forget ${formatInstanceKey(key)}`);
    await this.backend.instances.forget(key);
  }

  private async probe(what: string, key: InstanceKey): Promise<Instance> {
    const id = formatInstanceKey(key);
    this.calls.push(`${what} ${id}`);
    const found = this.servers.get(id);
    if (found === undefined) {
      throw new OrcError('INSTANCE_UNREACHABLE', `cannot probe ${id}: connect ECONNREFUSED`, {
        context: { instance: id },
      });
    }
    await this.backend.instances.upsertInstances([found]);
    return found;
  }
}

/** Servers of the fixture fleet, by name. All MariaDB 10.11 on 127.0.0.1, judged at NOW. */
export function fixtureFleet() {
  const p = primary(23306, { replicas: [instanceKey('127.0.0.1', 23307)] });
  const r1 = replica(23307, p, { over: { alias: 'r1' } });
  const lagging = replica(23308, p, { link: { secondsBehindSource: 60 } });
  const chained = replica(23309, r1, { link: { ioThread: 'stopped', sqlThread: 'stopped' } });
  const dead = down(replica(23310, p));
  const coA = coPrimary(23406, 23407);
  const coB = coPrimary(23407, 23406);
  const coReplica = replica(23408, { instance: coA });
  return {
    primary: p.instance,
    r1: r1.instance,
    lagging: { ...lagging.instance, replicationLagSeconds: 60 },
    chained: { ...chained.instance, replicationLagSeconds: undefined },
    dead: dead.instance,
    coA,
    coB,
    coReplica: coReplica.instance,
  };
}

/** One of a co-primary pair: replicates from `other`, in the cluster named after 23406. */
function coPrimary(port: number, other: number): Instance {
  const base = server(port);
  const source = replica(port, { instance: server(other) }).instance.replication;
  return {
    ...base,
    replication: source,
    replicationLagSeconds: 0,
    cluster: { ...base.cluster, name: '127.0.0.1:23406', alias: '127.0.0.1:23406', depth: 0 },
  };
}

export interface InventoryTestApp extends TestApp {
  backend: Backend;
  discovery: FakeDiscovery;
  config: Config;
  deps: InventoryDeps;
  close(): Promise<void>;
}

/**
 * An app with the compatibility and v2 inventory routes over a fresh SQLite backend holding
 * `instances` (default: the whole fixture fleet), the clock at the fixtures' NOW.
 */
export async function inventoryTestApp(
  options: {
    instances?: readonly Instance[];
    config?: Record<string, unknown>;
    app?: Partial<AppDeps>;
  } = {},
): Promise<InventoryTestApp> {
  const root = await mkdtemp(join(tmpdir(), 'orc-inventory-'));
  const clock = new ManualClock(NOW);
  const backend = await SqliteBackend.open({ path: join(root, 'orc.db'), clock });
  await backend.instances.upsertInstances(options.instances ?? Object.values(fixtureFleet()));
  const discovery = new FakeDiscovery(backend);
  const { config } = compileConfig([]);
  const merged = mergeConfig(config, options.config ?? {});
  const deps: InventoryDeps = { backend, discovery, config: merged, clock, nodeName: 'orc-test' };
  const t = testApp({
    clock,
    registerRoutes: [
      (app) => registerInventoryRoutes(app, deps),
      (app) => registerV2InventoryRoutes(app, deps),
    ],
    ...options.app,
  });
  const close = async () => {
    await t.app.close();
    await backend.close();
    await rm(root, { recursive: true, force: true });
  };
  return { ...t, backend, discovery, config: merged, deps, close };
}

/** `config` with areas overridden: `{ analysis: { reasonable…: 5 } }`. */
function mergeConfig(config: Config, over: Record<string, unknown>): Config {
  const out: Record<string, unknown> = { ...config };
  for (const [area, values] of Object.entries(over)) {
    out[area] = { ...(config[area as keyof Config] as object), ...(values as object) };
  }
  return out as unknown as Config;
}
