/**
 * HTTP authentication and the right to change things, as orchestrator's `AuthenticationMethod`
 * defines them. This module decides; `auth-hook.ts` wires the decisions into fastify.
 *
 * | method  | who gets in                                   | who may change things          |
 * |---------|-----------------------------------------------|--------------------------------|
 * | ""      | everyone                                      | everyone                       |
 * | basic   | `user`/`password` (no user configured: all)   | everyone who got in            |
 * | multi   | `user`/`password`, or `readonly` + any pass   | everyone but `readonly`        |
 * | proxy   | everyone; the user name is `userHeader`'s     | `powerUsers` (`*` = all), or   |
 * |         | value, trusted as set by the reverse proxy    | members of `powerGroups`       |
 * | oauth   | everyone (orchestrator never implemented it)  | nobody                         |
 * | token   | refused at startup: not supported yet         |                                |
 *
 * On top of the method, `readOnly` refuses every change, and so does a node that is not the
 * leader (checked by the hook, which knows the leadership).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { OrcError } from '../common/errors.js';
import type { Logger } from '../common/log.js';
import { unixGroupMembership, type GroupMembership } from './unix-groups.js';

/** The methods orchestrator knows; `token` is refused at startup for now. */
export const authMethods = ['', 'basic', 'multi', 'proxy', 'token', 'oauth'] as const;
export type AuthMethod = (typeof authMethods)[number];

/** orchestrator's name for the one user `multi` admits with any password, read-only. */
export const READONLY_USER = 'readonly';

/** Authentication options, named as in orc's config (orchestrator's keys in comments). */
export interface HttpAuthOptions {
  /** `AuthenticationMethod`; compared case-insensitively, like orchestrator. */
  method: string;
  /** `HTTPAuthUser` */
  user?: string;
  /** `HTTPAuthPassword` */
  password?: string;
  /** `AuthUserHeader`, default `X-Forwarded-User`. */
  userHeader?: string;
  /** `PowerAuthUsers`, default `['*']`. */
  powerUsers?: readonly string[];
  /** `PowerAuthGroups`, default none. */
  powerGroups?: readonly string[];
  /** `ReadOnly`: refuse every change whoever asks. */
  readOnly?: boolean;
  /** How `powerGroups` membership is looked up; defaults to reading /etc/group, /etc/passwd. */
  groupMembership?: GroupMembership;
}

/** The caller as authentication established it. `user` is '' when nobody was named. */
export interface Principal {
  method: AuthMethod;
  user: string;
}

/** Why a change was refused; the order of checks is the order listed. */
export type MutationDenial = 'read-only' | 'forbidden' | 'not-leader';

/** Authentication options after validation, with every default filled in. */
export interface CompiledAuth {
  readonly method: AuthMethod;
  readonly readOnly: boolean;
  /** The principal for a request's headers, or null when its credentials are refused. */
  authenticate(headers: IncomingHttpHeaders): Principal | null;
  /** Whether the principal's role may change things (ReadOnly and leadership aside). */
  mayChange(principal: Principal): Promise<boolean>;
}

/** The options with defaults applied, as the method implementations use them. */
interface Settings {
  user: string;
  password: string;
  userHeader: string;
  powerUsers: readonly string[];
  powerGroups: readonly string[];
  groups: GroupMembership;
}

/**
 * Validates the options once, at startup. Throws OrcError `HTTP_AUTH_UNSUPPORTED` for `token`
 * and unknown methods and `HTTP_AUTH_INVALID` for `multi` without a user (orchestrator exits
 * on both); logs a warning for `basic` without a user, which then admits everyone.
 */
export function compileAuth(options: HttpAuthOptions, logger: Pick<Logger, 'warn'>): CompiledAuth {
  const method = parseMethod(options.method);
  const settings: Settings = {
    user: options.user ?? '',
    password: options.password ?? '',
    userHeader: (options.userHeader ?? 'X-Forwarded-User').toLowerCase(),
    powerUsers: options.powerUsers ?? ['*'],
    powerGroups: options.powerGroups ?? [],
    groups: options.groupMembership ?? unixGroupMembership(),
  };

  if (method === 'multi' && settings.user === '') {
    const message = 'cannot start HTTP authentication "multi": HTTPAuthUser is empty';
    throw new OrcError('HTTP_AUTH_INVALID', message);
  }
  if (method === 'basic' && settings.user === '') {
    const message = 'basic authentication has no user: requests are not authenticated';
    logger.warn({ component: 'http' }, message);
  }
  if (method === 'oauth') {
    const message = 'oauth authentication is not implemented: every change is refused';
    logger.warn({ component: 'http' }, message);
  }

  return {
    method,
    readOnly: options.readOnly ?? false,
    authenticate: (headers) => authenticate(method, settings, headers),
    mayChange: (principal) => mayChange(method, settings, principal),
  };
}

function authenticate(
  method: AuthMethod,
  settings: Settings,
  headers: IncomingHttpHeaders,
): Principal | null {
  const challenges = method === 'multi' || (method === 'basic' && settings.user !== '');
  if (method === 'proxy') return { method, user: firstHeaderValue(headers[settings.userHeader]) };
  if (!challenges) return { method, user: '' };

  const given = parseBasic(headers.authorization);
  if (given === null) return null;
  if (method === 'multi' && given.user === READONLY_USER) return { method, user: given.user };
  const ok = sameSecret(given.user, settings.user) && sameSecret(given.password, settings.password);
  return ok ? { method, user: given.user } : null;
}

async function mayChange(
  method: AuthMethod,
  settings: Settings,
  principal: Principal,
): Promise<boolean> {
  switch (method) {
    case '':
    case 'basic':
      return true;
    case 'multi':
      return principal.user !== READONLY_USER;
    case 'proxy': {
      const { powerUsers, powerGroups, groups } = settings;
      if (powerUsers.some((u) => u === '*' || (u !== '' && u === principal.user))) return true;
      if (principal.user === '' || powerGroups.length === 0) return false;
      return groups(principal.user, powerGroups);
    }
    case 'oauth':
    case 'token':
      return false;
  }
}

/**
 * The first reason a change is refused, or null when it may go ahead. Checked in orchestrator's
 * order: ReadOnly, then the caller's role, then leadership.
 */
export async function checkMutation(
  auth: CompiledAuth,
  principal: Principal,
  isLeader: () => boolean,
): Promise<MutationDenial | null> {
  if (auth.readOnly) return 'read-only';
  if (!(await auth.mayChange(principal))) return 'forbidden';
  if (!isLeader()) return 'not-leader';
  return null;
}

/** Credentials from an `Authorization: Basic …` header, or null when absent or malformed. */
export function parseBasic(header: string | undefined): { user: string; password: string } | null {
  if (header === undefined) return null;
  const match = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match?.[1] === undefined) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function parseMethod(raw: string): AuthMethod {
  const lower = raw.trim().toLowerCase();
  const method = authMethods.find((m) => m === lower);
  if (method === undefined) {
    const known = authMethods.map((m) => `"${m}"`).join(', ');
    throw new OrcError(
      'HTTP_AUTH_UNSUPPORTED',
      `cannot start HTTP authentication "${raw}": unknown method; use one of ${known}`,
    );
  }
  if (method === 'token') {
    throw new OrcError(
      'HTTP_AUTH_UNSUPPORTED',
      'cannot start HTTP authentication "token": not supported yet; ' +
        'use "basic", "multi" or "proxy"',
    );
  }
  return method;
}

function firstHeaderValue(value: string | string[] | undefined): string {
  if (Array.isArray(value)) return value[0] ?? '';
  return value ?? '';
}

/** Compares in constant time whatever the lengths, by comparing digests. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
