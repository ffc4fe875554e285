import { formatInstanceKey, type InstanceKey } from '../topology/index.js';
import type { DiscoveryFilterSettings } from './settings.js';

/**
 * How an address reached discovery, which decides the filters that apply: `direct` (a seed,
 * an API request, a server's own report address), `replica` (found on its source: SHOW
 * SLAVE HOSTS or the process list), `source` (the source a replica reports).
 */
export type FoundAs = 'direct' | 'replica' | 'source';

/** Which list kept an address out, and the expression that matched. */
export interface FilterMatch {
  readonly filter: 'ignore' | 'ignore-replica' | 'ignore-primary';
  readonly pattern: string;
}

/**
 * orchestrator's discovery filters: each expression is searched in `host:port` (so a host
 * name pattern matches whatever the port). `DiscoveryIgnoreHostnameFilters` applies to every
 * address; the replica and primary lists only to addresses found by crawling in that
 * direction. Undefined when the address may be discovered.
 */
export function filterMatch(
  filters: DiscoveryFilterSettings,
  key: InstanceKey,
  foundAs: FoundAs,
): FilterMatch | undefined {
  const text = formatInstanceKey(key);
  const hit = (list: readonly RegExp[]) => list.find((re) => re.test(text))?.source;
  const ignored = hit(filters.ignore);
  if (ignored !== undefined) return { filter: 'ignore', pattern: ignored };
  if (foundAs === 'replica') {
    const p = hit(filters.ignoreReplica);
    if (p !== undefined) return { filter: 'ignore-replica', pattern: p };
  }
  if (foundAs === 'source') {
    const p = hit(filters.ignorePrimary);
    if (p !== undefined) return { filter: 'ignore-primary', pattern: p };
  }
  return undefined;
}
