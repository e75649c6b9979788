/** osquery's `users`: local accounts from /etc/passwd under the root. */
import { readAccountFileSync } from '../../host/account-files.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { PasswdEntry } from '../../host/passwd.js';
import type { Row, Table } from '../table.js';

const spec = osqueryTableSpec('users');

const signed32 = (id: number) => (id > 0x7fffffff ? id - 0x100000000 : id);

/** One row per passwd entry (src/host/passwd.ts parses; malformed and NIS lines are not accounts). */
export function userRow(u: PasswdEntry): Row {
  return {
    uid: u.uid, gid: u.gid, uid_signed: signed32(u.uid), gid_signed: signed32(u.gid),
    username: u.name, description: u.gecos, directory: u.home, shell: u.shell,
    uuid: '', pid_with_namespace: null, include_remote: 0,
  };
}

export const table: Table = {
  spec,
  *generate(ctx) {
    let entries: PasswdEntry[] | undefined;
    try {
      entries = readAccountFileSync(ctx.root, 'passwd')?.entries;
    } catch { /* reported below */ }
    if (!entries) {
      ctx.warn('/etc/passwd is missing or unreadable');
      return;
    }
    const uids = ctx.equalsValues('uid')?.map(Number);
    const names = ctx.equalsValues('username')?.map(String);
    for (const u of entries) {
      if (uids && !uids.includes(u.uid)) continue;
      if (names && !names.includes(u.name)) continue;
      yield userRow(u);
    }
  },
};
