/**
 * Mount tables of a root: the live one (`/proc/self/mounts`, the kernel's view) and the
 * persisted one (`/etc/fstab`), both in fstab(5) format with octal escapes (`\040` for a
 * space), plus systemd `.mount` unit files (`tmp.mount`) and the path ↔ unit name escaping.
 * Used by the mount check, the file_tree scan (to skip pseudo and network filesystems) and
 * the mounts table.
 */
import type { UnitSettings } from './systemd-units.js';
import type { HostRoot } from '../core/host-root.js';

export interface MountEntry {
  /** what is mounted: a device, UUID=…, a pseudo source such as "tmpfs" */
  source: string;
  /** mount point (host path) */
  target: string;
  fstype: string;
  options: string[];
  /** 1-based line in the file it came from */
  line: number;
}

/** Undoes the octal escapes the kernel writes in mount tables (space \040, tab \011, newline \012, backslash \134). */
export function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** Parses /proc/self/mounts, /proc/mounts, /etc/mtab or /etc/fstab text. Comments and swap lines are kept out. */
export function parseMountTable(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const f = line.split(/\s+/);
    if (f.length < 3) return;
    const target = unescapeMountField(f[1]!);
    if (f[2] === 'swap' || target === 'none' && f[2] === 'swap') return;
    out.push({ source: unescapeMountField(f[0]!), target: normalizeMountPoint(target), fstype: f[2]!, options: (f[3] ?? 'defaults').split(','), line: i + 1 });
  });
  return out;
}

export function normalizeMountPoint(p: string): string {
  if (!p.startsWith('/')) return p;
  const trimmed = p.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.replace(/\/{2,}/g, '/');
}

/** The mount table in a file of the root (/proc/self/mounts, /etc/fstab), or undefined when it does not exist. */
export async function readMountTable(root: HostRoot, hostPath: string): Promise<MountEntry[] | undefined> {
  const text = await root.readTextIfExists(hostPath);
  return text === undefined ? undefined : parseMountTable(text);
}

export function readMountTableSync(root: HostRoot, hostPath: string): MountEntry[] | undefined {
  const text = root.readTextIfExistsSync(hostPath);
  return text === undefined ? undefined : parseMountTable(text);
}

/** The entry that is in effect for a mount point: the last one listed (mounted on top). */
export function findMount(entries: MountEntry[], mountPoint: string): MountEntry | undefined {
  const want = normalizeMountPoint(mountPoint);
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i]!.target === want) return entries[i];
  return undefined;
}

/**
 * Options in effect, with the defaults a mount gets when a pair is not mentioned made
 * explicit (rw, suid, dev, exec), `defaults` expanded and the noexec,nosuid,nodev that `user`
 * implies added, so "exec" can be forbidden even when fstab only says "defaults". Later options
 * win within a pair, as mount(8) applies them.
 */
export function effectiveMountOptions(options: readonly string[]): Set<string> {
  const pairs: [string, string][] = [['rw', 'ro'], ['suid', 'nosuid'], ['dev', 'nodev'], ['exec', 'noexec']];
  // `defaults` expands in place; `user` / `users` imply noexec,nosuid,nodev unless later options say otherwise (mount(8))
  const expanded = options.flatMap((o) => (o === 'defaults' ? ['rw', 'suid', 'dev', 'exec', 'auto', 'nouser', 'async']
    : o === 'user' || o === 'users' ? [o, 'noexec', 'nosuid', 'nodev'] : [o]));
  const out = new Set<string>();
  for (const o of expanded) {
    const pair = pairs.find(([a, b]) => o === a || o === b);
    if (pair) out.delete(o === pair[0] ? pair[1] : pair[0]);
    out.add(o);
  }
  for (const [positive, negative] of pairs) if (!out.has(positive) && !out.has(negative)) out.add(positive);
  return out;
}

/** systemd-escape --path: "/var/log/audit" → "var-log-audit", "/" → "-". */
export function systemdEscapePath(p: string): string {
  const trimmed = normalizeMountPoint(p).replace(/^\/+/, '');
  if (trimmed === '') return '-';
  let out = '';
  for (const [i, ch] of [...trimmed].entries()) {
    if (ch === '/') out += '-';
    else if (/[A-Za-z0-9:_]/.test(ch) || (ch === '.' && i > 0)) out += ch;
    else out += [...Buffer.from(ch)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
  }
  return out;
}

/** The [Mount] section of a .mount unit (What=, Where=, Type=, Options=), from the settings systemd-units.ts read: drop-ins applied, last assignment wins. */
export function mountUnitOf(settings: UnitSettings): MountUnit {
  const value = (key: string) => settings.get('Mount')?.get(key)?.at(-1);
  const what = value('What'), where = value('Where'), type = value('Type');
  return {
    ...(what !== undefined ? { what } : {}), ...(where !== undefined ? { where } : {}), ...(type !== undefined ? { type } : {}),
    options: (value('Options') ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  };
}

export interface MountUnit { what?: string; where?: string; type?: string; options: string[] }
