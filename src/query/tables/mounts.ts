/**
 * osquery's `mounts`: the mount table of the running system (/proc/mounts, live root only)
 * with statfs(2) figures for each mount point. `device_alias` is the device path with
 * symlinks resolved (e.g. /dev/mapper/x -> /dev/dm-0), as osquery reports it.
 */
import fs from 'node:fs';
import type { Table, TableSpec } from '../table.js';
import { lines, readTextSync } from './host-files.js';

const spec: TableSpec = {
  name: "mounts",
  description: "System mounted devices and filesystems (not process specific).",
  columns: [
    { name: "device", type: "TEXT", description: "Mounted device" },
    { name: "device_alias", type: "TEXT", description: "Mounted device alias" },
    { name: "path", type: "TEXT", description: "Mounted device path" },
    { name: "type", type: "TEXT", description: "Mounted device type" },
    { name: "blocks_size", type: "BIGINT", description: "Block size in bytes" },
    { name: "blocks", type: "BIGINT", description: "Mounted device used blocks" },
    { name: "blocks_free", type: "BIGINT", description: "Mounted device blocks available to root users, a superset of blocks_available" },
    { name: "blocks_available", type: "BIGINT", description: "Mounted device blocks available to non-root users" },
    { name: "inodes", type: "BIGINT", description: "Mounted device used inodes" },
    { name: "inodes_free", type: "BIGINT", description: "Mounted device free inodes" },
    { name: "flags", type: "TEXT", description: "Mounted device flags" },
  ],
  examples: ["select path, type, flags from mounts where path in ('/tmp', '/dev/shm', '/var/tmp')", "select path, blocks_available * blocks_size as free_bytes from mounts where type = 'ext4'"],
  liveOnly: true,
};

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
