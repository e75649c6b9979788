/**
 * osquery's `known_hosts`: the lines of every local user's ~/.ssh/known_hosts (each host key
 * line as written, hashed host names included). `WHERE uid = N` reads one user.
 */
import type { Table, TableSpec } from '../table.js';
import { lines, readTextSync, usersWithHomes } from './host-files.js';

const spec: TableSpec = {
  name: "known_hosts",
  description: "A line-delimited known_hosts table.",
  columns: [
    { name: "uid", type: "BIGINT", description: "The local user that owns the known_hosts file", index: true },
    { name: "key", type: "TEXT", description: "parsed authorized keys line" },
    { name: "key_file", type: "TEXT", description: "Path to known_hosts file" },
  ],
  examples: ["select * from users join known_hosts using (uid)"],
};

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
