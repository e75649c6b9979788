/**
 * The directories that can end up in root's PATH, read from files: login.defs ENV_SUPATH (what
 * su and login give root), and every literal PATH assignment in the files a root login shell
 * reads (/etc/environment, /etc/profile and profile.d, bash.bashrc, root's dot files). root's
 * actual PATH exists only in a running shell, which the audit does not start; checking every
 * directory any of those assignments names is the offline reading, and stricter than one shell.
 * `$HOME` expands to root's home; other expansions (`$PATH`) are left out, since they repeat
 * entries checked where they are assigned.
 */
import type { HostRoot } from '../../../core/host-root.js';
import { loginDefsValue, readLoginDefs } from '../../../host/login-defs.js';

export const ROOT_SHELL_FILES = ['/etc/environment', '/etc/profile', '/etc/profile.d/*.sh', '/etc/bash.bashrc', '/root/.profile', '/root/.bash_profile', '/root/.bash_login', '/root/.bashrc'];

export interface PathEntry {
  /** the directory as written ('' for an empty entry) */
  dir: string;
  source: string;
  line: number;
  assignment: string;
}

/** Splits one PATH value into its entries, expanding $HOME; entries that use other variables are dropped. */
export function pathEntries(value: string, home: string): string[] {
  return value.split(':').map((d) => d.replace(/^\$\{?HOME\}?(?=\/|$)/, home)).filter((d) => !d.includes('$'));
}

/**
 * Literal PATH assignments anywhere on a shell line (`PATH=…`, `export PATH=…`, and after
 * `then` or `;` as in Debian's /etc/profile), with quotes removed; comment lines skipped.
 */
export function pathAssignments(text: string): { value: string; line: number }[] {
  const out: { value: string; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim().startsWith('#')) return;
    for (const m of raw.matchAll(/(?:^|[\s;&|(])(?:export\s+)?PATH=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s;&|)]*)/g)) {
      const v = m[1]!;
      out.push({ value: v.startsWith('"') || v.startsWith("'") ? v.slice(1, -1) : v, line: i + 1 });
    }
  });
  return out;
}

export async function rootPathEntries(root: HostRoot, home: string): Promise<{ entries: PathEntry[]; filesRead: string[] }> {
  const entries: PathEntry[] = [];
  const filesRead: string[] = [];
  const defs = await readLoginDefs(root);
  const supath = defs ? loginDefsValue(defs, 'ENV_SUPATH') : undefined;
  if (supath) {
    filesRead.push('/etc/login.defs');
    const value = supath.value.replace(/^PATH=/, '');
    for (const dir of pathEntries(value, home)) entries.push({ dir, source: '/etc/login.defs', line: supath.line, assignment: `ENV_SUPATH ${supath.value}` });
  }
  for (const pattern of ROOT_SHELL_FILES) {
    const files = pattern.includes('*') ? await root.glob(pattern) : [pattern];
    for (const file of files) {
      const text = await root.readTextIfExists(file);
      if (text === undefined) continue;
      filesRead.push(file);
      for (const a of pathAssignments(text)) {
        for (const dir of pathEntries(a.value, home)) entries.push({ dir, source: file, line: a.line, assignment: `PATH=${a.value}` });
      }
    }
  }
  return { entries, filesRead };
}
