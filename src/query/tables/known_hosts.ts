/**
 * osquery's `known_hosts`: the lines of every local user's ~/.ssh/known_hosts (each host key
 * line as written, hashed host names included). `WHERE uid = N` reads one user.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { lines, readTextSync, usersWithHomes } from '../table-support/host-files.js';

const spec = osqueryTableSpec('known_hosts');

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const u of usersWithHomes(ctx.root, ctx.equalsValues('uid'))) {
      const file = `${u.home.replace(/\/$/, '')}/.ssh/known_hosts`;
      const text = readTextSync(ctx.root, file);
      if (text === undefined) continue;
      for (const raw of lines(text)) {
        const line = raw.trim();
        if (line && !line.startsWith('#')) yield { uid: u.uid, key: line, key_file: file };
      }
    }
  },
};
