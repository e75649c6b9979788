/**
 * osquery's `cpu_time`: per-core time counters from /proc/stat, in USER_HZ ticks as the
 * kernel reports them and as osquery returns them (live root only).
 */
import type { Table, TableSpec } from '../table.js';
import { lines, readTextSync } from './host-files.js';

const spec: TableSpec = {
  name: "cpu_time",
  description: "Displays information from /proc/stat file about the time the cpu cores spent in different parts of the system.",
  columns: [
    { name: "core", type: "INTEGER", description: "Name of the cpu (core)" },
    { name: "user", type: "BIGINT", description: "Time spent in user mode" },
    { name: "nice", type: "BIGINT", description: "Time spent in user mode with low priority (nice)" },
    { name: "system", type: "BIGINT", description: "Time spent in system mode" },
    { name: "idle", type: "BIGINT", description: "Time spent in the idle task" },
    { name: "iowait", type: "BIGINT", description: "Time spent waiting for I/O to complete" },
    { name: "irq", type: "BIGINT", description: "Time spent servicing interrupts" },
    { name: "softirq", type: "BIGINT", description: "Time spent servicing softirqs" },
    { name: "steal", type: "BIGINT", description: "Time spent in other operating systems when running in a virtualized environment" },
    { name: "guest", type: "BIGINT", description: "Time spent running a virtual CPU for a guest OS under the control of the Linux kernel" },
    { name: "guest_nice", type: "BIGINT", description: "Time spent running a niced guest " },
  ],
  examples: ["select core, user, system, idle from cpu_time"],
  liveOnly: true,
};

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
