import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { SqliteBackend } from '../../src/backend/index.js';
import { systemClock } from '../../src/common/clock.js';
import { loadConfig } from '../../src/config/index.js';
import { pollUntil, startTestSandbox } from '../../src/sandbox/index.js';
import { startService } from '../../src/service/index.js';
import { formatInstanceKey } from '../../src/topology/index.js';

// `startService` end to end: SQLite backend, discovery of a real `tree` sandbox seeded with
// its primary, the HTTP app with the inventory routes, and a clean stop that leaves every
// discovered row on disk.

void test('service: orc serve on SQLite discovers a sandbox, answers HTTP, stops cleanly', async (t) => {
  const sb = await startTestSandbox(t, { replicas: 3, shape: 'tree' });
  const dir = await mkdtemp(join(tmpdir(), 'orc-service-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const primary = sb.instance('s1');
  const file = join(dir, 'orc.yaml');
  await writeFile(
    file,
    [
      'http:',
      '  listenAddress: 127.0.0.1:0',
      'backend:',
      `  sqliteDataFile: ${join(dir, 'orc.db')}`,
      'topology:',
      '  user: orc',
      '  password: orc',
      'discovery:',
      `  seeds: ["127.0.0.1:${primary.port}"]`,
      '  instancePollSeconds: 1',
    ].join('\n'),
  );
  const { config } = await loadConfig({ files: [file], env: {}, cwd: dir });
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) },
  );

  const service = await startService({ config, logger });
  let stopped = false;
  t.after(async () => {
    if (!stopped) await service.stop();
  });
  const base = `http://${service.address}`;

  const health = await fetch(`${base}/api/health`);
  assert.equal(health.status, 200);
  const expected = sb
    .instances()
    .map((i) => `127.0.0.1:${i.port}`)
    .sort();
  const { backend } = service.context;
  await pollUntil(
    async () => {
      const rows = await backend.instances.all();
      return rows.length === 4 ? rows : undefined;
    },
    { description: 'the four sandbox servers are in the backend', timeoutMs: 20_000 },
  );
  const rows = await backend.instances.all();
  assert.deepEqual(rows.map((i) => formatInstanceKey(i.key)).sort(), expected);
  assert.ok(rows.every((i) => i.cluster.name === `127.0.0.1:${primary.port}`));

  const clusters = await fetch(`${base}/api/clusters`);
  assert.equal(clusters.status, 200);
  assert.deepEqual(await clusters.json(), [`127.0.0.1:${primary.port}`]);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(metrics, /orc_probe_duration_seconds_count\{outcome="ok"\} [1-9]/);
  assert.match(metrics, /orc_instances\{state="ok"\} 4/);
  const home = await fetch(`${base}/`);
  assert.equal(home.status, 200, 'the service serves the page the demo advertises at /');
  assert.match(await home.text(), /web UI is coming/);

  const messages = lines.map((l) => l['msg']);
  assert.ok(messages.includes('service started'));
  assert.equal(messages.filter((m) => m === 'instance discovered').length, 4);

  await service.stop();
  stopped = true;
  await assert.rejects(fetch(`${base}/api/health`), 'the listener is closed');
  const reopened = await SqliteBackend.open({ path: join(dir, 'orc.db'), clock: systemClock });
  try {
    assert.equal((await reopened.instances.all()).length, 4, 'rows were flushed before closing');
  } finally {
    await reopened.close();
  }
});
