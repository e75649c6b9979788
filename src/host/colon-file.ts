/**
 * The shared shape of the account databases (passwd, shadow, group, gshadow): one entry per
 * line, fields split at ':', `#` comment lines, and NIS compatibility lines (`+`, `-`) kept
 * apart. Each format module (passwd.ts, shadow.ts, ...) supplies its field count and field
 * parser; this module turns text into entries with 1-based line numbers so checks can cite
 * file:line, and reports malformed lines instead of guessing at them.
 */

/** A NIS compatibility line (`+`, `+name`, `-name`, `+@netgroup`), kept as written. */
export interface LegacyEntry { text: string; line: number }
/** A line that is not a valid entry, with the reason. */
export interface MalformedLine { text: string; line: number; reason: string }

export interface AccountFile<T> {
  /** host path, e.g. "/etc/passwd" */
  path: string;
  entries: T[];
  legacy: LegacyEntry[];
  malformed: MalformedLine[];
}

export const NUMERIC_ID = /^\d+$/;

/** A comma-separated member list ("alice,bob"), blanks dropped. */
export function memberList(field: string | undefined): string[] {
  return (field ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * Splits a colon file into lines, handing each entry line (its fields and line number) to
 * `parse`, which returns the entry or the reason it is malformed.
 */
export function parseColonFile<T>(text: string, path: string, fieldCount: number, parse: (fields: string[], line: number) => T | string): AccountFile<T> {
  const out: AccountFile<T> = { path, entries: [], legacy: [], malformed: [] };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = i + 1;
    const text = raw.replace(/\r$/, '');
    if (text.trim() === '' || text.startsWith('#')) return;
    if (text.startsWith('+') || text.startsWith('-')) { out.legacy.push({ text, line }); return; }
    const f = text.split(':');
    if (f.length !== fieldCount) { out.malformed.push({ text, line, reason: `${f.length} fields, expected ${fieldCount}` }); return; }
    if (!f[0]) { out.malformed.push({ text, line, reason: 'empty name' }); return; }
    const entry = parse(f, line);
    if (typeof entry === 'string') out.malformed.push({ text, line, reason: entry });
    else out.entries.push(entry);
  });
  return out;
}
