/**
 * The effective modprobe configuration of a root, as kmod reads it: `*.conf` files from
 * /etc/modprobe.d, /run/modprobe.d, /usr/local/lib/modprobe.d, /usr/lib/modprobe.d and
 * /lib/modprobe.d; a file name in an earlier directory hides the same name in later ones;
 * the surviving files are read in lexical order of their names. Lines continue with a
 * trailing backslash; `#` starts a comment. For `install`, the first matching line wins
 * (kmod_module_get_install_commands); module names (and patterns) are normalised `-` → `_`.
 * Directives kept: install, blacklist, options, remove, alias, softdep (as `command` + `rest`).
 */
import type { HostRoot } from '../core/host-root.js';
import { normalizeModuleName } from './kernel-modules.js';
import { compileUserRegex } from '../core/user-regex.js';

export const MODPROBE_DIRS = ['/etc/modprobe.d', '/run/modprobe.d', '/usr/local/lib/modprobe.d', '/usr/lib/modprobe.d', '/lib/modprobe.d'];

export interface ModprobeDirective {
  command: string;
  /** module name or fnmatch pattern, normalised */
  module: string;
  /** the rest of the line (the install command, the options, …) */
  rest: string;
  file: string;
  line: number;
  text: string;
}

export interface ModprobeConfig {
  files: string[];
  /** files hidden by a same-named file in a higher-priority directory */
  shadowed: { file: string; by: string }[];
  directives: ModprobeDirective[];
}

/** Parses one modprobe.d file. */
export function parseModprobeFile(text: string, file: string): ModprobeDirective[] {
  const out: ModprobeDirective[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i]!;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = /^(\S+)\s+(\S+)\s*(.*)$/.exec(trimmed);
    if (!m) continue;
    out.push({ command: m[1]!, module: normalizeModuleName(m[2]!), rest: m[3]!, file, line: start, text: trimmed });
  }
  return out;
}

/** The effective configuration of the root (sync: a handful of small files, one walk for every caller). */
export function readModprobeConfigSync(root: HostRoot): ModprobeConfig {
  const chosen = new Map<string, string>();
  const shadowed: { file: string; by: string }[] = [];
  for (const dir of MODPROBE_DIRS) {
    for (const name of root.listDirSync(dir)) {
      if (!name.endsWith('.conf')) continue;
      const file = `${dir}/${name}`;
      let st;
      try { st = root.statSync(file); } catch { st = undefined; }
      if (st && !st.isFile() && !st.isCharacterDevice()) continue;
      const winner = chosen.get(name);
      if (winner) shadowed.push({ file, by: winner });
      else chosen.set(name, file);
    }
  }
  const names = [...chosen.keys()].sort();
  const directives: ModprobeDirective[] = [];
  const files: string[] = [];
  for (const name of names) {
    const file = chosen.get(name)!;
    const text = readMaskableSync(root, file);
    files.push(file);
    directives.push(...parseModprobeFile(text, file));
  }
  return { files, shadowed, directives };
}

export async function readModprobeConfig(root: HostRoot): Promise<ModprobeConfig> {
  return readModprobeConfigSync(root);
}

/** A file's text; a symlink to /dev/null (how a vendor file is masked) reads as empty, even offline. */
function readMaskableSync(root: HostRoot, file: string): string {
  const st = root.lstatSync(file);
  if (st.isSymbolicLink() && root.readlinkSync(file) === '/dev/null') return '';
  return root.readTextSync(file);
}

/** fnmatch(3) without flags, as kmod matches install/remove patterns. */
export function fnmatch(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) { re += '\\['; continue; }
      let set = pattern.slice(i + 1, end);
      if (set.startsWith('!')) set = '^' + set.slice(1);
      re += `[${set.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  // on RE2: a glob of many `*` would backtrack for minutes on a long name
  try {
    return compileUserRegex(re + '$').test(name);
  } catch {
    return false; // a bracket set RE2 refuses matches nothing, as an invalid glob
  }
}

/** The install line modprobe would run for a module (first match), if any. */
export function effectiveInstall(config: ModprobeConfig, module: string): ModprobeDirective | undefined {
  const name = normalizeModuleName(module);
  return config.directives.find((d) => d.command === 'install' && fnmatch(d.module, name));
}

export function blacklistLines(config: ModprobeConfig, module: string): ModprobeDirective[] {
  const name = normalizeModuleName(module);
  return config.directives.filter((d) => d.command === 'blacklist' && d.module === name);
}

/** Whether an install command makes loading fail or do nothing: /bin/false, /bin/true and friends. */
export function installDisables(rest: string): boolean {
  const first = rest.trim().split(/\s+/)[0] ?? '';
  return /^(?:(?:\/usr)?\/bin\/)?(?:false|true)$/.test(first);
}
