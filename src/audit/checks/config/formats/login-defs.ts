/**
 * /etc/login.defs as shadow's getdef.c reads it: `NAME value` per line, `#` comments only at
 * the start of a line, the value runs to the end of the line (trailing blanks dropped, a
 * leading quote skipped and the value cut at the next quote), and a later line for the same
 * name replaces an earlier one. (A "# comment" after a value is part of the value, as shadow
 * reads it, so `PASS_MAX_DAYS 90 # x` is not a number.)
 */

export interface LoginDefsEntry {
  name: string;
  value: string;
  source: string;
  line: number;
}

export function parseLoginDefs(text: string, source: string): LoginDefsEntry[] {
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

/** The entry in effect for a name: the last one (names are case-sensitive, as in shadow). */
export function loginDefsValue(entries: readonly LoginDefsEntry[], name: string): LoginDefsEntry | undefined {
  let found: LoginDefsEntry | undefined;
  for (const e of entries) if (e.name === name) found = e;
  return found;
}
