/**
 * Test fixtures of the client: a fake orchestrator-compatible API (a node:http server on
 * 127.0.0.1, random port, answering recorded replies by path and remembering every request),
 * orchestrator's JSON shapes, and a harness for command table tests. Used only by
 * `src/cli/client/*.test.ts`.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseApiList } from './api-urls.js';
import { findClientCommand } from './commands/index.js';
import { ApiClient } from './http-client.js';
import { Inputs, type FlagValues } from './inputs.js';
import { runClientCommand } from './run.js';

/** A recorded answer: status (default 200) and a JSON body, or raw text. */
export interface FakeReply {
  readonly status?: number;
  readonly json?: unknown;
  readonly text?: string;
  /** Never answer (to test timeouts); the server still closes cleanly. */
  readonly hang?: true;
}

export interface FakeRequest {
  /** Path and query after `/api/`, e.g. `topology/db1:3306`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
}

export interface FakeApi {
  /** `http://127.0.0.1:<port>` (no `/api`: the client appends it). */
  readonly url: string;
  readonly requests: FakeRequest[];
  close(): Promise<void>;
}

/**
 * Starts a fake API. `replies` maps a path after `/api/` (query included, exactly as sent) to
 * its reply; unknown paths get orchestrator's plain-text 404.
 */
export async function startFakeApi(
  replies: Readonly<Record<string, FakeReply>> | ((path: string) => FakeReply | undefined),
): Promise<FakeApi> {
  const requests: FakeRequest[] = [];
  const lookup = typeof replies === 'function' ? replies : (path: string) => replies[path];
  const server = createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/api\//, '');
    requests.push({ path, headers: req.headers });
    const reply = lookup(path);
    if (reply?.hang === true) return;
    if (reply === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
      return;
    }
    const body = reply.text ?? JSON.stringify(reply.json ?? null);
    const type = reply.text === undefined ? 'application/json; charset=UTF-8' : 'text/plain';
    res.writeHead(reply.status ?? 200, { 'Content-Type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** orchestrator's envelope. */
export function envelope(details: unknown, message = ''): FakeReply {
  return { json: { Code: 'OK', Message: message, Details: details } };
}

/** orchestrator's failure: 500 with `{Code:"ERROR"}`. */
export function failure(message: string): FakeReply {
  return { status: 500, json: { Code: 'ERROR', Message: message, Details: null } };
}

/** An InstanceKey as orchestrator writes it. */
export function key(host: string, port = 3306): { Hostname: string; Port: number } {
  return { Hostname: host, Port: port };
}

/** A minimal Instance JSON: key, master key, and what the caller adds. */
export function instance(
  host: string,
  master: string | undefined,
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return {
    Key: key(host),
    MasterKey: master === undefined ? key('', 0) : key(master),
    ...extra,
  };
}

/** A master, a healthy replica and a broken one, as orchestrator's Instance JSON. */
export const db1 = instance('db1', undefined, { DataCenter: 'dc1' });
export const db2 = instance('db2', 'db1', {
  DataCenter: 'dc1',
  ReplicationSQLThreadRuning: true,
  ReplicationIOThreadRuning: true,
});
export const db3 = instance('db3', 'db1', {
  ReplicationSQLThreadRuning: false,
  ReplicationIOThreadRuning: true,
  LastSQLError: 'Duplicate entry',
});
export const clustersInfo = [
  { ClusterName: 'db1:3306', ClusterAlias: 'main' },
  { ClusterName: 'db7:3306', ClusterAlias: '' },
];

/** Flags with `-i` set. */
export function withInstance(instanceFlag: string, more: FlagValues = {}): FlagValues {
  return { instance: instanceFlag, ...more };
}

/** One row of a command table test. */
export interface CommandCase {
  /** The command name as typed (aliases allowed) and its flags. */
  readonly command: string;
  readonly flags?: FlagValues;
  /** The path (after `/api/`) the command must call, and the recorded answer. */
  readonly path: string;
  readonly reply: FakeReply;
  /** What it must print without `--json`. */
  readonly stdout: string;
}

/**
 * A fake API whose single reply is set per case, and the runner: each case must call exactly
 * its path, print exactly its stdout and exit 0. The owner default is `tester`.
 */
export function commandHarness() {
  let api: FakeApi | undefined;
  let replies: Record<string, FakeReply> = {};
  const server = (): FakeApi => {
    if (api === undefined) throw new Error('commandHarness: start() was not called');
    return api;
  };

  const run = async (command: string, flags: FlagValues = {}, json = false) => {
    const found = findClientCommand(command);
    assert.ok(found, `no command ${command}`);
    const client = new ApiClient({ bases: parseApiList(server().url), timeoutMs: 2000 });
    const inputs = new Inputs(flags, {}, () => 'tester');
    return runClientCommand(found, { inputs, api: () => client, json });
  };

  return {
    start: async () => {
      api = await startFakeApi((path) => replies[path]);
    },
    stop: async () => api?.close(),
    requests: () => server().requests,
    reply: (set: Record<string, FakeReply>) => {
      replies = set;
      server().requests.length = 0;
    },
    run,
    check: async (cases: readonly CommandCase[]) => {
      for (const c of cases) {
        replies = { [c.path]: c.reply };
        server().requests.length = 0;
        const result = await run(c.command, c.flags);
        const label = `${c.command} ${JSON.stringify(c.flags ?? {})}`;
        assert.deepEqual(
          server().requests.map((r) => r.path),
          [c.path],
          label,
        );
        assert.equal(result.stdout, c.stdout, label);
        assert.equal(result.exitCode, 0, label);
      }
    },
    checkJson: async (cases: readonly CommandCase[]) => {
      for (const c of cases.filter((x) => x.reply.json !== undefined)) {
        replies = { [c.path]: c.reply };
        const result = await run(c.command, c.flags, true);
        assert.deepEqual(JSON.parse(result.stdout), c.reply.json, c.command);
      }
    },
  };
}
