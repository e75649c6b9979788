/**
 * osquery's `user_groups`: which groups each local user belongs to, as getgrouplist(3)
 * answers from files: the primary group from /etc/passwd plus every /etc/group entry that
 * lists the user as a member.
 */
import type { Table, TableSpec } from '../table.js';
import { localGroups, localUsers } from './host-files.js';

const spec: TableSpec = {
  name: "user_groups",
  description: "Local system user group relationships.",
  columns: [
    { name: "uid", type: "BIGINT", description: "User ID", index: true },
    { name: "gid", type: "BIGINT", description: "Group ID", index: true },
  ],
  examples: ["select u.username, g.groupname from user_groups ug join users u using (uid) join groups g on g.gid = ug.gid where g.groupname = 'sudo'"],
};

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
