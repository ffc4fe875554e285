import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describeError } from '../common/errors.js';
import { SandboxCode, SandboxError } from './errors.js';

/**
 * The MariaDB binaries and the template datadir. `mariadb-install-db` takes 1–2.6 s; copying
 * its result takes 0.06–0.35 s, so the sandbox makes one template per MariaDB version and
 * copies it for every instance. The template is cached under the OS temp dir and created
 * atomically (install into a private temp dir, then rename), so concurrent test files and
 * sandboxes share it safely.
 */

const run = promisify(execFile);

/** Bump when the template's contents or install flags change, so stale caches are ignored. */
const TEMPLATE_FORMAT = 1;
const COMPLETE_MARKER = '.orc-template-complete';

export interface MariadbBinaries {
  readonly mariadbd: string;
  readonly installDb: string;
  /** `10.11.19-MariaDB-0+deb12u1`. */
  readonly version: string;
}

const searchDirs = ['/usr/sbin', '/usr/local/sbin', '/usr/local/mysql/bin', '/usr/bin'];

/**
 * Finds mariadbd (`options.mariadbd`, else PATH and the sbin directories) and
 * mariadb-install-db; throws MARIADB_MISSING saying where it looked and how to install them.
 */
export async function findMariadb(options: { mariadbd?: string } = {}): Promise<MariadbBinaries> {
  const dirs = [...new Set([...(process.env.PATH ?? '').split(delimiter), ...searchDirs])].filter(
    Boolean,
  );
  const where = `looked in ${dirs.join(', ')}`;
  const mariadbd = options.mariadbd ?? (await findExecutable('mariadbd', dirs));
  if (!mariadbd || !(await isExecutable(mariadbd))) {
    throw missing(
      options.mariadbd
        ? `mariadbd not found at ${options.mariadbd}`
        : `mariadbd not found (${where})`,
    );
  }
  const installDb = await findExecutable('mariadb-install-db', dirs);
  if (!installDb) throw missing(`mariadb-install-db not found (${where})`);
  let version: string | undefined;
  try {
    version = /Ver\s+(\S+)/.exec((await run(mariadbd, ['--version'])).stdout)?.[1];
  } catch (err) {
    throw missing(`${mariadbd} --version failed (${describeError(err)})`);
  }
  if (!version) throw missing(`${mariadbd} --version printed no version`);
  return { mariadbd, installDb, version };
}

function missing(what: string): SandboxError {
  return new SandboxError(
    SandboxCode.MariadbMissing,
    `${what}: the sandbox runs real MariaDB servers; install them with ` +
      '`apt-get install mariadb-server`',
  );
}

async function findExecutable(name: string, dirs: readonly string[]): Promise<string | null> {
  for (const dir of dirs) {
    const path = join(dir, name);
    if (await isExecutable(path)) return path;
  }
  return null;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Returns the path of a complete template datadir for `binaries.version`, creating it when no
 * complete one is cached. Safe to call concurrently from several processes.
 */
export async function ensureTemplate(
  binaries: MariadbBinaries,
  options: { cacheDir?: string } = {},
): Promise<string> {
  const root = options.cacheDir ?? join(tmpdir(), 'orc-sandbox-cache');
  await mkdir(root, { recursive: true });
  const safeVersion = binaries.version.replace(/[^A-Za-z0-9.+-]/g, '_');
  const target = join(root, `replication-template-${safeVersion}-f${TEMPLATE_FORMAT}`);
  if (await isComplete(target)) return target;

  const scratch = await mkdtemp(`${target}.tmp-`);
  try {
    await installDatadir(binaries, join(scratch, 'data'));
    await writeFile(join(scratch, 'data', COMPLETE_MARKER), `${binaries.version}\n`);
    await rename(join(scratch, 'data'), target);
  } catch (err) {
    // Another process may have won the race: its template is as good as ours.
    if (!(await isComplete(target))) throw err;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return target;
}

async function isComplete(dir: string): Promise<boolean> {
  try {
    await stat(join(dir, COMPLETE_MARKER));
    return true;
  } catch {
    return false;
  }
}

async function installDatadir(binaries: MariadbBinaries, datadir: string): Promise<void> {
  const args = [
    '--no-defaults',
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--user=root',
    `--datadir=${datadir}`,
    '--innodb-log-file-size=16M',
    '--innodb-buffer-pool-size=16M',
  ];
  try {
    await run(binaries.installDb, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const output = err instanceof Error && 'stderr' in err ? String(err.stderr) : '';
    throw new SandboxError(
      SandboxCode.StartFailed,
      `mariadb-install-db failed for ${datadir}: ${lastLines(output, 8) || String(err)}`,
      { cause: err },
    );
  }
}

/**
 * Copies the template into `datadir` (which must not exist yet). `cp -a` (coreutils) copies
 * the 34 MB in ~0.1 s; node's fs.cp took 4–5 times as long here.
 */
export async function copyTemplate(template: string, datadir: string): Promise<void> {
  try {
    await mkdir(dirname(datadir), { recursive: true });
    await run('cp', ['-a', '--no-target-directory', template, datadir]);
  } catch (err) {
    throw new SandboxError(
      SandboxCode.StartFailed,
      `cannot copy the template datadir ${template} to ${datadir}: ${describeError(err)}`,
      { cause: err },
    );
  }
  await rm(join(datadir, COMPLETE_MARKER), { force: true });
}

/** The last `n` non-empty lines of `text`, joined with " | ", for one-line error messages. */
export function lastLines(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .join(' | ');
}

/** The last `n` lines of a log file, or '' when it cannot be read. */
export async function tailFile(path: string, n: number): Promise<string> {
  try {
    return lastLines(await readFile(path, 'utf8'), n);
  } catch {
    return '';
  }
}
