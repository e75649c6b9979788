/**
 * osquery's `process_open_files`: every file descriptor of each process and what it points
 * to (a path, or "socket:[inode]", "pipe:[inode]", "anon_inode:…"), live root only.
 * `WHERE pid = N` reads one process.
 */
import fs from 'node:fs';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { allPids } from '../table-support/proc-sockets.js';

const spec = osqueryTableSpec('process_open_files', { liveOnly: true });

export const table: Table = {
  spec,
  *generate(ctx) {
    const pids = ctx.equalsValues('pid')?.map(Number).filter((n) => Number.isInteger(n) && n > 0) ?? allPids(ctx.root);
    for (const pid of pids) {
      const dir = ctx.root.join(`/proc/${pid}/fd`);
      let fds: string[];
      try { fds = fs.readdirSync(dir); } catch { continue; } // gone, or a kernel thread
      for (const fd of fds.map(Number).sort((a, b) => a - b)) {
        let path: string;
        try { path = fs.readlinkSync(`${dir}/${fd}`); } catch { continue; } // closed while we read
        yield { pid, fd, path };
      }
    }
  },
};
