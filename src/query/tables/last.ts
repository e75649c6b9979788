/**
 * osquery's `last`: the login history in wtmp (/var/log/wtmp under the root): logins
 * (type 7, user), logouts (8, dead) and boots (2, boot_time, user "reboot"), oldest first,
 * as `last -x` reads them. Rotated files (wtmp.1) are not read, as in osquery.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { BOOT_TIME, DEAD_PROCESS, UT_TYPE_NAMES, USER_PROCESS, readUtmp } from '../table-support/utmp.js';

const spec = osqueryTableSpec('last');

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const r of readUtmp(ctx.root, ['/var/log/wtmp'])) {
      if (r.type !== USER_PROCESS && r.type !== DEAD_PROCESS && r.type !== BOOT_TIME) continue;
      yield { username: r.user, tty: r.line, pid: r.pid, type: r.type, type_name: UT_TYPE_NAMES[r.type]!, time: r.time, host: r.host };
    }
  },
};
