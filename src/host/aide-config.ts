/**
 * AIDE's configuration as far as "which attributes does AIDE check for this path": group
 * definitions (`Name = p+i+n`), selection lines (`/path attrs`, `=/path attrs`), and the
 * include directives Debian's aide-common uses (`@@include FILE`, `@@x_include DIR REGEX`),
 * read in the order AIDE reads them. A selection's attribute expression is expanded through the
 * groups (built-in and user-defined) into the set of single attributes, with `-attr` removing one.
 * Negative selections (`!/path`) and other `@@` directives are kept out of the answer: a path
 * that AIDE ignores has no attributes. `@@x_include` runs an executable include in AIDE; here
 * every include is read as text, since the audit never runs a program.
 */
import type { HostRoot } from '../core/host-root.js';
import { SpyglassError } from '../core/errors.js';
import { compileUserRegex, type UserRegex } from '../core/user-regex.js';

/** AIDE 0.18's predefined groups (aide.conf(5)); single attributes stand for themselves. */
const BUILTIN_GROUPS: Record<string, string[]> = {
  X: ['acl', 'selinux', 'xattrs', 'e2fsattrs', 'caps'],
  R: ['p', 'ftype', 'i', 'l', 'n', 'u', 'g', 's', 'm', 'c', 'md5', 'acl', 'selinux', 'xattrs', 'e2fsattrs', 'caps'],
  L: ['p', 'ftype', 'i', 'l', 'n', 'u', 'g', 'acl', 'selinux', 'xattrs', 'e2fsattrs', 'caps'],
  '>': ['p', 'ftype', 'l', 'u', 'g', 'i', 'n', 's', 'growing', 'acl', 'selinux', 'xattrs', 'e2fsattrs', 'caps'],
  H: ['md5', 'sha1', 'sha256', 'sha512', 'rmd160', 'tiger', 'haval', 'gost', 'crc32', 'whirlpool', 'stribog256', 'stribog512'],
  E: [],
};

export interface AideSelection {
  /** the path regex as written, without the `=` (equals: this directory only) */
  path: string;
  attributes: string[];
  source: string;
  line: number;
  text: string;
}

export interface AideConfig {
  selections: AideSelection[];
  filesRead: string[];
}

const MAX_INCLUDE_DEPTH = 8;

/** Splits an attribute expression (`p+i+Group-md5`) into a set of single attributes. */
export function expandAttributes(expr: string, groups: ReadonlyMap<string, string[]>): string[] {
  const out = new Set<string>();
  for (const m of expr.matchAll(/([+-]?)([^+-]+)/g)) {
    const name = m[2]!.trim();
    if (!name) continue;
    const members = groups.get(name) ?? BUILTIN_GROUPS[name] ?? [name];
    for (const a of members) { if (m[1] === '-') out.delete(a); else out.add(a); }
  }
  return [...out];
}

async function readConfig(root: HostRoot, file: string, groups: Map<string, string[]>, config: AideConfig, depth: number): Promise<boolean> {
  const text = await root.readTextIfExists(file);
  if (text === undefined) return false;
  config.filesRead.push(file);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.replace(/\r$/, '').trim();
    if (t === '' || t.startsWith('#')) continue;
    const lineNo = i + 1;
    if (t.startsWith('@@')) {
      const words = t.split(/\s+/);
      if (words[0] !== '@@include' && words[0] !== '@@x_include') continue; // @@define, @@ifdef …: not followed
      if (depth + 1 > MAX_INCLUDE_DEPTH) throw new SpyglassError('parse_error', `${file}:${lineNo}: includes nested more than ${MAX_INCLUDE_DEPTH} deep`, { file, line: lineNo });
      const target = words[1];
      if (!target) throw new SpyglassError('parse_error', `${file}:${lineNo}: ${words[0]} needs a file or directory`, { file, line: lineNo });
      if (words[2] === undefined && !(await root.listDir(target)).length) {
        await readConfig(root, target, groups, config, depth + 1);
        continue;
      }
      // a directory with a file name regex: the files in it whose names match, in name order
      let pattern: UserRegex;
      try { pattern = compileUserRegex(words[2] ?? '^[a-zA-Z0-9_-]+$'); } catch { throw new SpyglassError('parse_error', `${file}:${lineNo}: bad file name pattern "${words[2]}"`, { file, line: lineNo }); }
      for (const name of await root.listDir(target)) if (pattern.test(name)) await readConfig(root, `${target.replace(/\/$/, '')}/${name}`, groups, config, depth + 1);
      continue;
    }
    const def = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(t);
    if (def) { groups.set(def[1]!, expandAttributes(def[2]!, groups)); continue; }
    const sel = /^(=?)(\/\S*)\s+(\S+)/.exec(t);
    if (sel) config.selections.push({ path: sel[2]!, attributes: expandAttributes(sel[3]!, groups), source: file, line: lineNo, text: t });
  }
  return true;
}

/** Reads the configuration from `file` (Debian: /etc/aide/aide.conf); undefined when it does not exist. */
export async function loadAideConfig(root: HostRoot, file: string): Promise<AideConfig | undefined> {
  const config: AideConfig = { selections: [], filesRead: [] };
  return (await readConfig(root, file, new Map(), config, 0)) ? config : undefined;
}

/** The path a selection names when its regex is a plain path (`/usr/sbin/auditctl`, `/sbin/auditctl$`). */
export function literalSelectionPath(selection: AideSelection): string | undefined {
  // an unescaped "." is a regex wildcard to AIDE but is how people write file names: taken literally
  const p = selection.path.replace(/\$$/, '').replace(/\\\./g, '.');
  return /[\\^$*+?()[\]{}|]/.test(p) ? undefined : p;
}

/**
 * The selection line written for `path` itself (the last one wins, as a later rule for the same
 * path does in AIDE). `sameFile` decides whether two host paths name one file, so that on a
 * merged-/usr system a line for /sbin/auditctl covers /usr/sbin/auditctl.
 */
export async function aideSelectionFor(config: AideConfig, path: string, sameFile: (a: string, b: string) => Promise<boolean>): Promise<AideSelection | undefined> {
  const base = path.slice(path.lastIndexOf('/') + 1);
  let found: AideSelection | undefined;
  for (const s of config.selections) {
    const literal = literalSelectionPath(s);
    if (literal === undefined || !literal.endsWith(`/${base}`)) continue;
    if (literal === path || (await sameFile(literal, path))) found = s;
  }
  return found;
}
