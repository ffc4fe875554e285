/**
 * Where the client finds the API: the `--api` flag, `ORC_API` or `ORCHESTRATOR_API`, each one
 * URL or a list of every node's URL. URLs are normalised the way orchestrator-client does it
 * (a URL that does not end in `/api` gets it appended), so the same values work for both
 * tools. Credentials written into a URL are lifted out into basic auth (fetch refuses them)
 * and never printed.
 */
import { OrcError } from '../../common/errors.js';

/** orchestrator-client's default when nothing is set; orc also listens on :3000 by default. */
export const DEFAULT_API = 'http://localhost:3000';

/** One API base, ready for `${base}/${path}`. */
export interface ApiBase {
  /** Normalised, ending in `/api`, without credentials. */
  readonly url: string;
  /** `user:password` found in the URL, when there was one. */
  readonly credentials?: { readonly user: string; readonly password: string };
}

/** Where the API list came from, for messages. */
export type ApiSource = '--api' | 'ORC_API' | 'ORCHESTRATOR_API' | 'default';

/**
 * The first set of `--api` (flag), `ORC_API`, `ORCHESTRATOR_API`, else the default. Empty
 * strings count as unset, like orchestrator-client's `-U ""`.
 */
export function pickApiSetting(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { value: string; source: ApiSource } {
  if (flag !== undefined && flag.trim() !== '') return { value: flag, source: '--api' };
  const orc = env.ORC_API;
  if (orc !== undefined && orc.trim() !== '') return { value: orc, source: 'ORC_API' };
  const orchestrator = env.ORCHESTRATOR_API;
  if (orchestrator !== undefined && orchestrator.trim() !== '') {
    return { value: orchestrator, source: 'ORCHESTRATOR_API' };
  }
  return { value: DEFAULT_API, source: 'default' };
}

/**
 * Splits a space- or comma-separated list and normalises each URL. Duplicates are dropped
 * (keeping the first). Throws USAGE when the list is empty or a URL cannot be read.
 */
export function parseApiList(text: string, source: ApiSource = '--api'): ApiBase[] {
  const parts = text.split(/[\s,]+/).filter((part) => part !== '');
  if (parts.length === 0) throw new OrcError('USAGE', `${source} is empty: give one or more URLs`);
  const seen = new Set<string>();
  const bases: ApiBase[] = [];
  for (const part of parts) {
    const base = normaliseApiUrl(part, source);
    if (seen.has(base.url)) continue;
    seen.add(base.url);
    bases.push(base);
  }
  return bases;
}

/**
 * `host:3000`, `http://host:3000/`, `http://host:3000/api/` and `http://host:3000/api` all
 * become `http://host:3000/api`; a URL prefix is kept (`http://lb/orc` → `http://lb/orc/api`).
 * A missing scheme means http, as with curl. Query strings and fragments are refused.
 */
export function normaliseApiUrl(text: string, source: ApiSource = '--api'): ApiBase {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch (err) {
    throw new OrcError('USAGE', `${source}: "${redactUrl(text)}" is not a URL`, { cause: err });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new OrcError('USAGE', `${source}: "${redactUrl(text)}" must be an http or https URL`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw new OrcError('USAGE', `${source}: "${redactUrl(text)}" must not have a query or #`);
  }

  const credentials =
    parsed.username === '' && parsed.password === ''
      ? undefined
      : {
          user: decodeURIComponent(parsed.username),
          password: decodeURIComponent(parsed.password),
        };
  parsed.username = '';
  parsed.password = '';

  let path = parsed.pathname.replace(/\/+$/, '');
  if (!path.endsWith('/api')) path = `${path}/api`;
  const url = `${parsed.protocol}//${parsed.host}${path}`;
  return credentials === undefined ? { url } : { url, credentials };
}

/** `text` with any `user:password@` removed from URLs in it: safe to print. */
export function redactUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
}
