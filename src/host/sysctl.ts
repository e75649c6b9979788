/**
 * Persisted kernel parameters: sysctl.d(5) files and /etc/sysctl.conf.
 *
 * Format: `key = value` lines, `#` / `;` comments, keys with dots or slashes, a leading `-`
 * (ignore errors when applying; without a value it excludes the key from glob assignments),
 * glob patterns in keys (`net.ipv4.conf.*.rp_filter`). Parsing keeps every assignment with
 * its file:line; `effectiveSysctl` answers which one wins for a key, as systemd-sysctl decides.
 *
 * Files (sysctl.d(5)): *.conf from /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d,
 * /usr/lib/sysctl.d, /lib/sysctl.d; a file in an earlier directory masks a same-named file in
 * a later one (a link to /dev/null masks it away); the files are applied in the lexical order
 * of their names, whatever directory they are in; then /etc/sysctl.conf, which procps'
 * `sysctl --system` applies last and Debian links into /etc/sysctl.d as 99-sysctl.conf (it
 * is applied once).
 *
 * Globs are expanded against the root's /proc/sys, as systemd-sysctl expands them when it
 * applies them: `effectiveSysctlValues` gives every existing parameter a glob reaches.
 */
import picomatch from 'picomatch';
import type { HostRoot } from '../core/host-root.js';
import { SpyglassError, toSpyglassError } from '../core/errors.js';

export interface SysctlAssignment {
  /** the key in /proc/sys path form (net/ipv4/ip_forward), see normalizeSysctlKey */
  key: string;
  /** the key as written */
  written: string;
  /** undefined for an exclusion line (`-net.ipv4.conf.all.rp_filter` with no value) */
  value: string | undefined;
  ignoreErrors: boolean;
  glob: boolean;
  source: string;
  line: number;
}

/**
 * The /proc/sys path form of a key: if the first separator is a dot, dots and slashes are
 * interchanged (net.ipv4.conf.eth0/100.rp_filter → net/ipv4/conf/eth0.100/rp_filter);
 * if it is a slash, the key is left as it is.
 */
export function normalizeSysctlKey(key: string): string {
  const k = key.trim().replace(/^\/+/, '');
  const firstSep = k.search(/[./]/);
  if (firstSep < 0 || k[firstSep] === '/') return k;
  return k.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/** The dotted form people write (net.ipv4.ip_forward), from the path form. */
export function dottedSysctlKey(pathKey: string): string {
  return pathKey.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}

/** Collapses whitespace the way the kernel prints multi-value parameters ("32768\t60999" → "32768 60999"). */
export function normalizeSysctlValue(value: string): string {
  return value.trim().split(/\s+/).join(' ');
}

/**
 * Parses one file. Lines that are not assignments are ignored, as systemd-sysctl ignores them
 * (with a warning), so they never change an effective value.
 */
export function parseSysctlFile(text: string, source: string): SysctlAssignment[] {
  const out: SysctlAssignment[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    let ignoreErrors = false;
    if (line.startsWith('-')) {
      ignoreErrors = true;
      line = line.slice(1).trimStart();
    }
    const eq = line.indexOf('=');
    const written = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (written === '') continue;
    if (eq < 0 && !ignoreErrors) continue; // "not an assignment": ignored by systemd-sysctl
    const value = eq < 0 ? undefined : normalizeSysctlValue(line.slice(eq + 1));
    const key = normalizeSysctlKey(written);
    out.push({ key, written, value, ignoreErrors, glob: picomatch.scan(key).isGlob, source, line: i + 1 });
  }
  return out;
}

/**
 * Which assignment sets `key` (any form) after applying `assignments` in order, the way
 * systemd-sysctl does: an explicit assignment of the key beats every glob whatever the order
 * (the last explicit one wins); an exclusion line (`-key` without value) keeps globs off the
 * key; otherwise the last glob assignment matching the key wins. undefined: not set.
 */
export function effectiveSysctl(assignments: readonly SysctlAssignment[], key: string): SysctlAssignment | undefined {
  const k = normalizeSysctlKey(key);
  let explicit: SysctlAssignment | undefined;
  let fromGlob: SysctlAssignment | undefined;
  for (const a of assignments) {
    if (!a.glob) {
      if (a.key === k) explicit = a;
      continue;
    }
    if (a.value !== undefined && picomatch.isMatch(k, a.key, { dot: true })) fromGlob = a;
  }
  if (explicit) return explicit.value === undefined ? undefined : explicit;
  return fromGlob;
}

export const SYSCTL_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'] as const;
export const SYSCTL_CONF = '/etc/sysctl.conf';

export interface PersistedSysctl {
  /** every file applied, in order (host paths) */
  files: string[];
  /** every assignment of those files, in application order */
  assignments: SysctlAssignment[];
  /** files that exist but could not be read (permission denied, ...): the set may be incomplete */
  problems: SpyglassError[];
}

/**
 * The files systemd-sysctl applies, in order, with masking (then /etc/sysctl.conf). Sync:
 * the SQL table and the audit (through `readPersistedSysctl`) share this one walk.
 */
export function sysctlFilesSync(root: HostRoot): string[] {
  const chosen = new Map<string, string>();
  for (const dir of SYSCTL_DIRS) {
    for (const name of root.listDirSync(dir)) {
      if (!name.endsWith('.conf') || chosen.has(name)) continue;
      chosen.set(name, `${dir}/${name}`);
    }
  }
  const ordered = [...chosen.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => chosen.get(n)!);
  const files: string[] = [];
  const seen = new Set<string>();
  for (const f of [...ordered, SYSCTL_CONF]) {
    let real: string;
    try {
      real = root.realHostPathSync(f);
    } catch (err) {
      const e = toSpyglassError(err, 'io_error', { path: f });
      if (e.code === 'not_found' || e.code === 'not_directory') continue; // dangling link, or no /etc/sysctl.conf
      throw e;
    }
    if (real === '/dev/null') continue; // masked
    if (seen.has(real)) continue; // /etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf: applied once
    seen.add(real);
    files.push(f);
  }
  return files;
}

/** Every persisted assignment of the root, in application order. */
export function readPersistedSysctlSync(root: HostRoot): PersistedSysctl {
  const files = sysctlFilesSync(root);
  const assignments: SysctlAssignment[] = [];
  const problems: SpyglassError[] = [];
  for (const f of files) {
    try {
      if (root.statSync(f).isDirectory()) continue;
      assignments.push(...parseSysctlFile(root.readTextSync(f), f));
    } catch (err) {
      problems.push(toSpyglassError(err, 'io_error', { path: f }));
    }
  }
  return { files, assignments, problems };
}

/**
 * The same for the audit. The files are a few small ones under /etc and /usr/lib, so the one
 * sync walk serves both (two walks could drift apart, which is what this module prevents).
 */
export async function readPersistedSysctl(root: HostRoot): Promise<PersistedSysctl> {
  return readPersistedSysctlSync(root);
}

/**
 * The configured value of every parameter the assignments reach, keyed by /proc/sys path
 * form (net/ipv4/conf/all/rp_filter): explicit keys as written, glob keys expanded against
 * the root's /proc/sys the way systemd-sysctl applies them (a glob only reaches parameters
 * that exist), each resolved with `effectiveSysctl`'s precedence.
 */
export function effectiveSysctlValues(root: HostRoot, assignments: readonly SysctlAssignment[]): Map<string, SysctlAssignment> {
  const keys = new Set<string>();
  for (const a of assignments) {
    if (!a.glob) keys.add(a.key);
    else if (a.value !== undefined) for (const p of root.globSync(`/proc/sys/${a.key}`)) keys.add(p.slice('/proc/sys/'.length));
  }
  const out = new Map<string, SysctlAssignment>();
  for (const k of keys) {
    const winner = effectiveSysctl(assignments, k);
    if (winner) out.set(k, winner);
  }
  return out;
}
