/**
 * The persisted kernel parameters of a root: every sysctl.d file systemd-sysctl would apply
 * at boot, in its order, then /etc/sysctl.conf (which procps' `sysctl --system` applies last
 * and Debian links into /etc/sysctl.d as 99-sysctl.conf; it is applied once).
 *
 * Order (sysctl.d(5)): *.conf files from /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d,
 * /usr/lib/sysctl.d, /lib/sysctl.d; a file in an earlier directory masks a same-named file in a
 * later one (a link to /dev/null or an empty file masks it away); the files are applied in the
 * lexical order of their names, whatever directory they are in; a later assignment wins.
 */
import type { CheckContext } from '../../check.js';
import type { HostRoot } from '../../../core/host-root.js';
import { toSpyglassError } from '../../../core/errors.js';
import { parseSysctlFile, type SysctlAssignment } from '../config/formats/sysctl.js';

export const SYSCTL_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'] as const;
export const SYSCTL_CONF = '/etc/sysctl.conf';

export interface PersistedSysctl {
  /** every file applied, in order (host paths) */
  files: string[];
  /** every assignment of those files, in application order */
  assignments: SysctlAssignment[];
}

/** The files systemd-sysctl applies, in order, with masking (then /etc/sysctl.conf). */
export async function sysctlFiles(root: HostRoot): Promise<string[]> {
  const chosen = new Map<string, string>();
  for (const dir of SYSCTL_DIRS) {
    for (const name of await root.listDir(dir)) {
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
      real = await root.realHostPath(f);
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

/** Reads and parses the persisted set once per audit (memo key "sysctl:persisted"). */
export function persistedSysctl(ctx: CheckContext): Promise<PersistedSysctl> {
  return ctx.memo('sysctl:persisted', async () => {
    const files = await sysctlFiles(ctx.root);
    const assignments: SysctlAssignment[] = [];
    for (const f of files) {
      const st = await ctx.root.stat(f);
      if (st.isDirectory()) continue;
      assignments.push(...parseSysctlFile(await ctx.root.readText(f), f));
    }
    return { files, assignments };
  });
}
