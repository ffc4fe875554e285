import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPortFree } from './port-check.js';
import { MAX_INSTANCES, PRIVATE_PORT_OFFSET } from './ports.js';
import { isProcessAlive } from './proc.js';

/**
 * Picks a base port whose whole plan is free and reserves it for this process, so test files
 * running in parallel (and other sandboxes) get disjoint ranges. A reservation is a lock file
 * holding the pid; a lock whose pid is gone is stale and taken over.
 *
 * Bases are multiples of 2 × PRIVATE_PORT_OFFSET in [from, to), below Linux's ephemeral range
 * (32768+), so outgoing connections never sit on a planned port.
 */
export interface PortReservation {
  readonly basePort: number;
  /** Removes the lock; idempotent. */
  release(): Promise<void>;
}

export async function reserveBasePort(
  options: { instances?: number; from?: number; to?: number; lockDir?: string } = {},
): Promise<PortReservation> {
  const instances = options.instances ?? MAX_INSTANCES;
  const step = 2 * PRIVATE_PORT_OFFSET;
  const from = Math.ceil((options.from ?? 20_000) / step) * step;
  const to = options.to ?? 32_600;
  const lockDir = options.lockDir ?? join(tmpdir(), 'orc-sandbox-ports');
  await mkdir(lockDir, { recursive: true });

  const bases: number[] = [];
  for (let base = from; base + PRIVATE_PORT_OFFSET + instances <= to; base += step)
    bases.push(base);
  shuffle(bases);
  for (const base of bases) {
    const lock = join(lockDir, `${base}.lock`);
    if (!(await takeLock(lock))) continue;
    if (await planFree(base, instances)) {
      let released = false;
      return {
        basePort: base,
        release: async () => {
          if (released) return;
          released = true;
          await rm(lock, { force: true });
        },
      };
    }
    await rm(lock, { force: true });
  }
  throw new Error(`no free sandbox port range of ${instances} instances in [${from}, ${to})`);
}

async function planFree(base: number, instances: number): Promise<boolean> {
  const ports = Array.from({ length: instances }, (_, i) => [
    base + i,
    base + PRIVATE_PORT_OFFSET + i,
  ]).flat();
  const free = await Promise.all(ports.map(isPortFree));
  return free.every(Boolean);
}

/** Creates `path` holding our pid, atomically (link of a complete file), or returns false. */
async function takeLock(path: string): Promise<boolean> {
  const scratch = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(scratch, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await link(scratch, path);
        return true;
      } catch {
        const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
        if (Number.isInteger(holder) && holder > 0 && isProcessAlive(holder)) return false;
        await rm(path, { force: true });
      }
    }
    return false;
  } finally {
    await rm(scratch, { force: true });
  }
}

function shuffle(values: number[]): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [values[i], values[j]] = [values[j] as number, values[i] as number];
  }
}
