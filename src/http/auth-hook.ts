/**
 * Wires authentication and the mutation checks into fastify. One `onRequest` hook runs for every
 * request, known route or not: it authenticates (a refused basic challenge ends the request with
 * 401), then, for routes declared `mutates: true`, refuses changes under ReadOnly, for callers
 * without write rights and on a node that is not the leader.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OrcError } from '../common/errors.js';
import type { Leadership } from '../ha/leadership.js';
import { checkMutation, type CompiledAuth, type MutationDenial, type Principal } from './auth.js';
import { respondCompatUnauthorized } from './compat-reply.js';
import { sendV2Error } from './errors.js';
import type { ApiFamily, OrcApp } from './types.js';

/** The realm martini's basic-auth middleware announces; kept so clients see the same challenge. */
export const BASIC_REALM = 'Authorization Required';

/** Collaborators of the authentication hook. */
export interface AuthHookOptions {
  auth: CompiledAuth;
  leadership: Leadership;
  familyOf: (url: string) => ApiFamily;
}

/** Installs the hook on the root instance, so that it covers every route and the 404 handler. */
export function installAuth(app: OrcApp, options: AuthHookOptions): void {
  const { auth, leadership, familyOf } = options;
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (request, reply) => {
    const family = familyOf(request.url);
    const principal = auth.authenticate(request.headers);
    if (principal === null) return challenge(reply, family);
    request.principal = principal;

    if (request.routeOptions.config.mutates !== true) return;

    let denial: MutationDenial | null;
    try {
      denial = await checkMutation(auth, principal, () => leadership.isLeader());
    } catch (err) {
      // The group lookup failed: refuse, and say why in the log since the caller only sees 403.
      request.log.warn({ err }, 'power group lookup failed');
      denial = 'forbidden';
    }
    if (denial === null) return;

    request.log.debug({ user: principal.user, denial }, 'mutation refused');
    if (family === 'compat') return respondCompatUnauthorized(reply);
    return sendV2Error(reply, denialError(denial, principal, leadership.leaderUri()));
  });
}

/** The caller's user name for audit records, or '' when authentication named nobody. */
export function userOf(request: FastifyRequest): string {
  return request.principal?.user ?? '';
}

function challenge(reply: FastifyReply, family: ApiFamily): FastifyReply {
  reply.header('WWW-Authenticate', `Basic realm="${BASIC_REALM}"`);
  if (family === 'v2') {
    const err = new OrcError(
      'UNAUTHENTICATED',
      'authentication failed: send valid basic credentials',
    );
    return sendV2Error(reply, err);
  }
  // What Go's http.Error writes for martini-contrib/auth.
  return reply
    .code(401)
    .type('text/plain; charset=utf-8')
    .header('X-Content-Type-Options', 'nosniff')
    .send('Not Authorized\n');
}

function denialError(denial: MutationDenial, principal: Principal, leaderUri: string | null) {
  switch (denial) {
    case 'read-only':
      return new OrcError('READ_ONLY', 'change refused: orc is configured read-only (ReadOnly)');
    case 'forbidden': {
      const who = principal.user === '' ? 'an anonymous caller' : `user "${principal.user}"`;
      return new OrcError('FORBIDDEN', `change refused: ${who} may not make changes`, {
        context: { user: principal.user },
      });
    }
    case 'not-leader': {
      const where = leaderUri === null ? 'the leader is unknown' : `send it to ${leaderUri}`;
      return new OrcError('NOT_LEADER', `change refused: this node is not the leader; ${where}`, {
        context: { leaderUri },
      });
    }
  }
}
