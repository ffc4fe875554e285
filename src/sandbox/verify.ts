import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SandboxCode, SandboxError } from './errors.js';
import { rows, WRITES_DATABASE, withRoot } from './sql.js';
import { checkTableName } from './write-load.js';

/**
 * The other half of the write drill: checks that every acknowledged id of a run is on a server.
 * Reads through the private port as root, so it is not affected by cut links.
 */
export interface VerifyResult {
  readonly run: string;
  readonly acked: number;
  readonly present: number;
  /** Acknowledged ids the server does not have: lost writes. */
  readonly missing: readonly number[];
  /** Rows of the run that were never acknowledged (writes whose outcome was in doubt). */
  readonly unacknowledged: number;
}

export async function verifyWrites(options: {
  privatePort: number;
  run: string;
  table?: string;
  acked: readonly number[];
}): Promise<VerifyResult> {
  const table = checkTableName(options.table ?? 'writes');
  const found = await withRoot(options.privatePort, async (conn) => {
    const result = await rows(conn, `SELECT id FROM ${WRITES_DATABASE}.${table} WHERE run = ?`, [
      options.run,
    ]);
    return new Set(result.map((r) => Number(r.id)));
  });
  const missing = options.acked.filter((id) => !found.has(id));
  const ackedSet = new Set(options.acked);
  return {
    run: options.run,
    acked: options.acked.length,
    present: options.acked.length - missing.length,
    missing,
    unacknowledged: [...found].filter((id) => !ackedSet.has(id)).length,
  };
}

export interface AckFile {
  readonly run: string;
  readonly table: string;
  readonly acked: number[];
}

/** Reads an ack file written by WriteLoad. */
export async function readAckFile(path: string): Promise<AckFile> {
  const text = await readFile(path, 'utf8');
  const header = /^# run=(\S+) table=(\S+)$/m.exec(text);
  if (!header?.[1] || !header[2]) {
    throw new SandboxError(SandboxCode.NotFound, `${path} is not a write-load ack file`);
  }
  const acked = text
    .split('\n')
    .filter((l) => /^\d+$/.test(l))
    .map(Number);
  return { run: header[1], table: header[2], acked };
}

/** The ack file of `run` in `writesDir`, or of the latest run when `run` is omitted. */
export async function findAckFile(writesDir: string, run?: string): Promise<string> {
  const names = (await readdir(writesDir).catch(() => [])).filter((n) => n.endsWith('.acked'));
  if (run) {
    if (names.includes(`${run}.acked`)) return join(writesDir, `${run}.acked`);
    const known = names.map((n) => n.slice(0, -'.acked'.length)).sort();
    throw new SandboxError(
      SandboxCode.NotFound,
      `write run "${run}" does not exist in ${writesDir}: ` +
        (known.length ? `existing runs are ${known.join(', ')}` : 'run `orc sandbox write` first'),
    );
  }
  const dated = await Promise.all(
    names.map(async (n) => ({ n, t: (await stat(join(writesDir, n))).mtimeMs })),
  );
  const latest = dated.sort((a, b) => b.t - a.t)[0];
  if (!latest) {
    throw new SandboxError(
      SandboxCode.NotFound,
      `no write-load runs in ${writesDir}: run \`orc sandbox write\` first`,
    );
  }
  return join(writesDir, latest.n);
}
