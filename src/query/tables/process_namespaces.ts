/**
 * osquery's `process_namespaces`: the namespace inode numbers of each process
 * (/proc/<pid>/ns/*, live root only); two processes share a namespace when the numbers are
 * equal. `WHERE pid = N` reads one process.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { allPids, namespaceInode } from '../table-support/proc-sockets.js';
import fs from 'node:fs';

const spec = osqueryTableSpec('process_namespaces', { liveOnly: true });

const KINDS = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'user', 'uts'];

export const table: Table = {
  spec,
  *generate(ctx) {
    const pids = ctx.equalsValues('pid')?.map(Number).filter((n) => Number.isInteger(n) && n > 0) ?? allPids(ctx.root);
    for (const pid of pids) {
      if (!fs.existsSync(ctx.root.join(`/proc/${pid}/ns`))) continue;
      const row: Row = { pid };
      for (const kind of KINDS) row[`${kind}_namespace`] = namespaceInode(ctx.root, pid, kind);
      if (KINDS.every((k) => row[`${k}_namespace`] === '')) continue; // not readable by us (another sandbox, a hardened /proc): nothing to say
      yield row;
    }
  },
};
