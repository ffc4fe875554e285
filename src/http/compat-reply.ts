/**
 * Replies shaped exactly as orchestrator's HTTP layer writes them, for the compatibility API
 * (`/api/...`). orchestrator renders every value with Go's `json.Marshal` through martini's
 * renderer: `Content-Type: application/json; charset=UTF-8`, compact JSON, no trailing newline,
 * so a bare string goes out quoted (`"OK"`), and `<`, `>`, `&`, U+2028, U+2029 escaped as
 * `\u003c`-style sequences the way Go's encoder does.
 */
import type { FastifyReply } from 'fastify';

/** The content type martini's renderer sets on every JSON reply. */
export const COMPAT_JSON_TYPE = 'application/json; charset=UTF-8';

/** orchestrator's `APIResponseCode`, rendered as a string. */
export type CompatCode = 'OK' | 'ERROR';

/** orchestrator's `APIResponse`: every field always present; `Details` is null when unset. */
export interface CompatEnvelope {
  Code: CompatCode;
  Message: string;
  Details: unknown;
}

/**
 * Sends `value` as JSON with an explicit status, like martini's `r.JSON(status, value)`.
 * Strings are JSON-encoded, so `sendCompatJson(reply, 200, 'OK')` writes `"OK"`.
 */
export function sendCompatJson(reply: FastifyReply, status: number, value: unknown): FastifyReply {
  return reply.code(status).type(COMPAT_JSON_TYPE).send(goJson(value));
}

/**
 * JSON as Go's `json.Marshal` writes it for plain data: compact, HTML-sensitive characters
 * escaped. (They can only occur inside strings, so replacing them everywhere is safe.)
 */
export function goJson(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  return text.replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Sends an envelope with the status orchestrator's `Respond` derives from the code: OK → 200,
 * ERROR → 500. (orchestrator never answers 4xx from its handlers; callers rely on that.)
 */
export function respondCompat(
  reply: FastifyReply,
  code: CompatCode,
  message: string,
  details: unknown = null,
): FastifyReply {
  const envelope: CompatEnvelope = { Code: code, Message: message, Details: details ?? null };
  return sendCompatJson(reply, code === 'OK' ? 200 : 500, envelope);
}

/** The refusal orchestrator gives for every mutation the caller may not make. */
export function respondCompatUnauthorized(reply: FastifyReply): FastifyReply {
  return respondCompat(reply, 'ERROR', 'Unauthorized');
}

/**
 * The reply of Go's `http.NotFound`, which martini uses for unknown paths: plain text
 * `404 page not found` with a trailing newline.
 */
export function sendCompatNotFound(reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .type('text/plain; charset=utf-8')
    .header('X-Content-Type-Options', 'nosniff')
    .send('404 page not found\n');
}
