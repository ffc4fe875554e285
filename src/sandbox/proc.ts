import { readdirSync, readFileSync } from 'node:fs';
import { systemClock, type Clock } from '../common/clock.js';

/**
 * Process checks by pid through /proc, for processes this Node process did not spawn (a CLI
 * talking about a supervisor's servers). A zombie counts as gone: it has exited and only waits
 * for its parent, or PID 1 here, to reap it (that can take 1.5–2 s: the zombie trap).
 */

/** True while `pid` exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // Fields after the command name, which is in parentheses and may contain spaces.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** The command line of `pid` as its arguments, or null when it is gone. */
export function commandLine(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

/** Resolves true once every pid is gone, false when `timeoutMs` passes first. */
export async function waitForExit(
  pids: readonly number[],
  timeoutMs: number,
  clock: Clock = systemClock,
): Promise<boolean> {
  const deadline = clock.monotonic() + timeoutMs;
  for (;;) {
    if (pids.every((pid) => !isProcessAlive(pid))) return true;
    if (clock.monotonic() > deadline) return false;
    await clock.sleep(25);
  }
}

/** True when `pid` is alive and its command line contains every one of `marks`. */
export function isOurs(pid: number, marks: readonly string[]): boolean {
  const args = commandLine(pid);
  return (
    args !== null && isProcessAlive(pid) && marks.every((m) => args.some((a) => a.includes(m)))
  );
}

/**
 * Sends `signal` to `pid` only when it is ours (see isOurs), so a pid reused by an unrelated
 * process is never signalled. Returns whether a signal was sent.
 */
export function signalIfOurs(
  pid: number,
  marks: readonly string[],
  signal: NodeJS.Signals,
): boolean {
  if (!isOurs(pid, marks)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The live children of `parent`, read from /proc (the servers a supervisor spawned). */
export function childPids(parent: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      return ppid === parent && isProcessAlive(Number(name)) ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}
