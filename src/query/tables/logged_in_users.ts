/**
 * osquery's `logged_in_users`: the login records of the utmp file (/var/run/utmp, or
 * /run/utmp) under the root: users on terminals and remote hosts, plus the login and init
 * processes, as osquery lists them (records of pid 0 or 1 and empty slots are skipped).
 * Type names are osquery's: user, login, init, dead, boot_time, … Note that systemd-based
 * distributions without utmp support (and containers) may have no utmp file: empty result.
 */
import type { Table, TableSpec } from '../table.js';
import { UT_TYPE_NAMES, readUtmp } from './utmp.js';

const spec: TableSpec = {
  name: "logged_in_users",
  description: "Users with an active shell on the system.",
  columns: [
    { name: "type", type: "TEXT", description: "Login type" },
    { name: "user", type: "TEXT", description: "User login name" },
    { name: "tty", type: "TEXT", description: "Device name" },
    { name: "host", type: "TEXT", description: "Remote hostname" },
    { name: "time", type: "BIGINT", description: "Time entry was made" },
    { name: "pid", type: "INTEGER", description: "Process (or thread) ID" },
  ],
  examples: ["select user, tty, host, datetime(time, 'unixepoch') as since from logged_in_users where type = 'user'"],
};

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const r of readUtmp(ctx.root, ['/var/run/utmp', '/run/utmp'])) {
      if (r.type === 0 || r.pid <= 1) continue;
      yield { type: UT_TYPE_NAMES[r.type] ?? 'unknown', user: r.user, tty: r.line, host: r.host, time: r.time, pid: r.pid };
    }
  },
};
