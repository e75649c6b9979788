/**
 * KEY=VALUE files: systemd environment files and shell variable files such as /etc/default/*.
 * `#` starts a comment line; `export KEY=value` is accepted; values may be single- or
 * double-quoted (backslash escapes inside double quotes); an unquoted value ends at
 * whitespace followed by `#`. A later assignment of the same key wins, as in a shell.
 */
import { SpyglassError } from '../core/errors.js';

export interface KeyValueEntry {
  key: string;
  value: string;
  source: string;
  line: number;
}

function unquote(raw: string, source: string, line: number): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      if (end < 0) throw new SpyglassError('parse_error', `${source}:${line}: unterminated single quote`, { file: source, line });
      out += raw.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < raw.length && raw[j] !== '"'; j++) {
        if (raw[j] === '\\' && j + 1 < raw.length && /["\\$`]/.test(raw[j + 1]!)) j++;
        out += raw[j];
      }
      if (j >= raw.length) throw new SpyglassError('parse_error', `${source}:${line}: unterminated double quote`, { file: source, line });
      i = j + 1;
    } else if (/\s/.test(c)) {
      // unquoted whitespace ends the value; the rest may only be a comment
      break;
    } else {
      if (c === '\\' && i + 1 < raw.length) { out += raw[i + 1]; i += 2; continue; }
      out += c;
      i++;
    }
  }
  return out;
}

/** Parses every assignment; lines that are not assignments (shell code) are skipped. */
export function parseKeyValue(text: string, source: string): KeyValueEntry[] {
  const out: KeyValueEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.replace(/\r$/, '').trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(t);
    if (!m) continue;
    out.push({ key: m[1]!, value: unquote(m[2]!, source, i + 1), source, line: i + 1 });
  }
  return out;
}

export function keyValueValue(entries: readonly KeyValueEntry[], key: string): KeyValueEntry | undefined {
  let found: KeyValueEntry | undefined;
  for (const e of entries) if (e.key === key) found = e;
  return found;
}
