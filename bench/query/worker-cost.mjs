// Cost of the schedule's watchdog worker process: start-up plus a first query, and its RSS.
// Run after bench/query/run.sh has built bench/query/.dist: node bench/query/worker-cost.mjs
import fs from 'node:fs';
const { QueryRunner } = await import(new URL('./.dist/query/schedule/query-runner.js', import.meta.url).href);
const r = new QueryRunner('/', 60000);
const t0 = performance.now();
await r.run('SELECT 1', { timeoutMs: 10000, maxRows: 10 });
const t1 = performance.now();
await r.run('SELECT pid, name FROM processes', { timeoutMs: 10000, maxRows: 100000 });
const child = r.worker;
const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1];
const self = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/self/status`, 'utf8'))[1];
console.log({ workerStartAndFirstQueryMs: +(t1 - t0).toFixed(1), workerRssMB: +(rss / 1024).toFixed(1), parentRssMB: +(self / 1024).toFixed(1) });
await r.close();
