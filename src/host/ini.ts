/**
 * INI files as systemd reads its own (journald.conf, logind.conf, …): `[Section]` headers,
 * `Key=Value` with blanks around `=`, `#` and `;` comment lines, a trailing backslash continues
 * a line; a later assignment wins. Drop-ins (`<name>.d/*.conf` under /etc, /run,
 * /usr/local/lib and /usr/lib) are applied after the main file, in file-name order, a file in
 * an earlier directory masking a same-named one in a later directory.
 */
import path from 'node:path';
import { SpyglassError } from '../core/errors.js';
import type { HostRoot } from '../core/host-root.js';

export interface IniEntry {
  /** '' for keys before any section header */
  section: string;
  key: string;
  value: string;
  source: string;
  line: number;
}

export function parseIni(text: string, source: string): IniEntry[] {
  const out: IniEntry[] = [];
  const lines = text.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let t = lines[i]!.replace(/\r$/, '').trim();
    while (t.endsWith('\\') && i + 1 < lines.length) t = t.slice(0, -1) + ' ' + lines[++i]!.replace(/\r$/, '').trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    if (t.startsWith('[')) {
      if (!t.endsWith(']')) throw new SpyglassError('parse_error', `${source}:${lineNo}: section header without "]"`, { file: source, line: lineNo });
      section = t.slice(1, -1).trim();
      continue;
    }
    const eq = t.indexOf('=');
    if (eq < 0) throw new SpyglassError('parse_error', `${source}:${lineNo}: expected key=value`, { file: source, line: lineNo });
    out.push({ section, key: t.slice(0, eq).trim(), value: t.slice(eq + 1).trim(), source, line: lineNo });
  }
  return out;
}

export function iniValue(entries: readonly IniEntry[], section: string, key: string): IniEntry | undefined {
  let found: IniEntry | undefined;
  for (const e of entries) if (e.section === section && e.key === key) found = e;
  return found;
}

const DROPIN_PREFIXES = ['/etc', '/run', '/usr/local/lib', '/usr/lib'];

/** The drop-in files systemd applies after `mainPath`, in order. */
export async function iniDropins(root: HostRoot, mainPath: string): Promise<string[]> {
  const rel = mainPath.startsWith('/etc/') ? mainPath.slice('/etc'.length) : undefined;
  const dirs = rel ? DROPIN_PREFIXES.map((p) => `${p}${rel}.d`) : [`${mainPath}.d`];
  const chosen = new Map<string, string>();
  for (const dir of dirs) {
    for (const name of await root.listDir(dir)) {
      if (name.endsWith('.conf') && !chosen.has(name)) chosen.set(name, path.posix.join(dir, name));
    }
  }
  return [...chosen.keys()].sort().map((n) => chosen.get(n)!);
}
