import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { envelope, failure, startFakeApi, type FakeApi } from './testing.js';

const orcBin = fileURLToPath(new URL('../../../bin/orc.js', import.meta.url));
let api: FakeApi;
let downPort = 0;

before(async () => {
  api = await startFakeApi({
    'clusters-info': {
      json: [
        { ClusterName: 'db1:3306', ClusterAlias: 'main' },
        { ClusterName: 'db7:3306', ClusterAlias: 'other' },
      ],
    },
    'topology/db2:3306': envelope('db1:3306 [0s,ok,10.11.6,rw,ROW,>>]\n+ db2:3306 [0s,ok]'),
    'instance/db9/3306': failure('Cannot read instance: db9:3306'),
  });
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  downPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
after(async () => api.close());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/orc.js ...args` with only PATH, HOME and the given variables. */
function orc(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [orcBin, ...args], {
      env: { ...base, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

void test('orc binary: client commands print to stdout and exit by outcome', async () => {
  const down = `http://127.0.0.1:${downPort}`;
  const [clusters, topology, missing, unknown, unreachable, refused, errant] = await Promise.all([
    orc(['-c', 'clusters', '--api', api.url]),
    orc(['topology', '-i', 'db2:3306'], { ORCHESTRATOR_API: `${api.url}/api` }),
    orc(['-c', 'which-master', '--api', api.url]),
    orc(['-c', 'topolgy', '-i', 'db2']),
    orc(['clusters', '--api', down]),
    orc(['-c', 'clusters'], { ORC_API: `${down} http://127.0.0.1:${downPort}/api/` }),
    orc(['which-master', '-i', 'db9', '--api', api.url]),
  ]);

  assert.deepEqual(clusters, { code: 0, stdout: 'db1:3306\ndb7:3306\n', stderr: '' });
  assert.deepEqual(topology, {
    code: 0,
    stdout: 'db1:3306 [0s,ok,10.11.6,rw,ROW,>>]\n+ db2:3306 [0s,ok]\n',
    stderr: '',
  });

  assert.equal(missing.code, 2);
  assert.equal(missing.stdout, '');
  assert.equal(
    missing.stderr,
    'orc: which-master needs -i <host:port> (or set ORCHESTRATOR_INSTANCE)\n',
  );

  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "topolgy" \(did you mean "topology"\?\)/);

  assert.equal(unreachable.code, 1);
  assert.equal(
    unreachable.stderr,
    `orc: cannot reach the orc API at ${down}/api: connection refused; ` +
      'start it with `orc serve` or set --api/ORC_API\n',
  );
  assert.equal(refused.code, 1, 'the same URL twice is one URL');
  assert.match(refused.stderr, /cannot reach the orc API at http:\/\/127\.0\.0\.1:\d+\/api/);

  assert.deepEqual(errant, {
    code: 1,
    stdout: '',
    stderr: 'orc: Cannot read instance: db9:3306\n',
  });
});
