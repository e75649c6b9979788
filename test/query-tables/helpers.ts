/** Shared bits of the query-table tests: an engine per root, rows as objects, shell helpers. */
import { execFileSync } from 'node:child_process';
import { HostRoot } from '../../src/core/host-root.js';
import { QueryEngine } from '../../src/query/engine.js';
import type { Row } from '../../src/query/table.js';

export const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export async function rowsOf(engine: QueryEngine, sql: string): Promise<Row[]> {
  return QueryEngine.rowObjects(await engine.query(sql));
}

/** Runs `sql` against a fixture root and closes the engine. */
export async function queryRoot(dir: string, sql: string): Promise<{ rows: Row[]; warnings: string[] }> {
  const engine = new QueryEngine({ root: new HostRoot(dir) });
  try {
    const result = await engine.query(sql);
    return { rows: QueryEngine.rowObjects(result), warnings: result.warnings.map(String) };
  } finally {
    engine.close();
  }
}

export function assertTypes(rows: Row[], types: Record<string, 'TEXT' | 'INTEGER' | 'NULL-OR-INTEGER'>): void {
  for (const r of rows) {
    for (const [col, t] of Object.entries(types)) {
      const v = r[col];
      const ok = t === 'TEXT' ? typeof v === 'string' : t === 'INTEGER' ? Number.isInteger(v) : v === null || Number.isInteger(v);
      if (!ok) throw new Error(`${col} = ${String(v)} is not ${t}`);
    }
  }
}
