import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasCode } from '../common/errors.js';
import { parseListenAddress, startServer } from './serve.js';
import { testApp } from './testing.js';

void test('serve: ListenAddress is parsed as Go host:port', () => {
  const cases: [string, { host: string; port: number }][] = [
    [':3000', { host: '0.0.0.0', port: 3000 }],
    ['127.0.0.1:3000', { host: '127.0.0.1', port: 3000 }],
    ['localhost:8080', { host: 'localhost', port: 8080 }],
    ['[::1]:3000', { host: '::1', port: 3000 }],
    ['[::]:3000', { host: '::', port: 3000 }],
    ['127.0.0.1:0', { host: '127.0.0.1', port: 0 }],
    [' :3000 ', { host: '0.0.0.0', port: 3000 }],
  ];
  for (const [raw, target] of cases) assert.deepEqual(parseListenAddress(raw), target, raw);
});

void test('serve: malformed ListenAddress values are refused with INVALID_LISTEN_ADDRESS', () => {
  for (const raw of ['3000', '127.0.0.1', '127.0.0.1:', ':65536', ':http', '::1:3000', '']) {
    assert.throws(
      () => parseListenAddress(raw),
      (err: unknown) => hasCode(err, 'INVALID_LISTEN_ADDRESS'),
      raw,
    );
  }
});

function get(options: { socketPath?: string; port?: number; path: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', ...options }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(`${res.statusCode} ${body}`));
    });
    req.on('error', reject);
    req.end();
  });
}

void test('serve: listens on a loopback TCP address and reports the bound port', async () => {
  const { app } = testApp();
  const bound = await startServer({ app, listenAddress: '127.0.0.1:0' });
  try {
    assert.equal(bound.kind, 'tcp');
    assert.ok(bound.kind === 'tcp' && bound.port > 0);
    assert.equal(bound.address, `127.0.0.1:${bound.kind === 'tcp' ? bound.port : 0}`);
    const port = bound.kind === 'tcp' ? bound.port : 0;
    assert.equal(await get({ port, path: '/api/_ping' }), '200 "OK"');
  } finally {
    await app.close();
  }
});

void test('serve: ListenSocket wins over ListenAddress and serves on a unix socket', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'orc-sock-'));
  const socketPath = join(dir, 'orc.sock');
  const { app } = testApp();
  try {
    const bound = await startServer({
      app,
      listenAddress: '127.0.0.1:0',
      listenSocket: socketPath,
    });
    assert.deepEqual(bound, { kind: 'unix', path: socketPath, address: socketPath });
    assert.equal(await get({ socketPath, path: '/api/leader-check' }), '200 "OK"');
    await app.close();
    assert.equal(existsSync(socketPath), false, 'closing removes the socket file');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
