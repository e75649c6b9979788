/** osquery's `uptime`: time since boot, from /proc/uptime (live root only). */
import type { Table, TableSpec } from '../table.js';
import { readTextSync } from './host-files.js';

const spec: TableSpec = {
  name: "uptime",
  description: "Track time passed since last boot. Some systems track this as calendar time, some as runtime.",
  columns: [
    { name: "days", type: "INTEGER", description: "Days of uptime" },
    { name: "hours", type: "INTEGER", description: "Hours of uptime" },
    { name: "minutes", type: "INTEGER", description: "Minutes of uptime" },
    { name: "seconds", type: "INTEGER", description: "Seconds of uptime" },
    { name: "total_seconds", type: "BIGINT", description: "Total uptime seconds" },
  ],
  examples: ["select days, hours, total_seconds from uptime"],
  liveOnly: true,
};

export const table: Table = {
  spec,
  *generate(ctx) {
    const text = readTextSync(ctx.root, '/proc/uptime');
    if (!text) { ctx.warn('/proc/uptime is unreadable'); return; }
    const total = Math.floor(Number(text.split(/\s+/)[0]));
    if (!Number.isFinite(total)) return;
    yield {
      days: Math.floor(total / 86400),
      hours: Math.floor((total % 86400) / 3600),
      minutes: Math.floor((total % 3600) / 60),
      seconds: total % 60,
      total_seconds: total,
    };
  },
};
