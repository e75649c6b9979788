/** osquery's `kernel_modules`: loaded modules from /proc/modules (live root only). */
import type { Row, Table, TableSpec } from '../table.js';
import { lines, readTextSync } from './host-files.js';

const spec: TableSpec = {
  name: "kernel_modules",
  description: "Linux kernel modules both loaded and within the load search path.",
  columns: [
    { name: "name", type: "TEXT", description: "Module name" },
    { name: "size", type: "BIGINT", description: "Size of module content" },
    { name: "used_by", type: "TEXT", description: "Module reverse dependencies" },
    { name: "status", type: "TEXT", description: "Kernel module status" },
    { name: "address", type: "TEXT", description: "Kernel module address" },
  ],
  examples: ["select name, size, used_by from kernel_modules where name in ('usb_storage', 'cramfs', 'squashfs', 'udf')"],
  liveOnly: true,
};

/** Rows of /proc/modules: name size refcount used_by state address. */
export function parseModules(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of lines(text)) {
    const f = line.split(/\s+/);
    if (f.length < 5) continue;
    rows.push({ name: f[0]!, size: Number(f[1]), used_by: f[3]!, status: f[4]!, address: f[5] ?? '' });
  }
  return rows;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const text = readTextSync(ctx.root, '/proc/modules');
    if (text === undefined) return; // a kernel without loadable modules (or a sandbox hiding them): none
    yield* parseModules(text);
  },
};
