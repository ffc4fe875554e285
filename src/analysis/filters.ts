/**
 * orchestrator's name filters, as pure predicates. Patterns are regular expressions searched
 * anywhere in the name (Go's `regexp.MatchString`); a pattern that does not compile matches
 * nothing, as in orchestrator (config validation is where a bad pattern gets reported).
 */

function search(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return false;
  }
}

/**
 * True when a host name matches one of the patterns (RecoveryIgnoreHostnameFilters,
 * ProblemIgnoreHostnameFilters, PromotionIgnoreHostnameFilters).
 */
export function hostMatchesAny(host: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => search(p, host));
}

/**
 * True when a cluster is selected by RecoverMasterClusterFilters-style filters: the exact
 * cluster name or alias, `alias=<exact alias>`, `alias~=<regex on alias>`, `*`, or otherwise
 * a regex on the cluster name. Recovery uses the same function to decide opt-in.
 */
export function clusterMatchesFilters(
  cluster: { readonly name: string; readonly alias: string },
  filters: readonly string[],
): boolean {
  return filters.some((filter) => {
    if (filter === cluster.name || filter === cluster.alias) return true;
    if (filter.startsWith('alias=')) return filter.slice('alias='.length) === cluster.alias;
    if (filter.startsWith('alias~=')) return search(filter.slice('alias~='.length), cluster.alias);
    if (filter === '*') return true;
    return filter !== '' && search(filter, cluster.name);
  });
}
