import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { OrcError, describeError } from '../common/errors.js';
import { SandboxCode, SandboxError } from './errors.js';
import { CUT_MODES, type CutMode } from './flow.js';
import type { LinkStatus } from './links.js';
import type { LinkKey } from './names.js';
import type { OperationResult } from './sandbox.js';
import type { LagChange } from './sql.js';
import { CONTROL_SOCKET, STATE_FILE } from './state.js';
import type { SandboxStatus } from './status.js';
import type { GaleraStatus } from './supervised-galera.js';

/**
 * The supervisor's control protocol: one JSON request per connection on the unix socket
 * `D/control.sock`, one JSON response line back. Requests and responses carry `v`; a
 * supervisor answers a version it does not speak with SANDBOX_PROTOCOL.
 */
export const CONTROL_VERSION = 1;

export type InstanceOp = 'kill' | 'stop' | 'start' | 'restart';

export type ControlRequest =
  | { op: 'ping' }
  | { op: 'status' }
  | { [K in InstanceOp]: { op: K; instance: string } }[InstanceOp]
  | { op: 'lag'; instance: string; change: LagChange }
  | { op: 'cut'; from: string; to: string; mode: CutMode }
  | { op: 'heal'; from: string; to: string }
  | { op: 'heal-all' }
  | { op: 'down' }
  | { op: 'galera-status' }
  | { op: 'cut-member'; member: string; mode: CutMode }
  | { op: 'heal-member'; member: string };

export type ControlOp = ControlRequest['op'];

/** What each operation answers. */
export interface ControlResults {
  ping: { pid: number; dir: string };
  status: SandboxStatus;
  kill: OperationResult;
  stop: OperationResult;
  start: OperationResult;
  restart: OperationResult;
  lag: OperationResult;
  cut: LinkStatus;
  heal: { healed: boolean };
  'heal-all': { healed: LinkKey[] };
  down: { stopped: number[] };
  'galera-status': GaleraStatus;
  'cut-member': { member: string; mode: CutMode };
  'heal-member': { member: string };
}

type Response =
  | { v: number; ok: true; result: unknown }
  | { v: number; ok: false; error: { code: string; message: string } };

/** The handler a supervisor serves; rejections are sent back as typed errors. */
export type ControlHandler = (request: ControlRequest) => Promise<unknown>;

/** The control socket's path in `dir`; throws when the path is too long for a unix socket. */
export function controlSocketPath(dir: string): string {
  const path = join(dir, CONTROL_SOCKET);
  if (Buffer.byteLength(path) > 104) {
    throw new SandboxError(
      SandboxCode.BadOptions,
      `the sandbox directory ${dir} is too long for its control socket (${path} exceeds 104 ` +
        'bytes): choose a shorter --dir',
    );
  }
  return path;
}

/**
 * Serves `handler` on `dir`'s control socket, replacing a stale socket file. The caller makes
 * sure no other supervisor answers there first.
 */
export async function serveControl(dir: string, handler: ControlHandler): Promise<Server> {
  const path = controlSocketPath(dir);
  await rm(path, { force: true });
  const server = createServer((socket) => void answer(socket, handler));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return server;
}

async function answer(socket: Socket, handler: ControlHandler): Promise<void> {
  socket.on('error', () => undefined);
  let response: Response;
  try {
    const request = parseRequest(await readLine(socket));
    response = { v: CONTROL_VERSION, ok: true, result: await handler(request) };
  } catch (err) {
    const code = err instanceof OrcError ? err.code : 'SANDBOX_INTERNAL';
    response = { v: CONTROL_VERSION, ok: false, error: { code, message: describeError(err) } };
  }
  socket.end(JSON.stringify(response) + '\n');
}

function readLine(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end >= 0) resolve(buffer.slice(0, end));
      if (buffer.length > 1 << 20) reject(protocolError('request too large'));
    });
    socket.on('end', () => resolve(buffer));
    socket.on('error', reject);
  });
}

function protocolError(what: string): SandboxError {
  return new SandboxError(SandboxCode.Protocol, `sandbox control protocol: ${what}`);
}

/** Validates a decoded request; throws SANDBOX_PROTOCOL on anything else. */
export function parseRequest(line: string): ControlRequest {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw protocolError('request is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw protocolError('request is not an object');
  const r = value as Record<string, unknown>;
  if (r.v !== CONTROL_VERSION) throw protocolError(`unsupported version ${String(r.v)}`);
  const str = (key: string): string => {
    if (typeof r[key] !== 'string') throw protocolError(`"${key}" must be a string`);
    return r[key];
  };
  switch (r.op) {
    case 'ping':
    case 'status':
    case 'heal-all':
    case 'down':
    case 'galera-status':
      return { op: r.op };
    case 'kill':
    case 'stop':
    case 'start':
    case 'restart':
      return { op: r.op, instance: str('instance') };
    case 'lag':
      return { op: 'lag', instance: str('instance'), change: parseLag(r.change) };
    case 'cut':
      return { op: 'cut', from: str('from'), to: str('to'), mode: cutMode(str('mode')) };
    case 'cut-member':
      return { op: 'cut-member', member: str('member'), mode: cutMode(str('mode')) };
    case 'heal-member':
      return { op: 'heal-member', member: str('member') };
    case 'heal':
      return { op: 'heal', from: str('from'), to: str('to') };
    default:
      throw protocolError(`unknown operation ${String(r.op)}`);
  }
}

function cutMode(mode: string): CutMode {
  if (!(CUT_MODES as readonly string[]).includes(mode)) throw protocolError(`bad mode ${mode}`);
  return mode as CutMode;
}

function parseLag(value: unknown): LagChange {
  const c = (value ?? {}) as Record<string, unknown>;
  if (typeof c.delaySeconds === 'number' && c.delaySeconds >= 0) {
    return { delaySeconds: c.delaySeconds };
  }
  if (c.applier === 'stop' || c.applier === 'start') return { applier: c.applier };
  throw protocolError('lag needs delaySeconds ≥ 0 or applier stop|start');
}

/**
 * Sends one request to the supervisor of `dir` and returns its result. Throws
 * SANDBOX_NOT_RUNNING when nothing answers, the supervisor's own error (same code and
 * message) when it refused, SANDBOX_TIMEOUT after `timeoutMs`.
 */
export async function callControl<R extends ControlRequest>(
  dir: string,
  request: R,
  options: { timeoutMs?: number } = {},
): Promise<ControlResults[R['op']]> {
  const path = controlSocketPath(dir);
  const line = await exchange(path, JSON.stringify({ v: CONTROL_VERSION, ...request }), dir, {
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  let response: Response;
  try {
    response = JSON.parse(line) as Response;
  } catch {
    throw protocolError(`unreadable answer from ${path}`);
  }
  if (!response.ok) throw new OrcError(response.error.code, response.error.message);
  return response.result as ControlResults[R['op']];
}

function exchange(
  path: string,
  payload: string,
  dir: string,
  options: { timeoutMs: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new SandboxError(
          SandboxCode.Timeout,
          `the sandbox supervisor on ${path} did not answer within ${options.timeoutMs} ms`,
        ),
      );
    }, options.timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(payload + '\n'));
    socket.on('data', (chunk: string) => (buffer += chunk));
    socket.on('end', () => {
      clearTimeout(timer);
      resolve(buffer.trim());
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        err.code === 'ENOENT' || err.code === 'ECONNREFUSED' ? notRunning(dir, path, err) : err,
      );
    });
  });
}

/**
 * The error for "nothing answers on dir's control socket": SANDBOX_NOT_FOUND when `dir` is not
 * a sandbox directory at all, else SANDBOX_NOT_RUNNING.
 */
export function notRunning(dir: string, path: string, cause?: unknown): SandboxError {
  if (!existsSync(join(dir, STATE_FILE))) {
    return new SandboxError(
      SandboxCode.NotFound,
      `${dir} is not a sandbox directory (no ${STATE_FILE}): start one with ` +
        `\`orc sandbox up --dir ${dir}\``,
      { cause },
    );
  }
  return new SandboxError(
    SandboxCode.NotRunning,
    `no sandbox is running in ${dir} (no supervisor answered on ${path}): start one with ` +
      `\`orc sandbox up --dir ${dir}\``,
    { cause },
  );
}
