import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { access, constants, cp, mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { GaleraCode, galeraError } from './galera-errors.js';
import type { PlannedSocket } from './galera-plan.js';

/**
 * Process and file-system helpers of the Galera sandbox: spawning `mariadbd` as a direct child
 * (so its `exit` event is the real end of the process, see mariadb-sandbox.md §2), the template
 * datadir, ownership for rsync SST, and `--wsrep-recover`.
 *
 * TODO(sandbox): share the template cache and port check with the general sandbox modules once
 * they land; these copies are kept small on purpose.
 */

const run = promisify(execFile);

/** How a child ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A spawned child whose end is observed through its `exit` event. */
export interface ChildHandle {
  readonly pid: number;
  readonly process: ChildProcess;
  /** Resolves once, when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** False from the moment the `exit` event arrived. */
  alive(): boolean;
}

/**
 * The children one cluster started. `killAllSync` is the last-resort safety net run from
 * `process.on('exit')`: it may only do synchronous work, so it sends SIGKILL by pid and returns.
 */
export class ChildSet {
  private readonly live = new Set<ChildHandle>();

  add(handle: ChildHandle): void {
    this.live.add(handle);
    void handle.exited.then(() => this.live.delete(handle));
  }

  killAllSync(): void {
    for (const handle of this.live) {
      try {
        process.kill(handle.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/**
 * How `mariadbd` is run. With util-linux `setpriv` the server gets SIGKILL from the kernel as
 * soon as this Node process dies, however it dies (PR_SET_PDEATHSIG; `process.on('exit')`
 * does not run on a fatal signal). setpriv also switches to `runAs` itself, before setting the
 * death signal, because a later credential change inside mariadbd would clear it. setpriv
 * execs the server, so the child's pid is the server's pid.
 */
export interface Launcher {
  readonly command: string;
  readonly prefix: readonly string[];
}

/** Prefers setpriv (see Launcher); falls back to running `mariadbd` directly. */
export async function makeLauncher(mariadbd: string, runAs: string | undefined): Promise<Launcher> {
  for (const setpriv of ['/usr/bin/setpriv', '/bin/setpriv']) {
    try {
      await access(setpriv, constants.X_OK);
    } catch {
      continue;
    }
    const user =
      runAs === undefined ? [] : [`--reuid=${runAs}`, `--regid=${runAs}`, '--init-groups'];
    return { command: setpriv, prefix: [...user, '--pdeathsig', 'KILL', '--', mariadbd] };
  }
  return { command: mariadbd, prefix: [] };
}

/** Spawns the launcher's program with stdout and stderr appended to `logPath`. */
export function spawnChild(launcher: Launcher, args: string[], logPath: string): ChildHandle {
  const fd = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(launcher.command, [...launcher.prefix, ...args], { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  let running = true;
  const exited = new Promise<ExitInfo>((resolveExit) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolveExit({ code, signal });
    });
    child.once('error', () => {
      running = false;
      resolveExit({ code: null, signal: null });
    });
  });
  if (child.pid === undefined) {
    throw galeraError(
      GaleraCode.StartFailed,
      `cannot start ${launcher.command}: no process was created`,
    );
  }
  return { pid: child.pid, process: child, exited, alive: () => running };
}

/** Sends `signal` and waits for the exit event; escalates to SIGKILL after `graceMs`. */
export async function stopChild(
  handle: ChildHandle,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<ExitInfo> {
  if (!handle.alive()) return handle.exited;
  handle.process.kill(signal);
  const timer = setTimeout(() => {
    if (handle.alive()) handle.process.kill('SIGKILL');
  }, graceMs);
  try {
    return await handle.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Throws SANDBOX_PORT_IN_USE naming the first planned socket that cannot be bound. */
export async function checkPortsFree(sockets: readonly PlannedSocket[]): Promise<void> {
  for (const s of sockets) {
    const err = await new Promise<NodeJS.ErrnoException | undefined>((done) => {
      const server = createServer();
      server.once('error', (e: NodeJS.ErrnoException) => done(e));
      server.listen(s.port, s.host, () => server.close(() => done(undefined)));
    });
    if (err !== undefined) {
      const code = err.code === 'EADDRINUSE' ? GaleraCode.PortInUse : GaleraCode.PortUnusable;
      throw galeraError(
        code,
        `cannot start Galera sandbox: port ${s.host}:${s.port} (${s.purpose}) is not free: ${err.code ?? err.message}`,
        { cause: err, context: { instance: `${s.host}:${s.port}` } },
      );
    }
  }
}

/**
 * Returns a ready template datadir under `cacheDir`, creating it once per server version with
 * `mariadb-install-db` into a temporary directory renamed into place (atomic: concurrent
 * callers either find the finished template or lose the rename and discard their copy).
 */
export async function ensureTemplate(options: {
  cacheDir: string;
  mariadbd: string;
  installDb: string;
}): Promise<string> {
  const { stdout } = await run(options.mariadbd, ['--version']).catch((err: unknown) => {
    throw galeraError(GaleraCode.MariadbMissing, `cannot run ${options.mariadbd} --version`, {
      cause: err,
    });
  });
  const version = /Ver\s+(\S+)/.exec(stdout)?.[1] ?? 'unknown';
  const final = join(options.cacheDir, `galera-template-${version.replace(/[^\w.-]/g, '_')}`);
  if (await exists(final)) return final;

  await mkdir(options.cacheDir, { recursive: true });
  const tmp = `${final}.tmp-${randomUUID()}`;
  const userArgs = isRoot() ? ['--user=root'] : [];
  try {
    await run(options.installDb, [
      '--no-defaults',
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...userArgs,
      `--datadir=${tmp}`,
      '--innodb-log-file-size=16M',
      '--innodb-buffer-pool-size=16M',
    ]);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    const raw = (err as { stderr?: unknown }).stderr;
    const stderr = typeof raw === 'string' ? raw.trim() : '';
    throw galeraError(
      missing ? GaleraCode.MariadbMissing : GaleraCode.TemplateFailed,
      `cannot create template datadir ${final} with ${options.installDb}: ${stderr.split('\n').slice(-3).join(' | ')}`,
      { cause: err },
    );
  }
  try {
    await rename(tmp, final);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    if (!(await exists(final))) throw err;
  }
  return final;
}

/** Copies the template into `dataDir` (which must not exist yet). */
export async function copyTemplate(template: string, dataDir: string): Promise<void> {
  await cp(template, dataDir, { recursive: true, errorOnExist: true, force: false });
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * When running as root, rsync SST works only with the servers running as `mysql` (see
 * mariadb-sandbox.md §4), and then every directory above the sandbox must let mysql through,
 * or SST fails deep inside the donor's log. Checks that up front; returns the user to run the
 * servers as (`mysql` under root, undefined otherwise: they run as the caller).
 */
export async function checkRunAs(dir: string): Promise<string | undefined> {
  if (!isRoot()) return undefined;
  const ids = await mysqlIds();
  for (let p = dirname(resolve(dir)); ; p = dirname(p)) {
    const st = await stat(p);
    const canPass =
      st.mode & 0o001 ||
      (st.uid === ids.uid && st.mode & 0o100) ||
      (st.gid === ids.gid && st.mode & 0o010);
    if (!canPass) {
      throw galeraError(
        GaleraCode.DirNotTraversable,
        `cannot use ${dir} for a Galera sandbox: user mysql cannot traverse ${p} ` +
          `(mode ${(st.mode & 0o777).toString(8)}), and rsync SST runs as mysql; ` +
          `use a directory whose parents are all world-traversable (chmod o+x ${p})`,
        { context: { path: p } },
      );
    }
    if (p === dirname(p)) return 'mysql';
  }
}

/** Hands `dir` and everything in it to `user` (a no-op when undefined). */
export async function handOver(dir: string, user: string | undefined): Promise<void> {
  if (user !== undefined) await run('chown', ['-R', `${user}:${user}`, dir]);
}

async function mysqlIds(): Promise<{ uid: number; gid: number }> {
  try {
    const uid = Number((await run('id', ['-u', 'mysql'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'mysql'])).stdout.trim());
    return { uid, gid };
  } catch (err) {
    throw galeraError(
      GaleraCode.NoMysqlUser,
      'cannot run Galera sandbox as root: there is no "mysql" user (install mariadb-server)',
      { cause: err },
    );
  }
}

/** The `seqno:` of grastate.dat; -1 after a crash, undefined when the file is missing. */
export async function readGrastateSeqno(dataDir: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, 'grastate.dat'), 'utf8');
  } catch {
    return undefined;
  }
  const m = /^seqno:\s+(-?\d+)/m.exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/**
 * Runs `mariadbd --wsrep-recover` and returns the recovered `uuid:seqno`, or undefined when
 * the server knows no position (then a plain start falls back to SST).
 */
export async function recoverPosition(options: {
  launcher: Launcher;
  cnfPath: string;
  logPath: string;
  children: ChildSet;
}): Promise<string | undefined> {
  // mariadbd writes the log as mysql: a file left by root would be unwritable for it.
  await rm(options.logPath, { force: true });
  const args = [
    `--defaults-file=${options.cnfPath}`,
    '--wsrep-recover',
    `--log-error=${options.logPath}`,
  ];
  const handle = spawnChild(options.launcher, args, `${options.logPath}.out`);
  options.children.add(handle);
  const exit = await handle.exited;
  const log = await readFile(options.logPath, 'utf8').catch(() => '');
  const m = /WSREP: Recovered position: ([0-9a-f-]{36}:(-?\d+))/.exec(log);
  if (exit.code !== 0 || m?.[1] === undefined) {
    throw galeraError(
      GaleraCode.RecoverFailed,
      `cannot recover the Galera position with --wsrep-recover (exit ${exit.code}): see ${options.logPath}`,
    );
  }
  return m[2] === '-1' ? undefined : m[1];
}

/** The last `lines` lines of a log, for error messages. */
export async function logTail(path: string, lines = 8): Promise<string> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
