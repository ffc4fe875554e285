import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import type { LinkMode } from './flow.js';
import { pollUntil } from './poll.js';
import { isPortFree } from './port-check.js';
import { TcpProxy } from './proxy.js';

/** An echo server and a proxy in front of it whose origins are assigned by the test. */
async function setup(t: TestContext): Promise<{
  proxy: TcpProxy;
  modes: Map<string, LinkMode>;
  open: (origin: string) => Promise<Socket>;
}> {
  const echo: Server = createServer((s) => {
    s.on('error', () => undefined);
    s.pipe(s);
  });
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const targetPort = (echo.address() as AddressInfo).port;
  const listenPort = await freePort();
  const origins = new Map<number, string>();
  const modes = new Map<string, LinkMode>();
  const proxy = new TcpProxy({
    label: 'test',
    listenPort,
    targetPort,
    identify: async (socket) => {
      while (!origins.has(socket.remotePort ?? -1)) await new Promise(setImmediate);
      return origins.get(socket.remotePort ?? -1) as string;
    },
    modeFor: (origin) => modes.get(origin) ?? 'pass',
  });
  await proxy.listen();
  const sockets: Socket[] = [];
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await proxy.close();
    echo.close();
  });
  const open = async (origin: string): Promise<Socket> => {
    const socket = connect(listenPort, '127.0.0.1');
    socket.on('error', () => undefined);
    sockets.push(socket);
    await once(socket, 'connect');
    origins.set(socket.localPort as number, origin);
    return socket;
  };
  return { proxy, modes, open };
}

async function freePort(): Promise<number> {
  for (let port = 41_000 + Math.floor(Math.random() * 2000); ; port++) {
    if (await isPortFree(port)) return port;
  }
}

async function roundTrip(socket: Socket, text: string): Promise<string> {
  socket.write(text);
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  return chunk.toString();
}

function closed(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let code = 'FIN';
    socket.once('error', (err: NodeJS.ErrnoException) => (code = err.code ?? 'error'));
    socket.once('close', () => resolve(code));
  });
}

void test('proxy: pass carries bytes both ways', async (t) => {
  const { open } = await setup(t);
  assert.equal(await roundTrip(await open('orc'), 'hello'), 'hello');
});

void test('proxy: reset resets the cut origin and leaves other origins alone', async (t) => {
  const { proxy, modes, open } = await setup(t);
  const cut = await open('s2');
  const other = await open('orc');
  assert.equal(await roundTrip(cut, 'a'), 'a');
  assert.equal(await roundTrip(other, 'b'), 'b');

  const cutClosed = closed(cut);
  modes.set('s2', 'reset');
  proxy.refresh();
  assert.equal(await cutClosed, 'ECONNRESET');
  assert.equal(await roundTrip(other, 'still'), 'still');

  const fresh = await open('s2');
  assert.equal(await closed(fresh), 'ECONNRESET');
});

void test('proxy: blackhole drops bytes silently; heal resets flows that lost bytes', async (t) => {
  const { proxy, modes, open } = await setup(t);
  const flow = await open('s3');
  assert.equal(await roundTrip(flow, 'x'), 'x');
  modes.set('s3', 'blackhole');
  proxy.refresh();

  let echoed = '';
  flow.on('data', (c: Buffer) => (echoed += c.toString()));
  flow.write('lost');
  await pollUntil(() => (proxy.droppedBytes() >= 4 ? true : undefined), {
    description: 'the proxy dropped the 4 bytes',
    timeoutMs: 5000,
    intervalMs: 5,
  });
  const healedClosed = closed(flow);
  modes.delete('s3');
  proxy.refresh();
  assert.equal(await healedClosed, 'ECONNRESET');
  assert.equal(echoed, '');
});

void test('proxy: a connection held in a blackhole resumes on heal when it lost nothing', async (t) => {
  const { proxy, modes, open } = await setup(t);
  modes.set('orc', 'blackhole');
  const held = await open('orc');
  modes.delete('orc');
  proxy.refresh();
  assert.equal(await roundTrip(held, 'late'), 'late');
});

void test('proxy: unlisten refuses new connections and keeps open flows', async (t) => {
  const { proxy, open } = await setup(t);
  const flow = await open('orc');
  await proxy.unlisten();
  assert.equal(await roundTrip(flow, 'alive'), 'alive');
  await assert.rejects(open('orc'), (err: NodeJS.ErrnoException) => err.code === 'ECONNREFUSED');
  await proxy.listen();
  assert.equal(await roundTrip(await open('orc'), 'back'), 'back');
});
