/**
 * CVSS v3.x base scores from vector strings (FIRST CVSS v3.1 specification § 7.1 and its
 * Roundup of Appendix A), so an OSV record that only carries a vector still gets a severity
 * word people can sort by. v2 and v4 vectors are kept as they are (no score computed).
 */

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** The specification's Roundup: the smallest number with one decimal ≥ the input. */
function roundUp(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}

/** Base score of a "CVSS:3.0/…" or "CVSS:3.1/…" vector; undefined when it is not one. */
export function cvss3BaseScore(vector: string): number | undefined {
  const parts = vector.split('/');
  if (!/^CVSS:3\.[01]$/.test(parts[0] ?? '')) return undefined;
  const m: Record<string, string> = {};
  for (const p of parts.slice(1)) {
    const [k, v] = p.split(':');
    if (k && v) m[k] = v;
  }
  const av = WEIGHTS.AV[m.AV as keyof typeof WEIGHTS.AV];
  const ac = WEIGHTS.AC[m.AC as keyof typeof WEIGHTS.AC];
  const ui = WEIGHTS.UI[m.UI as keyof typeof WEIGHTS.UI];
  const c = WEIGHTS.CIA[m.C as keyof typeof WEIGHTS.CIA];
  const i = WEIGHTS.CIA[m.I as keyof typeof WEIGHTS.CIA];
  const a = WEIGHTS.CIA[m.A as keyof typeof WEIGHTS.CIA];
  const changed = m.S === 'C';
  if (m.S !== 'U' && !changed) return undefined;
  const pr = m.PR === 'N' ? 0.85 : m.PR === 'L' ? (changed ? 0.68 : 0.62) : m.PR === 'H' ? (changed ? 0.5 : 0.27) : undefined;
  if ([av, ac, ui, c, i, a, pr].some((w) => w === undefined)) return undefined;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  const exploitability = 8.22 * av! * ac! * pr! * ui!;
  if (impact <= 0) return 0;
  return roundUp(Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10));
}

/** The qualitative rating of a CVSS v3 score (none, low, medium, high, critical). */
export function cvssRating(score: number): string {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}
