/**
 * The base of every error orc throws on purpose. `code` is stable (documented, matched by
 * callers and by the HTTP layer); `message` starts with what failed and quotes the values;
 * `context` carries the fields a log line or an API body needs (instance, cluster, …).
 */
export class OrcError extends Error {
  readonly code: string;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; context?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.context = Object.freeze({ ...(options.context ?? {}) });
  }
}

/** True when `err` is an OrcError carrying `code`. */
export function hasCode(err: unknown, code: string): err is OrcError {
  return err instanceof OrcError && err.code === code;
}

/** A readable one-line description of any thrown value, for CLI output and error bodies. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
