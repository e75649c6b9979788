/**
 * sysctl.d(5) files: `key = value` lines, `#` / `;` comments, keys with dots or slashes, a
 * leading `-` (ignore errors when applying; without a value it excludes the key from glob
 * assignments), glob patterns in keys. Parsing keeps every assignment with its file:line;
 * `effectiveSysctl` answers which one wins for a key, as systemd-sysctl decides.
 */
import picomatch from 'picomatch';

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
