import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InstanceWriteBuffer, SqliteBackend, type Backend } from '../../src/backend/index.js';
import { systemClock } from '../../src/common/clock.js';
import {
  Discovery,
  testSettings,
  type DiscoveryEvent,
  type SettingsOverrides,
} from '../../src/discovery/index.js';
import { MysqlPool, probeInstance } from '../../src/mysql/index.js';
import { pollUntil, startTestSandbox, type Sandbox } from '../../src/sandbox/index.js';
import {
  formatInstanceKey,
  instanceKey,
  isLastCheckValid,
  type Instance,
} from '../../src/topology/index.js';

// Discovery against real MariaDB: a `tree` sandbox (s1 → s2, s3; s2 → s4), each server's
// public address a proxy, polled every second. Every test runs its own Discovery on its own
// SQLite store; the sandbox is shared and every test leaves it as it found it.

const POLL_MS = 1000;
let sb: Sandbox;
const addr = (name: string) => `127.0.0.1:${sb.instance(name).port}`;

let teardown: (() => Promise<void>) | undefined;
before(async () => {
  const cleanup = { after: (fn: () => Promise<void>) => (teardown = fn) };
  sb = await startTestSandbox(cleanup, { replicas: 3, shape: 'tree' });
});
after(async () => {
  await teardown?.();
});

interface Running {
  discovery: Discovery;
  backend: Backend;
  events: DiscoveryEvent[];
  rows(): Promise<Map<string, Instance>>;
  /** Waits until the stored rows satisfy `check`. */
  until(description: string, check: (rows: Map<string, Instance>) => boolean): Promise<void>;
}

async function runDiscovery(
  t: { after(fn: () => Promise<void>): void },
  settings: SettingsOverrides,
): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), 'orc-discovery-'));
  const clock = systemClock;
  const backend = await SqliteBackend.open({ path: join(dir, 'orc.db'), clock });
  const pool = new MysqlPool({ user: 'orc', password: 'orc', clock, connectTimeoutMs: 1000 });
  const writer = new InstanceWriteBuffer({ instances: backend.instances, clock });
  const discovery = new Discovery({
    clock,
    settings: testSettings({ pollMs: POLL_MS, ...settings }),
    probe: (key) => probeInstance(pool, key),
    store: backend,
    writer,
    caretaking: false,
  });
  const events: DiscoveryEvent[] = [];
  discovery.subscribe((e) => events.push(e));
  t.after(async () => {
    await discovery.stop();
    await writer.close();
    await pool.close();
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  });
  await discovery.start();
  const rows = async () => {
    const all = await backend.instances.all();
    return new Map(all.map((i) => [formatInstanceKey(i.key), i]));
  };
  let last = new Map<string, Instance>();
  return {
    discovery,
    backend,
    events,
    rows,
    async until(description, check) {
      await pollUntil(
        async () => {
          last = await rows();
          return check(last) ? true : undefined;
        },
        {
          description,
          timeoutMs: 20_000,
          describeLast: () => JSON.stringify([...last.keys()]),
        },
      );
    },
  };
}

function sourceOf(rows: Map<string, Instance>, name: string): string | undefined {
  const source = rows.get(addr(name))?.replication?.sourceKey;
  return source === undefined ? undefined : formatInstanceKey(source);
}

const everyone = () => ['s1', 's2', 's3', 's4'].map(addr).sort();
const allFour = (rows: Map<string, Instance>) =>
  everyone().every((a) => rows.get(a) !== undefined && isLastCheckValid(rows.get(a) as Instance));

/** A TCP proxy on loopback to `port`: what a link proxy, a VIP or a bouncer looks like. */
async function tcpProxy(port: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Points a replica at 127.0.0.1:`port` and waits until its IO thread runs there. */
async function repoint(replica: string, port: number): Promise<void> {
  const conn = await sb.connect(replica, { via: 'private' });
  try {
    await conn.query('STOP SLAVE');
    await conn.query(`CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${port}`);
    await conn.query('START SLAVE');
  } finally {
    conn.destroy();
  }
  await sb.waitForStatus(
    (s) => {
      const r = s.instances.find((i) => i.name === replica)?.replication;
      return r?.ioRunning === 'Yes' && r.sourceAddress === `127.0.0.1:${port}`;
    },
    { description: `${replica} replicates through port ${port}`, timeoutMs: 20_000 },
  );
}

void describe('discovery on a real MariaDB tree', () => {
  void test('discovery: seeding the primary finds all four with their sources, the chained one at depth 2', async (t) => {
    const d = await runDiscovery(t, { seeds: [addr('s1')] });
    await d.until('all four are stored and valid', allFour);
    const rows = await d.rows();
    assert.deepEqual([...rows.keys()].sort(), everyone(), 'no instance for any other address');
    assert.equal(sourceOf(rows, 's2'), addr('s1'));
    assert.equal(sourceOf(rows, 's3'), addr('s1'));
    assert.equal(sourceOf(rows, 's4'), addr('s2'));
    for (const [name, depth] of [
      ['s1', 0],
      ['s2', 1],
      ['s3', 1],
      ['s4', 2],
    ] as const) {
      assert.equal(rows.get(addr(name))?.cluster.name, addr('s1'), `${name} cluster`);
      assert.equal(rows.get(addr(name))?.cluster.depth, depth, `${name} depth`);
    }
  });

  void test('discovery: seeding a leaf replica crawls up and finds everything', async (t) => {
    const d = await runDiscovery(t, { seeds: [addr('s4')] });
    await d.until('all four are stored and valid', allFour);
    const rows = await d.rows();
    assert.equal(rows.get(addr('s4'))?.cluster.name, addr('s1'));
    assert.equal(rows.get(addr('s4'))?.cluster.depth, 2);
  });

  void test('discovery: a replica reaching its source through a proxy hangs under the source', async (t) => {
    const proxy = await tcpProxy(sb.instance('s2').port);
    t.after(async () => {
      await repoint('s4', sb.instance('s2').port);
      await proxy.close();
    });
    await repoint('s4', proxy.port);

    const d = await runDiscovery(t, { seeds: [addr('s1')] });
    await d.until(
      's4 hangs under s2',
      (rows) => allFour(rows) && sourceOf(rows, 's4') === addr('s2'),
    );
    const rows = await d.rows();
    assert.deepEqual([...rows.keys()].sort(), everyone(), 'the proxy is no instance of its own');
    assert.equal(rows.get(addr('s4'))?.cluster.depth, 2);
    assert.equal(rows.get(addr('s4'))?.replication?.sourceServerId, sb.instance('s2').serverId);
    const proxyKey = instanceKey('127.0.0.1', proxy.port);
    assert.equal(formatInstanceKey(d.discovery.canonicalKey(proxyKey)), addr('s2'));
  });

  void test('discovery: one server reached under two names is one instance', async (t) => {
    const d = await runDiscovery(t, { seeds: [addr('s1')] });
    await d.until('all four are stored and valid', allFour);
    const s2 = sb.instance('s2');
    const viaPrivate = await d.discovery.discover(instanceKey('127.0.0.1', s2.privatePort));
    assert.equal(formatInstanceKey(viaPrivate.key), addr('s2'));
    await d.until('the row count stays four', (rows) => rows.size === 4);
    assert.deepEqual([...(await d.rows()).keys()].sort(), everyone());
    const aliases = await d.backend.instanceAliases.all();
    assert.ok(
      aliases.some(
        (a) => a.alias.port === s2.privatePort && formatInstanceKey(a.canonical) === addr('s2'),
      ),
      'the private port is stored as an alias of the public address',
    );
  });

  void test('discovery: a killed replica is invalid within two polls, and valid after a restart', async (t) => {
    const d = await runDiscovery(t, { seeds: [addr('s1')] });
    await d.until('all four are stored and valid', allFour);
    const killedAt = Date.now();
    await sb.kill('s3');
    t.after(async () => {
      await sb.start('s3');
    });
    await d.until('s3 is stored as not answering', (rows) => {
      const s3 = rows.get(addr('s3'));
      return s3 !== undefined && !isLastCheckValid(s3);
    });
    const failed = d.events.find(
      (e) => e.type === 'probe-failed' && formatInstanceKey(e.key) === addr('s3'),
    );
    assert.ok(failed?.type === 'probe-failed');
    assert.ok(
      failed.failure.at - killedAt <= 2 * POLL_MS,
      `first failed check ${failed.failure.at - killedAt} ms after the kill`,
    );
    assert.equal(
      d.discovery.lastProbeError(instanceKey('127.0.0.1', sb.instance('s3').port))?.kind,
      'unreachable',
    );
    const rows = await d.rows();
    assert.ok(isLastCheckValid(rows.get(addr('s2')) as Instance), 's2 is still valid');

    await sb.start('s3');
    await d.until('s3 answers again', (r) => isLastCheckValid(r.get(addr('s3')) as Instance));
    assert.equal(
      d.discovery.lastProbeError(instanceKey('127.0.0.1', sb.instance('s3').port)),
      undefined,
    );
  });

  void test('discovery: forget stops polling a server and deletes its row', async (t) => {
    const d = await runDiscovery(t, { seeds: [addr('s1')] });
    await d.until('all four are stored and valid', allFour);
    const s3 = instanceKey('127.0.0.1', sb.instance('s3').port);
    assert.equal(await d.discovery.forget(s3), true);
    const rows = await d.rows();
    assert.equal(rows.get(addr('s3')), undefined);
    assert.equal(d.discovery.instance(s3), undefined);
    // s1 still lists s3 as its replica: the next crawl finds it again, as in orchestrator.
    await d.until('s3 is found again by the crawl', (r) => r.get(addr('s3')) !== undefined);
  });
});
