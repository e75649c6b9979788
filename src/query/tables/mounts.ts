/**
 * osquery's `mounts`: the mount table of the running system (/proc/mounts, live root only)
 * with statfs(2) figures for each mount point. `device_alias` is the device path with
 * symlinks resolved (e.g. /dev/mapper/x -> /dev/dm-0), as osquery reports it.
 */
import fs from 'node:fs';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { lines, readTextSync } from './host-files.js';

const spec = osqueryTableSpec('mounts', { liveOnly: true });

/** /proc/mounts escapes space, tab, newline and backslash as \ooo. */
export function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const text = readTextSync(ctx.root, '/proc/mounts');
    if (text === undefined) { ctx.warn('/proc/mounts is unreadable'); return; }
    const wantsStatfs = ['blocks_size', 'blocks', 'blocks_free', 'blocks_available', 'inodes', 'inodes_free'].some((c) => ctx.columnsUsed.has(c));
    for (const line of lines(text)) {
      const f = line.split(' ');
      if (f.length < 4) continue;
      const device = unescapeMountField(f[0]!);
      const mountPoint = unescapeMountField(f[1]!);
      let alias = device;
      if (device.startsWith('/')) { try { alias = fs.realpathSync(device); } catch { /* not a path on this system */ } }
      let st: fs.StatsFs | undefined;
      if (wantsStatfs) { try { st = fs.statfsSync(mountPoint); } catch { /* unreachable mount (stale NFS, permission) */ } }
      yield {
        device, device_alias: alias, path: mountPoint, type: f[2]!,
        blocks_size: st ? st.bsize : null, blocks: st ? st.blocks : null, blocks_free: st ? st.bfree : null,
        blocks_available: st ? st.bavail : null, inodes: st ? st.files : null, inodes_free: st ? st.ffree : null,
        flags: f[3]!,
      };
    }
  },
};
