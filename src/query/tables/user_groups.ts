/**
 * osquery's `user_groups`: which groups each local user belongs to, as getgrouplist(3)
 * answers from files: the primary group from /etc/passwd plus every /etc/group entry that
 * lists the user as a member.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { localGroups, localUsers } from '../table-support/host-files.js';

const spec = osqueryTableSpec('user_groups');

export const table: Table = {
  spec,
  *generate(ctx) {
    const uids = ctx.equalsValues('uid')?.map(Number);
    const gids = ctx.equalsValues('gid')?.map(Number);
    const groups = localGroups(ctx.root);
    const seenUsers = new Set<string>();
    for (const u of localUsers(ctx.root)) {
      if (uids && !uids.includes(u.uid)) continue;
      if (seenUsers.has(u.name)) continue; // getpwent would give the first entry of a name only
      seenUsers.add(u.name);
      const mine = new Set<number>([u.gid]);
      for (const g of groups) if (g.members.includes(u.name)) mine.add(g.gid);
      for (const gid of mine) {
        if (gids && !gids.includes(gid)) continue;
        yield { uid: u.uid, gid };
      }
    }
  },
};
