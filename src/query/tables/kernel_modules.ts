/** osquery's `kernel_modules`: loaded modules from /proc/modules (live root only). */
import { readLoadedModulesSync, type LoadedModule } from '../../host/kernel-modules.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';

const spec = osqueryTableSpec('kernel_modules', { liveOnly: true });

/** One row per loaded module (src/host/kernel-modules.ts parses /proc/modules for the audit too). */
export function moduleRow(m: LoadedModule): Row {
  return { name: m.name, size: m.size, used_by: m.usedByField, status: m.state, address: m.address };
}

export const table: Table = {
  spec,
  *generate(ctx) {
    let modules: LoadedModule[] | undefined;
    try { modules = readLoadedModulesSync(ctx.root); } catch { /* unreadable: as absent */ }
    // absent: a kernel without loadable modules (or a sandbox hiding them): none
    for (const m of modules ?? []) yield moduleRow(m);
  },
};
