/**
 * Version generators and the "verify a sorted chain" strategy shared by the version-ordering
 * tests. Checking every pair of N versions against a real tool would take N² processes;
 * instead we sort the pool with our comparator and ask the tool about each adjacent pair
 * (N-1 questions, asked in one batch). Since the tool's order is a total preorder, its
 * answers give the tool's rank of every version, and then every pair can be checked.
 */

/** A deterministic pseudo-random generator (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;

/**
 * Ranks in the tool's order, from the tool's answers about adjacent pairs of `sorted`
 * (answer k is for sorted[k] vs sorted[k+1]: 'lt' or 'eq'). Throws naming the first pair
 * the tool orders differently.
 */
export function ranksFromChain(sorted: string[], answers: Array<'lt' | 'eq' | 'gt'>): Map<string, number> {
  const ranks = new Map<string, number>();
  let rank = 0;
  ranks.set(sorted[0]!, 0);
  for (let k = 0; k + 1 < sorted.length; k++) {
    const answer = answers[k];
    if (answer === 'gt' || answer === undefined) throw new Error(`the real tool says ${sorted[k]} > ${sorted[k + 1]}, we sorted it before`);
    if (answer === 'lt') rank++;
    ranks.set(sorted[k + 1]!, rank);
  }
  return ranks;
}

export const sign = (n: number): -1 | 0 | 1 => (n < 0 ? -1 : n > 0 ? 1 : 0);
