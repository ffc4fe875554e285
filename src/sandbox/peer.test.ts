import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { findPeerOwner, parseProcNetTcp } from './peer.js';

void test('peer: /proc/net/tcp lines decode to addresses, ports and inodes', () => {
  const text = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:5B9A 0100007F:8D2C 01 00000000:00000000 00:00000000 00000000     0        0 77123 1 0 20 4 30 10 -1',
    '   1: garbage',
  ].join('\n');
  assert.deepEqual(parseProcNetTcp(text), [
    {
      localAddress: '127.0.0.1',
      localPort: 0x5b9a,
      remoteAddress: '127.0.0.1',
      remotePort: 0x8d2c,
      inode: 77123,
    },
  ]);
});

void test('peer: the process holding the client end of a connection is found by pid', async () => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = connect(address.port, '127.0.0.1');
  const [socket] = await accepted;
  try {
    const self = [{ name: 'me', pid: process.pid }];
    assert.equal(await findPeerOwner(socket, self), 'me');
    assert.equal(await findPeerOwner(socket, [{ name: 'init', pid: 1 }]), null);
  } finally {
    client.destroy();
    socket.destroy();
    server.close();
  }
});
