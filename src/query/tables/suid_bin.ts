/**
 * osquery's `suid_bin`: set-user-ID and set-group-ID executables in the system's binary
 * directories (/bin, /sbin, /usr/bin, /usr/sbin, /usr/local/bin, /usr/local/sbin, plus
 * /usr/lib and /usr/libexec where helpers like ssh-keysign and dbus-daemon-launch-helper
 * live), walked two directory levels deep without following links, read through the root.
 * `permissions` is osquery's "u+s", "g+s" or "u+s,g+s"; owner and group names come from
 * the root's passwd and group files (the number when there is no entry).
 */
import fs from 'node:fs';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { localGroups, localUsers } from '../table-support/host-files.js';

const spec = osqueryTableSpec('suid_bin');

export const SUID_DIRS = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/usr/lib', '/usr/libexec'];
/** Two levels of subdirectories: deep enough for /usr/lib/x86_64-linux-gnu/utempter/utempter, shallow enough to skip language trees. */
const MAX_DEPTH = 2;

export const table: Table = {
  spec,
  *generate(ctx) {
    const users = new Map(localUsers(ctx.root).map((u) => [u.uid, u.name]));
    const groups = new Map(localGroups(ctx.root).map((g) => [g.gid, g.name]));
    const seen = new Set<string>(); // /bin may be a link to /usr/bin: each real directory once
    function* walk(hostDir: string, depth: number): Generator<Row> {
      let real: string;
      try { real = fs.realpathSync(ctx.root.join(hostDir)); } catch { return; }
      if (!ctx.root.isLive && !real.startsWith(ctx.root.dir)) return;
      if (seen.has(real)) return;
      seen.add(real);
      let entries: fs.Dirent[];
      try { entries = fs.readdirSync(real, { withFileTypes: true }); } catch { return; }
      entries.sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const e of entries) {
        const hostPath = `${hostDir === '/' ? '' : hostDir}/${e.name}`;
        if (e.isDirectory()) { if (depth < MAX_DEPTH) yield* walk(hostPath, depth + 1); continue; }
        if (!e.isFile()) continue;
        let st: fs.Stats;
        try { st = fs.lstatSync(`${real}/${e.name}`); } catch { continue; }
        const suid = (st.mode & 0o4000) !== 0;
        const sgid = (st.mode & 0o2000) !== 0;
        if (!suid && !sgid) continue;
        yield {
          path: ctx.root.isLive ? `${real}/${e.name}` : ctx.root.toHostPath(`${real}/${e.name}`),
          username: users.get(st.uid) ?? String(st.uid), groupname: groups.get(st.gid) ?? String(st.gid),
          permissions: [suid ? 'u+s' : '', sgid ? 'g+s' : ''].filter(Boolean).join(','), pid_with_namespace: null,
        };
      }
    }
    for (const dir of SUID_DIRS) yield* walk(dir, 0);
  },
};
