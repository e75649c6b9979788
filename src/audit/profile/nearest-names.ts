/** "Did you mean …?" for misspelt names: the known names closest by edit distance. */

/** Levenshtein distance (insert, delete, substitute), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length]!;
}

/** Up to `max` known names within a distance that scales with the word, nearest first. */
export function nearestNames(word: string, known: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.floor(word.length / 2));
  return known
    .map((name) => ({ name, d: name.toLowerCase().startsWith(word.toLowerCase()) && word.length >= 3 ? 0 : editDistance(word, name) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((x) => x.name);
}
