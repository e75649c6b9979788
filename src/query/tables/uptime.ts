/** osquery's `uptime`: time since boot, from /proc/uptime (live root only). */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('uptime', { liveOnly: true });

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
