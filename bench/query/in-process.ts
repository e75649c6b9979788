/**
 * In-process query latency: one warm QueryEngine (tables loaded, statement planned once),
 * each query run repeatedly; prints median and p95 in milliseconds as JSON lines.
 * Run: node --import tsx bench/query/in-process.ts [runs]
 */
import { QueryEngine } from '../../src/query/engine.js';

export const BENCH_QUERIES: Record<string, string> = {
  processes: 'SELECT pid, name, path, cmdline, uid, resident_size FROM processes',
  listening_ports: 'SELECT pid, port, protocol, address FROM listening_ports',
  deb_packages: 'SELECT name, version, arch FROM deb_packages',
  users: 'SELECT username, uid, gid, directory, shell FROM users',
  'processes WHERE pid = 1': 'SELECT * FROM processes WHERE pid = 1',
  'file WHERE path': "SELECT * FROM file WHERE path = '/etc/passwd'",
};

const runs = Number(process.argv[2] ?? 50);
const engine = new QueryEngine();
for (const [name, sql] of Object.entries(BENCH_QUERIES)) {
  try {
    await engine.query(sql); // load the table module, plan once
  } catch (err) {
    console.log(JSON.stringify({ name, skipped: (err as Error).message }));
    continue;
  }
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    rows = engine.querySync(sql).rows.length;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  console.log(JSON.stringify({ name, rows, runs, median_ms: +at(0.5).toFixed(2), p95_ms: +at(0.95).toFixed(2) }));
}
engine.close();
