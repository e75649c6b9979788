/**
 * osquery's `last`: the login history in wtmp (/var/log/wtmp under the root): logins
 * (type 7, user), logouts (8, dead) and boots (2, boot_time, user "reboot"), oldest first,
 * as `last -x` reads them. Rotated files (wtmp.1) are not read, as in osquery.
 */
import type { Table, TableSpec } from '../table.js';
import { BOOT_TIME, DEAD_PROCESS, UT_TYPE_NAMES, USER_PROCESS, readUtmp } from './utmp.js';

const spec: TableSpec = {
  name: "last",
  description: "System logins and logouts.",
  columns: [
    { name: "username", type: "TEXT", description: "Entry username" },
    { name: "tty", type: "TEXT", description: "Entry terminal" },
    { name: "pid", type: "INTEGER", description: "Process (or thread) ID" },
    { name: "type", type: "INTEGER", description: "Entry type, according to ut_type types (utmp.h)" },
    { name: "type_name", type: "TEXT", description: "Entry type name, according to ut_type types (utmp.h)" },
    { name: "time", type: "INTEGER", description: "Entry timestamp" },
    { name: "host", type: "TEXT", description: "Entry hostname" },
  ],
  examples: ["select username, tty, host, datetime(time, 'unixepoch') as at from last where type_name = 'user'"],
};

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const r of readUtmp(ctx.root, ['/var/log/wtmp'])) {
      if (r.type !== USER_PROCESS && r.type !== DEAD_PROCESS && r.type !== BOOT_TIME) continue;
      yield { username: r.user, tty: r.line, pid: r.pid, type: r.type, type_name: UT_TYPE_NAMES[r.type]!, time: r.time, host: r.host };
    }
  },
};
