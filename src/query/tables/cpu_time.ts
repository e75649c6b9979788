/**
 * osquery's `cpu_time`: per-core time counters from /proc/stat, in USER_HZ ticks as the
 * kernel reports them and as osquery returns them (live root only).
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { lines, readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('cpu_time', { liveOnly: true });

const COLUMNS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guest_nice'] as const;

export const table: Table = {
  spec,
  *generate(ctx) {
    const text = readTextSync(ctx.root, '/proc/stat');
    if (!text) { ctx.warn('/proc/stat is unreadable'); return; }
    for (const line of lines(text)) {
      const m = /^cpu(\d+)\s+(.*)$/.exec(line);
      if (!m) continue;
      const f = m[2]!.trim().split(/\s+/);
      const row: Record<string, number | null> = { core: Number(m[1]) };
      COLUMNS.forEach((c, i) => { row[c] = f[i] === undefined ? null : Number(f[i]); });
      yield row;
    }
  },
};
