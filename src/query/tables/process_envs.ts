/**
 * osquery's `process_envs`: the environment each process started with (/proc/<pid>/environ,
 * live root only; a process that changed its environment later is not reflected, as in
 * osquery). `WHERE pid = N` reads one process.
 */
import fs from 'node:fs';
import type { Table, TableSpec } from '../table.js';
import { allPids } from './proc-sockets.js';

const spec: TableSpec = {
  name: "process_envs",
  description: "A key/value table of environment variables for each process.",
  columns: [
    { name: "pid", type: "INTEGER", description: "Process (or thread) ID", index: true },
    { name: "key", type: "TEXT", description: "Environment variable name" },
    { name: "value", type: "TEXT", description: "Environment variable value" },
  ],
  examples: ["select * from process_envs where pid = 1", "select pe.*\n     from process_envs pe, (select * from processes limit 10) p\n     where p.pid = pe.pid;"],
  liveOnly: true,
};

export const table: Table = {
  spec,
  *generate(ctx) {
    const pids = ctx.equalsValues('pid')?.map(Number).filter((n) => Number.isInteger(n) && n > 0) ?? allPids(ctx.root);
    for (const pid of pids) {
      let text: string;
      try { text = fs.readFileSync(ctx.root.join(`/proc/${pid}/environ`), 'utf8'); } catch { continue; }
      for (const entry of text.split('\0')) {
        if (!entry) continue;
        const eq = entry.indexOf('=');
        yield eq < 0 ? { pid, key: entry, value: '' } : { pid, key: entry.slice(0, eq), value: entry.slice(eq + 1) };
      }
    }
  },
};
