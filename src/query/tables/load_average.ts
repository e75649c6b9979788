/** osquery's `load_average`: the 1, 5 and 15 minute load averages from /proc/loadavg (live root only). */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('load_average', { liveOnly: true });

export const table: Table = {
  spec,
  *generate(ctx) {
    const f = readTextSync(ctx.root, '/proc/loadavg')?.trim().split(/\s+/);
    if (!f || f.length < 3) { ctx.warn('/proc/loadavg is unreadable'); return; }
    // osquery prints the averages with six decimals (std::to_string of a double)
    const periods = ['1m', '5m', '15m'];
    for (const [i, period] of periods.entries()) yield { period, average: Number(f[i]).toFixed(6) };
  },
};
