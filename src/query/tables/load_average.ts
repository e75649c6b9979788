/** osquery's `load_average`: the 1, 5 and 15 minute load averages from /proc/loadavg (live root only). */
import type { Table, TableSpec } from '../table.js';
import { readTextSync } from './host-files.js';

const spec: TableSpec = {
  name: "load_average",
  description: "Displays information about the system wide load averages.",
  columns: [
    { name: "period", type: "TEXT", description: "Period over which the average is calculated." },
    { name: "average", type: "TEXT", description: "Load average over the specified period." },
  ],
  examples: ["select * from load_average;"],
  liveOnly: true,
};

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
