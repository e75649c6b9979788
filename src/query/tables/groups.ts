/** osquery's `groups`: local groups from the root's /etc/group. */
import type { Table, TableSpec } from '../table.js';
import { localGroups } from './host-files.js';

const spec: TableSpec = {
  name: "groups",
  description: "Local system groups.",
  columns: [
    { name: "gid", type: "BIGINT", description: "Unsigned int64 group ID", index: true },
    { name: "gid_signed", type: "BIGINT", description: "A signed int64 version of gid" },
    { name: "groupname", type: "TEXT", description: "Canonical local group name" },
    { name: "pid_with_namespace", type: "INTEGER", description: "", hidden: true, index: true },
  ],
  examples: ["select * from groups where gid = 0"],
};

export const table: Table = {
  spec,
  *generate(ctx) {
    const gids = ctx.equalsValues('gid')?.map(Number);
    for (const g of localGroups(ctx.root)) {
      if (gids && !gids.includes(g.gid)) continue;
      yield { gid: g.gid, gid_signed: g.gid > 0x7fffffff ? g.gid - 0x100000000 : g.gid, groupname: g.name, pid_with_namespace: null };
    }
  },
};
