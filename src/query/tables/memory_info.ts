/** osquery's `memory_info`: /proc/meminfo in bytes (live root only). */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('memory_info', { liveOnly: true });

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
