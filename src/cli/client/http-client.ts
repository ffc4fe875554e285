/**
 * The HTTP side of orc's client commands: GET requests on the orchestrator-compatible API
 * (`/api/...`) over Node's built-in fetch, with orchestrator-client's leader discovery, basic
 * or header authentication, timeouts, and one mapping from every failure to a typed OrcError
 * whose message can be printed as is (credentials never appear in it).
 *
 * Error codes: API_UNREACHABLE (nothing listening, DNS, reset), API_TIMEOUT, API_UNAUTHORIZED
 * (401), API_ERROR (an orchestrator `{Code:"ERROR"}` answer: the message is its `Message`),
 * API_HTTP (another non-2xx answer), API_BAD_RESPONSE (2xx that is not JSON), API_NO_LEADER.
 */
import { OrcError } from '../../common/errors.js';
import type { ApiBase } from './api-urls.js';
import { redactUrl } from './api-urls.js';

/** Basic-auth credentials (`-b user:password`, ORCHESTRATOR_AUTH_USER/PASSWORD). */
export interface BasicAuth {
  readonly user: string;
  readonly password: string;
}

export interface ApiClientOptions {
  /** Normalised API bases: one is used as is; several are searched for the leader. */
  readonly bases: readonly ApiBase[];
  /** Overrides credentials found in the URLs. */
  readonly auth?: BasicAuth | undefined;
  /** `Name: value`, sent instead of basic auth (orchestrator-client's `-e`). */
  readonly authHeader?: string | undefined;
  /** Per request, in milliseconds. */
  readonly timeoutMs: number;
  /** Per leader-check probe; orchestrator-client uses `curl -m 1`. */
  readonly probeTimeoutMs?: number;
  /** Injected in tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
}

/** What one GET answered, before any interpretation. */
export interface RawAnswer {
  /** The full URL requested, without credentials. */
  readonly url: string;
  readonly status: number;
  /** Parsed JSON, or undefined when the body is not JSON. */
  readonly body: unknown;
  readonly text: string;
}

/** One node's answer to a leader probe: a status, or why there was none. */
export interface ProbeAnswer {
  readonly api: string;
  readonly status?: number;
  readonly body?: string;
  readonly error?: string;
}

const HINT = 'start it with `orc serve` or set --api/ORC_API';

/**
 * A client bound to one API list. The leader is found once, on first use, and reused for
 * every later request of the same client; nothing is retried.
 */
export class ApiClient {
  readonly #options: ApiClientOptions;
  readonly #fetch: typeof fetch;
  #leader: Promise<string> | undefined;

  constructor(options: ApiClientOptions) {
    if (options.bases.length === 0) throw new OrcError('USAGE', 'no API URL given');
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
  }

  /** The API to talk to: the only one, or the one answering leader-check with 200. */
  leader(): Promise<string> {
    this.#leader ??= this.#findLeader();
    return this.#leader;
  }

  /**
   * GETs `path` (relative to `/api/`, may carry a query) on the leader and returns the JSON
   * of a successful answer. Every failure throws an OrcError described in the file comment.
   */
  async get(path: string): Promise<unknown> {
    return interpret(await this.getRaw(path), path);
  }

  /** Like `get` but returns the answer of any status; only transport failures throw. */
  async getRaw(path: string): Promise<RawAnswer> {
    const api = await this.leader();
    return this.#request(api, path, this.#options.timeoutMs);
  }

  /**
   * GETs `path` on every configured API at once, with the probe timeout. Never throws:
   * failures are reported in the answers, which keep the configured order.
   */
  async probeAll(path: string): Promise<ProbeAnswer[]> {
    return Promise.all(this.#options.bases.map((base) => this.#probe(base.url, path)));
  }

  async #findLeader(): Promise<string> {
    const bases = this.#options.bases;
    const only = bases.length === 1 ? bases[0] : undefined;
    if (only !== undefined) return only.url;

    const direct = await this.#firstOk('leader-check');
    if (direct.winner !== undefined) return direct.winner;
    const routed = await this.#firstOk('routed-leader-check');
    if (routed.winner !== undefined) return routed.winner;
    throw noLeader(direct.answers, routed.answers);
  }

  /** Probes every API in parallel; settles on the first 200, aborting the others. */
  #firstOk(path: string): Promise<{ winner?: string; answers: ProbeAnswer[] }> {
    const bases = this.#options.bases;
    const controller = new AbortController();
    const answers: ProbeAnswer[] = [];
    return new Promise((resolve) => {
      let pending = bases.length;
      let settled = false;
      bases.forEach((base, index) => {
        void this.#probe(base.url, path, controller.signal).then((answer) => {
          answers[index] = answer;
          if (settled) return;
          if (answer.status === 200) {
            settled = true;
            controller.abort();
            resolve({ winner: base.url, answers });
          } else if (--pending === 0) {
            settled = true;
            resolve({ answers });
          }
        });
      });
    });
  }

  async #probe(api: string, path: string, cancel?: AbortSignal): Promise<ProbeAnswer> {
    const timeoutMs = this.#options.probeTimeoutMs ?? 1000;
    try {
      const answer = await this.#request(api, path, timeoutMs, cancel);
      return { api, status: answer.status, body: answer.text.trim().slice(0, 80) };
    } catch (err) {
      return { api, error: err instanceof OrcError ? String(err.context.reason) : String(err) };
    }
  }

  async #request(
    api: string,
    path: string,
    timeoutMs: number,
    cancel?: AbortSignal,
  ): Promise<RawAnswer> {
    const url = `${api}/${path.replace(/^\/+/, '')}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = cancel === undefined ? timeout : AbortSignal.any([timeout, cancel]);
    try {
      const response = await this.#fetch(url, { headers: this.#headers(api), signal });
      const text = await response.text();
      return { url, status: response.status, body: parseJson(text), text };
    } catch (err) {
      if (timeout.aborted) throw timedOut(api, path, timeoutMs, err);
      throw unreachable(api, transportReason(err), err);
    }
  }

  #headers(api: string): Record<string, string> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const { authHeader } = this.#options;
    if (authHeader !== undefined && authHeader !== '') {
      const [name, value] = splitHeader(authHeader);
      headers[name] = value;
      return headers;
    }
    const auth = this.#options.auth ?? this.#options.bases.find((b) => b.url === api)?.credentials;
    if (auth !== undefined && (auth.user !== '' || auth.password !== '')) {
      const token = Buffer.from(`${auth.user}:${auth.password}`).toString('base64');
      headers.Authorization = `Basic ${token}`;
    }
    return headers;
  }
}

/** Reads `Name: value`; a header without a colon is a usage error. */
export function splitHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon < 0 ? '' : text.slice(0, colon).trim();
  if (name === '' || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(name)) {
    throw new OrcError(
      'USAGE',
      `the auth header must look like "Name: value", got "${text.slice(0, 40)}"`,
    );
  }
  return [name, text.slice(colon + 1).trim()];
}

/**
 * The JSON of a successful answer, or the OrcError the answer means. orchestrator reports
 * failures as `{Code:"ERROR", Message, Details}` with status 500; that Message is the error's
 * message verbatim, so `orc` prints what orchestrator-client would.
 */
export function interpret(answer: RawAnswer, path: string): unknown {
  const { status, body, text } = answer;
  const context = { url: redactUrl(answer.url), status };
  if (status === 401) {
    throw new OrcError(
      'API_UNAUTHORIZED',
      `the API at ${redactUrl(answer.url)} refused the credentials (401): set ` +
        'ORCHESTRATOR_AUTH_USER and ORCHESTRATOR_AUTH_PASSWORD, or pass -b user:password',
      { context },
    );
  }
  const envelopeError = errorMessageOf(body);
  if (envelopeError !== undefined) {
    throw new OrcError('API_ERROR', envelopeError, { context: { ...context, body } });
  }
  if (status < 200 || status >= 300) {
    throw new OrcError('API_HTTP', httpFailure(answer, path), { context });
  }
  if (body === undefined) {
    throw new OrcError(
      'API_BAD_RESPONSE',
      `${redactUrl(answer.url)} answered ${status} with something that is not JSON: ` +
        `"${text.trim().slice(0, 80)}"`,
      { context },
    );
  }
  return body;
}

/** The failure message an answer carries: orchestrator's envelope or orc's v2 error. */
function errorMessageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (record.Code === 'ERROR') {
    return typeof record.Message === 'string' ? record.Message : 'the API reported an error';
  }
  const v2 = record.error;
  if (typeof v2 === 'object' && v2 !== null) {
    const message = (v2 as Record<string, unknown>).message;
    if (typeof message === 'string') return message;
  }
  return undefined;
}

function httpFailure(answer: RawAnswer, path: string): string {
  const url = redactUrl(answer.url);
  if (answer.status === 404 && typeof answer.body !== 'string') {
    const bare = path.split('?')[0] ?? path;
    return `the API at ${url} has no path "${bare}" (404): is it an orc or orchestrator API?`;
  }
  const said = typeof answer.body === 'string' ? answer.body : answer.text.trim().slice(0, 200);
  return `${url} answered ${answer.status}${said === '' ? '' : `: ${said}`}`;
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function unreachable(api: string, reason: string, cause: unknown): OrcError {
  const url = redactUrl(api);
  return new OrcError('API_UNREACHABLE', `cannot reach the orc API at ${url}: ${reason}; ${HINT}`, {
    cause,
    context: { url, reason },
  });
}

function timedOut(api: string, path: string, timeoutMs: number, cause: unknown): OrcError {
  const url = redactUrl(api);
  const seconds = timeoutMs / 1000;
  const reason = `no answer within ${seconds}s`;
  return new OrcError(
    'API_TIMEOUT',
    `the orc API at ${url} did not answer ${path.split('?')[0] ?? path} within ${seconds}s ` +
      '(raise it with --timeout)',
    { cause, context: { url, reason } },
  );
}

const transportReasons: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in chain',
};

/** A short reason for a failed fetch: undici hides the system error in `cause` (or deeper). */
export function transportReason(err: unknown): string {
  const code = errorCode(err);
  if (code !== undefined) return transportReasons[code] ?? code;
  if (err instanceof Error && err.name === 'AbortError') return 'cancelled';
  if (err instanceof Error && err.cause instanceof Error) return err.cause.message;
  return err instanceof Error ? err.message : String(err);
}

function errorCode(err: unknown, depth = 0): string | undefined {
  if (typeof err !== 'object' || err === null || depth > 4) return undefined;
  const record = err as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof record.code === 'string' && record.code in transportReasons) return record.code;
  const nested = Array.isArray(record.errors) ? (record.errors as unknown[])[0] : undefined;
  return (
    errorCode(record.cause, depth + 1) ??
    errorCode(nested, depth + 1) ??
    (typeof record.code === 'string' && record.code !== 'ABORT_ERR' ? record.code : undefined)
  );
}

function noLeader(direct: readonly ProbeAnswer[], routed: readonly ProbeAnswer[]): OrcError {
  const lines = direct.map((answer, index) => {
    const second = routed[index];
    const tail = second === undefined ? '' : `, routed-leader-check ${describeProbe(second)}`;
    return `\n  ${redactUrl(answer.api)}: leader-check ${describeProbe(answer)}${tail}`;
  });
  const context = { answers: direct, routed };
  const allDown = [...direct, ...routed].every((answer) => answer.error !== undefined);
  if (allDown) {
    const message = `cannot reach any of the orc APIs; ${HINT}:${lines.join('')}`;
    return new OrcError('API_UNREACHABLE', message, { context });
  }
  const message = `no orc API answered leader-check with 200:${lines.join('')}`;
  return new OrcError('API_NO_LEADER', message, { context });
}

/** `404 "Not leader"` or `connection refused`. */
export function describeProbe(answer: ProbeAnswer): string {
  if (answer.error !== undefined) return answer.error;
  const body = answer.body === undefined || answer.body === '' ? '' : ` ${answer.body}`;
  return `${answer.status ?? '?'}${body}`;
}
