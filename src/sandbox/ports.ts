import { SandboxCode, SandboxError } from './errors.js';

/**
 * The sandbox's port plan. Instance i (0-based, s1 is i = 0) has:
 *
 * - a public port, `base + i`: the sandbox's proxy listens there; it is the server's address
 *   for everyone (`report_port`, orc, users, the replicas' `MASTER_PORT`);
 * - a private port, `base + PRIVATE_PORT_OFFSET + i`: mariadbd's own `port`, reached only by the
 *   proxy and by the sandbox's own administration (status, verify-writes).
 *
 * So the plan occupies `base … base+n-1` and `base+100 … base+100+n-1`.
 */
export const PRIVATE_PORT_OFFSET = 100;

/** At most this many instances, so public and private ranges never overlap. */
export const MAX_INSTANCES = PRIVATE_PORT_OFFSET;

/** The lowest base port accepted: below it are the privileged and well-known ports. */
export const MIN_BASE_PORT = 1024;

/** The default base port of `orc sandbox up`. */
export const DEFAULT_BASE_PORT = 23306;

export interface InstancePorts {
  readonly publicPort: number;
  readonly privatePort: number;
}

/** The ports of `count` instances from `basePort`; throws SANDBOX_BAD_OPTIONS when impossible. */
export function planPorts(basePort: number, count: number): InstancePorts[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_INSTANCES) {
    throw new SandboxError(
      SandboxCode.BadOptions,
      `cannot plan ${count} instances: a sandbox has between 1 and ${MAX_INSTANCES}`,
    );
  }
  const highest = basePort + PRIVATE_PORT_OFFSET + count - 1;
  if (!Number.isInteger(basePort) || basePort < MIN_BASE_PORT || highest > 65535) {
    throw new SandboxError(
      SandboxCode.BadOptions,
      `base port ${basePort} cannot hold ${count} instances: it must be an integer from ` +
        `${MIN_BASE_PORT} to ${65535 - PRIVATE_PORT_OFFSET - count + 1}`,
    );
  }
  return Array.from({ length: count }, (_, i) => ({
    publicPort: basePort + i,
    privatePort: basePort + PRIVATE_PORT_OFFSET + i,
  }));
}

/** Every port a plan listens on, each with what it is for (for "port in use" messages). */
export function portPurposes(
  names: readonly string[],
  ports: readonly InstancePorts[],
): { port: number; purpose: string }[] {
  return ports.flatMap((p, i) => [
    { port: p.publicPort, purpose: `public address of ${names[i] ?? `instance ${i + 1}`}` },
    { port: p.privatePort, purpose: `private port of ${names[i] ?? `instance ${i + 1}`}` },
  ]);
}
