import { createServer } from 'node:net';
import { SandboxCode, SandboxError } from './errors.js';
import { SANDBOX_HOST } from './names.js';

/** True when nothing listens on 127.0.0.1:`port` (checked by binding it for a moment). */
export async function isPortFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen({ host: SANDBOX_HOST, port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/**
 * Checks every port before anything starts; throws SANDBOX_PORT_IN_USE naming the first taken
 * port and what the sandbox wanted it for.
 */
export async function assertPortsFree(
  ports: readonly { port: number; purpose: string }[],
): Promise<void> {
  const results = await Promise.all(
    ports.map(async (p) => ({ ...p, free: await isPortFree(p.port) })),
  );
  const taken = results.filter((r) => !r.free);
  const first = taken[0];
  if (first) {
    const more = taken.length > 1 ? ` (and ${taken.length - 1} more of its ports)` : '';
    throw new SandboxError(
      SandboxCode.PortInUse,
      `port ${first.port} (${first.purpose}) is in use${more}: stop what holds it or choose ` +
        'another range with --base-port',
      { context: { port: first.port } },
    );
  }
}
