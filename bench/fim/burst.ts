/**
 * Burst benchmark: a separate writer process creates N files (default 100 000) in a watched
 * directory as fast as it can; this process runs the FIM monitor and records when each
 * `created` event is delivered. Prints delivered count, overflows, latency p50/p99/max (event
 * delivery time minus the time the writer finished writing that file) and the RSS.
 *
 *   node --import tsx bench/fim/burst.ts [N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fimConfigFromObject } from '../../src/fim/config.js';
import { openFimRuntime } from '../../src/fim/fim-runtime.js';
import { FimMonitor } from '../../src/fim/fim-monitor.js';
import type { EventDraft } from '../../src/core/event.js';

const N = Number(process.argv[2] ?? 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-burst-'));
const tree = path.join(dir, 'tree');
fs.mkdirSync(path.join(tree, 'burst'), { recursive: true });

const delivered = new Map<string, number>();
let overflowEvents = 0;
const publisher = {
  async publish(ev: EventDraft) {
    const d = ev.data as { action: string; path: string };
    if (d.action === 'created') delivered.set(d.path, Date.now());
    if (d.action === 'overflow') overflowEvents++;
  },
};
const rt = await openFimRuntime(fimConfigFromObject({ watch: [{ path: tree }], baseline: path.join(dir, 'b.db') }), { publisher });
let inspected = 0;
const inspect = rt.pool.inspect.bind(rt.pool);
rt.pool.inspect = (items, force) => { inspected += items.length; return inspect(items, force); };
const monitor = new FimMonitor(rt);
await monitor.start();

const writer = String.raw`
const fs = require('fs');
const [dir, n] = [process.argv[1], Number(process.argv[2])];
const times = new Float64Array(n);
for (let i = 0; i < n; i++) { fs.writeFileSync(dir + '/f' + i, 'x' + i); times[i] = Date.now(); }
fs.writeFileSync(dir + '/../times.bin', Buffer.from(times.buffer));
`;
const t0 = Date.now();
await new Promise<void>((resolve, reject) => {
  const child = spawn(process.execPath, ['-e', writer, path.join(tree, 'burst'), String(N)], { stdio: 'inherit' });
  child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exit ${code}`))));
});
const writeMs = Date.now() - t0;
const deadline = Date.now() + 120_000;
while (delivered.size < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
await monitor.idle();
const totalMs = Date.now() - t0;
const times = new Float64Array(fs.readFileSync(path.join(tree, 'times.bin')).buffer.slice(0));
const lat: number[] = [];
for (let i = 0; i < N; i++) {
  const at = delivered.get(path.join(tree, 'burst', `f${i}`));
  if (at !== undefined) lat.push(at - times[i]!);
}
lat.sort((a, b) => a - b);
const pct = (q: number) => lat[Math.min(lat.length - 1, Math.floor(lat.length * q))] ?? NaN;
const result = {
  files: N, delivered: lat.length, delivered_pct: (100 * lat.length) / N, overflows: monitor.stats.overflows, overflow_events: overflowEvents,
  writer_ms: writeMs, all_delivered_ms: totalMs, latency_ms: { p50: pct(0.5), p99: pct(0.99), max: lat.at(-1) }, rss_mb: Math.round(process.memoryUsage().rss / 1e6),
  inspections_per_file: Number((inspected / N).toFixed(2)), events_per_file: Number((monitor.stats.events / N).toFixed(2)),
};
console.log(JSON.stringify(result));
await monitor.stop();
await rt.close();
fs.rmSync(dir, { recursive: true, force: true });
