/**
 * osquery's `process_envs`: the environment each process started with (/proc/<pid>/environ,
 * live root only; a process that changed its environment later is not reflected, as in
 * osquery). `WHERE pid = N` reads one process.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { allPids } from '../table-support/proc-sockets.js';

const spec = osqueryTableSpec('process_envs', { liveOnly: true });

export const table: Table = {
  spec,
  *generate(ctx) {
    const pids = ctx.equalsValues('pid')?.map(Number).filter((n) => Number.isInteger(n) && n > 0) ?? allPids(ctx.root);
    for (const pid of pids) {
      let text: string;
      try { text = ctx.root.readTextSync(`/proc/${pid}/environ`); } catch { continue; }
      for (const entry of text.split('\0')) {
        if (!entry) continue;
        const eq = entry.indexOf('=');
        yield eq < 0 ? { pid, key: entry, value: '' } : { pid, key: entry.slice(0, eq), value: entry.slice(eq + 1) };
      }
    }
  },
};
