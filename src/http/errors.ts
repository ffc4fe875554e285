/**
 * How errors leave the HTTP layer. The v2 API maps each OrcError code to a status through one
 * table and answers `{ error: { code, message, details? } }`; the compatibility API answers
 * orchestrator's envelope `{Code:"ERROR", Message, Details}` with 500 whatever went wrong.
 */
import type { FastifyError, FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import { OrcError, describeError } from '../common/errors.js';
import { respondCompat, sendCompatNotFound } from './compat-reply.js';
import type { ApiFamily, OrcApp } from './types.js';

/**
 * Status of each known error code in the v2 API. Modules throwing OrcErrors pick a code from
 * here when one fits; a code not listed falls through `statusBySuffix`, then to 500.
 */
export const statusByCode = {
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  INSTANCE_NOT_FOUND: 404,
  CLUSTER_NOT_FOUND: 404,
  RECOVERY_NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  INVALID_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  READ_ONLY: 403,
  CONFLICT: 409,
  ALREADY_EXISTS: 409,
  INSTANCE_IN_MAINTENANCE: 409,
  OPERATION_IN_PROGRESS: 409,
  PRECONDITION_FAILED: 412,
  NOT_LEADER: 503,
  BACKEND_UNAVAILABLE: 503,
  TIMEOUT: 504,
  INTERNAL: 500,
} as const satisfies Record<string, number>;

/** A code from the table above. */
export type HttpErrorCode = keyof typeof statusByCode;

/** Fallback for codes the table does not list, tried in order: `FOO_NOT_FOUND` → 404, … */
const statusBySuffix: readonly { suffix: string; status: number }[] = [
  { suffix: '_NOT_FOUND', status: 404 },
  { suffix: '_INVALID', status: 400 },
  { suffix: '_CONFLICT', status: 409 },
  { suffix: '_EXISTS', status: 409 },
  { suffix: '_UNAVAILABLE', status: 503 },
];

/** The v2 error body, as a schema (for OpenAPI) and as a type. */
export const V2ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: 'V2Error', description: 'Every v2 error: a stable code and a readable message.' },
);
export type V2ErrorBody = Static<typeof V2ErrorBody>;

/** HTTP status for an OrcError code in the v2 API. */
export function statusForCode(code: string): number {
  if (Object.hasOwn(statusByCode, code)) return statusByCode[code as HttpErrorCode];
  return statusBySuffix.find((rule) => code.endsWith(rule.suffix))?.status ?? 500;
}

/**
 * Status and body for anything thrown while serving a v2 request: OrcErrors by the table (their
 * context becomes `details`), fastify's schema validation failures as 400 VALIDATION_FAILED
 * with one issue per failed keyword, fastify's other 4xx as INVALID_REQUEST, the rest as 500.
 */
export function v2ErrorFor(err: unknown): { status: number; body: V2ErrorBody } {
  if (err instanceof OrcError) {
    const details = Object.keys(err.context).length > 0 ? { details: { ...err.context } } : {};
    const body = { error: { code: err.code, message: err.message, ...details } };
    return { status: statusForCode(err.code), body };
  }

  if (isFastifyError(err) && err.validation !== undefined) {
    const issues = err.validation.map((v) => ({
      where: err.validationContext ?? 'request',
      path: v.instancePath,
      message: v.message ?? 'is invalid',
    }));
    const error = { code: 'VALIDATION_FAILED', message: err.message, details: { issues } };
    return { status: 400, body: { error } };
  }

  if (isFastifyError(err) && typeof err.statusCode === 'number' && err.statusCode < 500) {
    const error = { code: 'INVALID_REQUEST', message: err.message };
    return { status: err.statusCode, body: { error } };
  }

  return { status: 500, body: { error: { code: 'INTERNAL', message: describeError(err) } } };
}

/** Sends the v2 error reply for `err`. */
export function sendV2Error(reply: FastifyReply, err: unknown): FastifyReply {
  const { status, body } = v2ErrorFor(err);
  return reply.code(status).send(body);
}

/**
 * Installs the app-wide error and not-found handlers. Unexpected failures (500 with no OrcError
 * behind them) are logged here at error level, since nobody above will report them; expected
 * ones only at debug.
 */
export function installErrorHandling(app: OrcApp, familyOf: (url: string) => ApiFamily): void {
  app.setErrorHandler((err: unknown, request, reply) => {
    const family = familyOf(request.url);
    const { status } = v2ErrorFor(err);
    if (status >= 500 && !(err instanceof OrcError)) request.log.error({ err }, 'request failed');
    else request.log.debug({ err }, 'request refused');

    if (family === 'v2') return sendV2Error(reply, err);
    return respondCompat(reply, 'ERROR', describeError(err));
  });

  app.setNotFoundHandler((request, reply) => {
    if (familyOf(request.url) === 'compat') return sendCompatNotFound(reply);
    const message = `no route ${request.method} ${request.url.split('?')[0] ?? ''}`;
    return sendV2Error(reply, new OrcError('ROUTE_NOT_FOUND', message));
  });
}

function isFastifyError(err: unknown): err is FastifyError {
  return err instanceof Error && typeof (err as Partial<FastifyError>).code === 'string';
}
