/** osquery's `groups`: local groups from the root's /etc/group. */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { localGroups } from '../table-support/host-files.js';

const spec = osqueryTableSpec('groups');

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
