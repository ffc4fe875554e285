import type { ServerFacts } from '../mysql/index.js';
import { instanceKeyId, type InstanceKey } from '../topology/index.js';
import { filterMatch, type FilterMatch, type FoundAs } from './filters.js';
import type { DiscoveryFilterSettings } from './settings.js';

/** An address a probe pointed at, and how it was found. */
export interface CrawlCandidate {
  readonly key: InstanceKey;
  readonly foundAs: FoundAs;
}

/**
 * Every address one probe points at, as reported: the sources of all its replication
 * connections (crawl up), the replicas registered with it or seen in its process list
 * (crawl down), and the key it names for itself (its preferred key), which may be a better
 * canonical name for it.
 */
export function crawlCandidates(
  facts: Pick<Partial<ServerFacts>, 'replication' | 'otherChannels' | 'replicas'>,
  preferred: InstanceKey | undefined,
): CrawlCandidate[] {
  const channels = [
    ...(facts.replication === undefined ? [] : [facts.replication]),
    ...(facts.otherChannels ?? []),
  ];
  return [
    ...channels.map((c) => ({ key: c.sourceKey, foundAs: 'source' as const })),
    ...(facts.replicas ?? []).map((r) => ({ key: r.key, foundAs: 'replica' as const })),
    ...(preferred === undefined ? [] : [{ key: preferred, foundAs: 'direct' as const }]),
  ];
}

/** What to do with the (resolved) candidates of one probe. */
export interface CrawlPlan {
  /** Unknown addresses to probe now, each once. */
  readonly probe: readonly CrawlCandidate[];
  /** Addresses a discovery filter keeps out. */
  readonly filtered: readonly (CrawlCandidate & { readonly match: FilterMatch })[];
}

/**
 * Decides which candidates to probe: not the probed server itself, not an address already
 * known (a polled server, one of its aliases, one already queued), not one a filter keeps
 * out. Pure: the caller resolves host names first and answers `isKnown` from its state.
 */
export function planCrawl(
  candidates: readonly CrawlCandidate[],
  context: {
    readonly self: string;
    readonly isKnown: (id: string) => boolean;
    readonly filters: DiscoveryFilterSettings;
  },
): CrawlPlan {
  const seen = new Set<string>([context.self]);
  const probe: CrawlCandidate[] = [];
  const filtered: (CrawlCandidate & { match: FilterMatch })[] = [];
  for (const candidate of candidates) {
    const id = instanceKeyId(candidate.key);
    if (seen.has(id)) continue;
    seen.add(id);
    if (context.isKnown(id)) continue;
    const match = filterMatch(context.filters, candidate.key, candidate.foundAs);
    if (match === undefined) probe.push(candidate);
    else filtered.push({ ...candidate, match });
  }
  return { probe, filtered };
}
