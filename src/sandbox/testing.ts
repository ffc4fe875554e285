import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reserveBasePort } from './free-ports.js';
import { Sandbox, type SandboxOptions } from './sandbox.js';

/** The part of node:test's TestContext (or SuiteContext) this helper needs. */
export interface CleanupContext {
  after(fn: () => Promise<void>): void;
}

/**
 * A sandbox for one test (or one `describe`): reserves a free port range, makes a temp dir,
 * brings the sandbox up, and registers the teardown with `t.after`, so the servers are stopped
 * by pid and the directory removed when the test ends, also when it fails. Servers that
 * survive a crashed test process are SIGKILLed by the process-exit safety net.
 */
export async function startTestSandbox(
  t: CleanupContext,
  options: Omit<SandboxOptions, 'dir' | 'basePort'> = {},
): Promise<Sandbox> {
  const reservation = await reserveBasePort({ instances: (options.replicas ?? 2) + 1 });
  const dir = await mkdtemp(join(tmpdir(), 'orc-sandbox-test-'));
  let sandbox: Sandbox;
  try {
    sandbox = await Sandbox.up({ ...options, dir, basePort: reservation.basePort });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    await reservation.release();
    throw err;
  }
  t.after(async () => {
    try {
      await sandbox.down({ purge: true });
    } finally {
      await reservation.release();
    }
  });
  return sandbox;
}
