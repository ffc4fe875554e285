/** Edit distance between two strings (insert, delete, substitute each cost 1). */
export function editDistance(a: string, b: string, ignoreCase = true): number {
  const x = ignoreCase ? a.toLowerCase() : a;
  const y = ignoreCase ? b.toLowerCase() : b;
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[y.length] ?? 0;
}

/**
 * The candidate closest to `word` when it is close enough to be a likely typo (a third of the
 * word's length, at least 2 edits, ignoring case), else undefined. Among equally close
 * candidates the one closest with case wins, then the earlier one.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestScore: [number, number] = [limit + 1, 0];
  for (const candidate of candidates) {
    const score: [number, number] = [
      editDistance(word, candidate),
      editDistance(word, candidate, false),
    ];
    if (score[0] < bestScore[0] || (score[0] === bestScore[0] && score[1] < bestScore[1])) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
