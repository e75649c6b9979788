/**
 * osquery's `last`: the login history in wtmp (/var/log/wtmp under the root): logins
 * (type 7, "user-process") and logouts (8, "dead-process"), oldest first. Like osquery, boot,
 * run-level and clock records are left out, and rotated files (wtmp.1) are not read.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { DEAD_PROCESS, USER_PROCESS, readUtmp } from '../table-support/utmp.js';

const spec = osqueryTableSpec('last');

/** osquery's type_name words for the two record types it lists. */
const TYPE_NAMES: Record<number, string> = { [USER_PROCESS]: 'user-process', [DEAD_PROCESS]: 'dead-process' };

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const r of readUtmp(ctx.root, ['/var/log/wtmp'])) {
      const typeName = TYPE_NAMES[r.type];
      if (typeName === undefined) continue;
      yield { username: r.user, tty: r.line, pid: r.pid, type: r.type, type_name: typeName, time: r.time, host: r.host };
    }
  },
};
