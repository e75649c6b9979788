/**
 * /etc/login.defs (shadow-utils' defaults: UID_MIN, PASS_MAX_DAYS, …) read exactly as
 * shadow's getdef.c reads it, so every consumer sees the value the tools act on:
 * - `NAME value` per line; `#` starts a comment only at the start of a line;
 * - trailing blanks are dropped; a line with one field is skipped;
 * - the value starts after the blanks *and quotes* that follow the name, and ends at the next
 *   quote: `PASS_MAX_DAYS "90"` and `PASS_MAX_DAYS "90` both read 90 (an unbalanced quote is
 *   not an error to shadow, so it is not one here), `ENV_PATH "PATH=/bin"` reads PATH=/bin;
 * - a "# comment" after a value is part of the value, so `PASS_MAX_DAYS 90 # x` is not a
 *   number (shadow's getdef_num then falls back to its default);
 * - a later line for the same name replaces an earlier one; names are case-sensitive.
 */
import type { HostRoot } from '../core/host-root.js';

export const LOGIN_DEFS_PATH = '/etc/login.defs';

export interface LoginDefsEntry {
  name: string;
  value: string;
  source: string;
  line: number;
}

export function parseLoginDefs(text: string, source = LOGIN_DEFS_PATH): LoginDefsEntry[] {
  const out: LoginDefsEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const buf = lines[i]!.replace(/\s+$/, '');
    const name = buf.replace(/^[ \t]+/, '');
    if (name === '' || name.startsWith('#')) continue;
    const end = name.search(/[ \t]/);
    if (end < 0) continue; // only one field: shadow skips it
    let value = name.slice(end + 1).replace(/^[ \t"]+/, '');
    const quote = value.indexOf('"');
    if (quote >= 0) value = value.slice(0, quote);
    out.push({ name: name.slice(0, end), value, source, line: i + 1 });
  }
  return out;
}

/** The entry in effect for a name: the last one. */
export function loginDefsValue(entries: readonly LoginDefsEntry[], name: string): LoginDefsEntry | undefined {
  let found: LoginDefsEntry | undefined;
  for (const e of entries) if (e.name === name) found = e;
  return found;
}

/**
 * A numeric setting as getdef_num / getdef_ulong take it: the whole value an integer in C's
 * base-0 notation (decimal, octal with a leading 0 as in `UMASK 022`, hex with 0x), else
 * `fallback` (shadow logs "cannot parse" and uses its default). `line` says where it came from.
 */
export function loginDefsNumber(entries: readonly LoginDefsEntry[], name: string, fallback: number): { value: number; line?: number } {
  const found = loginDefsValue(entries, name);
  const n = found === undefined ? undefined : parseCInteger(found.value);
  return n === undefined ? { value: fallback } : { value: n, line: found!.line };
}

/** strtol(value, &end, 0) accepting only when all of the value was a number. */
function parseCInteger(value: string): number | undefined {
  const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))$/.exec(value);
  if (!m) return undefined;
  const magnitude = m[2] !== undefined ? Number.parseInt(m[2], 16) : m[3] !== undefined ? Number.parseInt(m[3], 8) : Number(m[4]);
  return m[1] === '-' ? -magnitude : magnitude;
}

/** The root's login.defs entries; undefined when the file does not exist (other errors throw). */
export async function readLoginDefs(root: HostRoot, path = LOGIN_DEFS_PATH): Promise<LoginDefsEntry[] | undefined> {
  const text = await root.readTextIfExists(path);
  return text === undefined ? undefined : parseLoginDefs(text, path);
}

export function readLoginDefsSync(root: HostRoot, path = LOGIN_DEFS_PATH): LoginDefsEntry[] | undefined {
  const text = root.readTextIfExistsSync(path);
  return text === undefined ? undefined : parseLoginDefs(text, path);
}
