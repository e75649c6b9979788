/**
 * The table registry: osquery's table name -> a loader of its module. Tables are imported
 * lazily, only when a statement names them, so `spyglass query "SELECT * FROM users"` does
 * not load the code of the other sixty tables (start-up time is most of a one-shot query).
 *
 * Add a table: write `tables/<name>.ts` (or `tables/<name>/index.ts`) exporting
 * `export const table: Table`, then add one line below, keeping the list sorted:
 *   <name>: () => import('./<name>.js'),
 * The conformance suite (`src/query/conformance.test.ts`) picks every entry up.
 */
import type { Table } from '../table.js';

export type TableModule = { table: Table };
export type TableLoader = () => Promise<TableModule>;

export const TABLE_LOADERS: Record<string, TableLoader> = {
  file: () => import('./file.js'),
  hash: () => import('./hash.js'),
  os_version: () => import('./os_version.js'),
  osquery_info: async () => ({ table: (await import('./spyglass_info.js')).osqueryInfo }),
  osquery_schedule: async () => ({ table: (await import('./spyglass_schedule.js')).osquerySchedule }),
  processes: () => import('./processes.js'),
  spyglass_info: () => import('./spyglass_info.js'),
  spyglass_schedule: () => import('./spyglass_schedule.js'),
  system_info: () => import('./system_info.js'),
  time: () => import('./time.js'),
  users: () => import('./users.js'),
};
