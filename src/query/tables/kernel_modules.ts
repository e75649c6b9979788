/** osquery's `kernel_modules`: loaded modules from /proc/modules (live root only). */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { lines, readTextSync } from './host-files.js';

const spec = osqueryTableSpec('kernel_modules', { liveOnly: true });

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
