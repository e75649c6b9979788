/**
 * osquery's `logged_in_users`: the login records of the utmp file (/var/run/utmp, or
 * /run/utmp) under the root: users on terminals and remote hosts, plus the login and init
 * processes, as osquery lists them: every record but those of pid 1 (so boot, run-level and
 * empty records of pid 0 are rows too). Type names are osquery's: user, login, init, dead,
 * boot_time, runlevel, empty, … Note that systemd-based
 * distributions without utmp support (and containers) may have no utmp file: empty result.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { UT_TYPE_NAMES, readUtmp } from '../table-support/utmp.js';

const spec = osqueryTableSpec('logged_in_users');

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const r of readUtmp(ctx.root, ['/var/run/utmp', '/run/utmp'])) {
      if (r.pid === 1) continue;
      yield { type: UT_TYPE_NAMES[r.type] ?? 'unknown', user: r.user, tty: r.line, host: r.host, time: r.time, pid: r.pid };
    }
  },
};
