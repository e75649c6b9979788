/**
 * osquery's `mounts`: the mount table of the running system (/proc/mounts, live root only)
 * with statfs(2) figures for each mount point. `device_alias` is the device path with
 * symlinks resolved (e.g. /dev/mapper/x -> /dev/dm-0), as osquery reports it.
 */
import fs from 'node:fs';
import { readMountTableSync, type MountEntry } from '../../host/mounts.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';

const spec = osqueryTableSpec('mounts', { liveOnly: true });

export const table: Table = {
  spec,
  *generate(ctx) {
    let entries: MountEntry[] | undefined;
    try { entries = readMountTableSync(ctx.root, '/proc/mounts'); } catch { /* reported below */ }
    if (entries === undefined) { ctx.warn('/proc/mounts is unreadable'); return; }
    const wantsStatfs = ['blocks_size', 'blocks', 'blocks_free', 'blocks_available', 'inodes', 'inodes_free'].some((c) => ctx.columnsUsed.has(c));
    // src/host/mounts.ts parses (and unescapes) the table the mount check reads too
    for (const m of entries) {
      const device = m.source;
      const mountPoint = m.target;
      let alias = device;
      if (device.startsWith('/')) { try { alias = fs.realpathSync(device); } catch { /* not a path on this system */ } }
      let st: fs.StatsFs | undefined;
      if (wantsStatfs) { try { st = fs.statfsSync(mountPoint); } catch { /* unreachable mount (stale NFS, permission) */ } }
      yield {
        device, device_alias: alias, path: mountPoint, type: m.fstype,
        blocks_size: st ? st.bsize : null, blocks: st ? st.blocks : null, blocks_free: st ? st.bfree : null,
        blocks_available: st ? st.bavail : null, inodes: st ? st.files : null, inodes_free: st ? st.ffree : null,
        flags: m.options.join(','),
      };
    }
  },
};
