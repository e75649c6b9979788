/**
 * Differential results as osquery computes them: a result set is a multiset of rows; `added`
 * is what the new set has more of, `removed` what the old set had more of. Rows are compared
 * as canonical JSON of their osquery log form (every value a string, keys sorted), so a column
 * order change or a number/text difference of the same value is no change.
 */
import type { SqlValue } from '../table.js';

/** osquery logs every column value as a string (numerics off); NULL as "". */
export function logValue(v: SqlValue): string {
  if (v === null || v === undefined) return '';
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return String(v);
}

/** One row in log form: column -> string, keys sorted (duplicate names: the last wins). */
export function logRow(columns: string[], values: SqlValue[]): Record<string, string> {
  const entries = columns.map((c, i) => [c, logValue(values[i] ?? null)] as const);
  const obj: Record<string, string> = {};
  for (const [k, v] of entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) obj[k] = v;
  return obj;
}

export function canonicalRow(row: Record<string, string>): string {
  return JSON.stringify(row);
}

/** Multiset difference of two lists of canonical rows. */
export function diffRows(previous: string[], current: string[]): { added: string[]; removed: string[] } {
  const counts = new Map<string, number>();
  for (const r of previous) counts.set(r, (counts.get(r) ?? 0) + 1);
  const added: string[] = [];
  for (const r of current) {
    const n = counts.get(r) ?? 0;
    if (n > 0) counts.set(r, n - 1);
    else added.push(r);
  }
  const removed: string[] = [];
  for (const r of previous) {
    const n = counts.get(r) ?? 0;
    if (n > 0) { removed.push(r); counts.set(r, n - 1); }
  }
  return { added, removed };
}
