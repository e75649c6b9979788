/** "Did you mean …?" for misspelt names (profile fields, check types, tables, columns, keywords). */

/** Levenshtein distance (insert, delete, substitute), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (s[i - 1] === t[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[t.length]!;
}

/**
 * Up to `max` known names within a distance that scales with the word, nearest first. A name
 * that contains the word (3+ letters), or that the word contains, counts as close as their
 * difference in length allows: "user" suggests "users" before "user_groups".
 */
export function nearestNames(word: string, known: Iterable<string>, max = 3): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(2, Math.floor(w.length / 2));
  return [...known]
    .map((name) => {
      const n = name.toLowerCase();
      let d = editDistance(w, n);
      if ((w.length >= 3 && n.includes(w)) || w.includes(n)) d = Math.min(d, Math.abs(n.length - w.length) / 4);
      return { name, d };
    })
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((x) => x.name);
}
