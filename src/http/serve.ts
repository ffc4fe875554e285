/**
 * Starts the HTTP listener from orchestrator's `ListenAddress` / `ListenSocket` settings.
 *
 * `ListenAddress` is Go's `host:port`: `127.0.0.1:3000`, `[::1]:3000`, `orc.example:3000`, or
 * `:3000`, which in orchestrator (and here) means every IPv4 interface (`0.0.0.0`; write
 * `[::]:3000` for IPv6 as well). orc's own default, when no address is configured at all, is
 * the loopback `127.0.0.1:3000`. A non-empty `ListenSocket` wins: orc then listens on that unix
 * socket only, as orchestrator does. The socket file must not exist yet.
 */
import { OrcError } from '../common/errors.js';
import type { OrcApp } from './types.js';

/** Where orc listens when nothing is configured. */
export const DEFAULT_LISTEN_ADDRESS = '127.0.0.1:3000';

/** A parsed `ListenAddress`. */
export interface TcpListenTarget {
  host: string;
  port: number;
}

/** Where the server ended up listening; `port` is the real one when 0 was asked. */
export type BoundAddress =
  | { kind: 'tcp'; host: string; port: number; address: string }
  | { kind: 'unix'; path: string; address: string };

/** Options of `startServer`. */
export interface StartServerOptions {
  app: OrcApp;
  /** `ListenAddress`; DEFAULT_LISTEN_ADDRESS when absent or empty. */
  listenAddress?: string;
  /** `ListenSocket`; when non-empty, TCP is not used. */
  listenSocket?: string;
}

/**
 * Parses Go's `host:port` form. Throws OrcError `INVALID_LISTEN_ADDRESS` when the port is
 * missing or not in 0–65535, or an IPv6 host lacks its brackets.
 */
export function parseListenAddress(raw: string): TcpListenTarget {
  const text = raw.trim();
  const invalid = (why: string): OrcError =>
    new OrcError('INVALID_LISTEN_ADDRESS', `cannot listen on "${raw}": ${why}`);

  let host: string;
  let portText: string;
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2] ?? '';
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0) throw invalid('expected host:port or :port');
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host.includes(':')) throw invalid('write an IPv6 host in brackets, as [::1]:3000');
  }

  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw invalid(`port "${portText}" is not a number from 0 to 65535`);
  }
  return { host: host === '' ? '0.0.0.0' : host, port: Number(portText) };
}

/**
 * Makes the app ready and listens; resolves with the bound address once connections are
 * accepted. Stop with `app.close()`, which also removes a unix socket file fastify created.
 */
export async function startServer(options: StartServerOptions): Promise<BoundAddress> {
  const { app } = options;
  const socket = options.listenSocket ?? '';

  if (socket !== '') {
    await app.listen({ path: socket });
    return { kind: 'unix', path: socket, address: socket };
  }

  const raw = options.listenAddress ?? '';
  const target = parseListenAddress(raw === '' ? DEFAULT_LISTEN_ADDRESS : raw);
  await app.listen({ host: target.host, port: target.port });

  const bound = app.server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : target.port;
  const host = typeof bound === 'object' && bound !== null ? bound.address : target.host;
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return { kind: 'tcp', host, port, address };
}
