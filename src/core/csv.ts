/**
 * CSV fields (RFC 4180) that a spreadsheet opens as text. Every CSV Spyglass writes (audit
 * report, vulnerability report, query output) carries text from profiles, feeds or the host,
 * so a cell an attacker wrote must never become a formula when a person opens the file.
 */

// A spreadsheet reads a cell starting with one of these as a formula (or, for tab and CR, a
// leading blank it strips before looking again).
const FORMULA_START = /^[=+\-@\t\r]/;
// ...but a number with a sign is a number, and a CSV of uids or offsets keeps it as one.
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One field: quoted when it holds a quote, comma or line break; a would-be formula gets a
 * leading apostrophe (the spreadsheets' "this is text" mark) and quotes.
 *
 *   csvField('a,b') === '"a,b"'; csvField('=1+1') === `"'=1+1"`; csvField('-5') === '-5'
 */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record: the fields escaped and joined (no line ending). */
export function csvRecord(values: readonly string[]): string {
  return values.map(csvField).join(',');
}
