/** osquery's `memory_info`: /proc/meminfo in bytes (live root only). */
import type { Table, TableSpec } from '../table.js';
import { readTextSync } from './host-files.js';

const spec: TableSpec = {
  name: "memory_info",
  description: "Main memory information in bytes.",
  columns: [
    { name: "memory_total", type: "BIGINT", description: "Total amount of physical RAM, in bytes" },
    { name: "memory_free", type: "BIGINT", description: "The amount of physical RAM, in bytes, left unused by the system" },
    { name: "memory_available", type: "BIGINT", description: "The amount of physical RAM, in bytes, available for starting new applications, without swapping" },
    { name: "buffers", type: "BIGINT", description: "The amount of physical RAM, in bytes, used for file buffers" },
    { name: "cached", type: "BIGINT", description: "The amount of physical RAM, in bytes, used as cache memory" },
    { name: "swap_cached", type: "BIGINT", description: "The amount of swap, in bytes, used as cache memory" },
    { name: "active", type: "BIGINT", description: "The total amount of buffer or page cache memory, in bytes, that is in active use" },
    { name: "inactive", type: "BIGINT", description: "The total amount of buffer or page cache memory, in bytes, that are free and available" },
    { name: "swap_total", type: "BIGINT", description: "The total amount of swap available, in bytes" },
    { name: "swap_free", type: "BIGINT", description: "The total amount of swap free, in bytes" },
  ],
  examples: ["select memory_total, memory_available, swap_total - swap_free as swap_used from memory_info"],
  liveOnly: true,
};

const FIELDS: Record<string, string> = {
  memory_total: 'MemTotal', memory_free: 'MemFree', memory_available: 'MemAvailable', buffers: 'Buffers',
  cached: 'Cached', swap_cached: 'SwapCached', active: 'Active', inactive: 'Inactive', swap_total: 'SwapTotal', swap_free: 'SwapFree',
};

export const table: Table = {
  spec,
  *generate(ctx) {
    const text = readTextSync(ctx.root, '/proc/meminfo');
    if (!text) { ctx.warn('/proc/meminfo is unreadable'); return; }
    const kb = new Map<string, number>();
    for (const m of text.matchAll(/^(\w+(?:\(\w+\))?):\s+(\d+)(?: kB)?$/gm)) kb.set(m[1]!, Number(m[2]));
    const row: Record<string, number | null> = {};
    for (const [col, key] of Object.entries(FIELDS)) {
      const v = kb.get(key);
      row[col] = v === undefined ? null : v * 1024;
    }
    yield row;
  },
};
