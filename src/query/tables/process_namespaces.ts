/**
 * osquery's `process_namespaces`: the namespace inode numbers of each process
 * (/proc/<pid>/ns/*, live root only); two processes share a namespace when the numbers are
 * equal. `WHERE pid = N` reads one process.
 */
import type { Row, Table, TableSpec } from '../table.js';
import { allPids, namespaceInode } from './proc-sockets.js';
import fs from 'node:fs';

const spec: TableSpec = {
  name: "process_namespaces",
  description: "Linux namespaces for processes running on the host system.",
  columns: [
    { name: "pid", type: "INTEGER", description: "Process (or thread) ID", index: true },
    { name: "cgroup_namespace", type: "TEXT", description: "cgroup namespace inode" },
    { name: "ipc_namespace", type: "TEXT", description: "ipc namespace inode" },
    { name: "mnt_namespace", type: "TEXT", description: "mnt namespace inode" },
    { name: "net_namespace", type: "TEXT", description: "net namespace inode" },
    { name: "pid_namespace", type: "TEXT", description: "pid namespace inode" },
    { name: "user_namespace", type: "TEXT", description: "user namespace inode" },
    { name: "uts_namespace", type: "TEXT", description: "uts namespace inode" },
  ],
  examples: ["select * from process_namespaces where pid = 1"],
  liveOnly: true,
};

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
