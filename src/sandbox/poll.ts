import { systemClock, type Clock } from '../common/clock.js';
import { SandboxCode, SandboxError } from './errors.js';

/**
 * Polls `probe` until it returns something other than undefined, or throws SANDBOX_TIMEOUT
 * quoting `description` and the last value seen by `describeLast` (so a failing wait says what
 * the world looked like). For tests and drills that wait for a condition instead of sleeping.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  options: {
    description: string;
    timeoutMs?: number;
    intervalMs?: number;
    clock?: Clock;
    describeLast?: () => string;
  },
): Promise<T> {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = clock.monotonic() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (clock.monotonic() > deadline) {
      const last = options.describeLast?.();
      throw new SandboxError(
        SandboxCode.Timeout,
        `timed out after ${timeoutMs} ms waiting until ${options.description}` +
          (last ? `; last seen: ${last}` : ''),
      );
    }
    await clock.sleep(options.intervalMs ?? 50);
  }
}
