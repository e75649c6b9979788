/**
 * Watch setup and steady-state memory: starts the FIM monitor on the given trees (default
 * /usr and /etc) with an existing baseline, reports how long the recursive watches took, how
 * long the start-up scan took, and the RSS after `idle` seconds of quiet.
 *
 *   node --import tsx bench/fim/watch-rss.ts BASELINE.db [idle-seconds] [paths...]
 */
import { fimConfigFromObject } from '../../src/fim/config.js';
import { openFimRuntime } from '../../src/fim/fim-runtime.js';
import { FimMonitor } from '../../src/fim/fim-monitor.js';

const [baseline, idleArg, ...paths] = process.argv.slice(2);
const idle = Number(idleArg ?? 10);
const watch = (paths.length ? paths : ['/usr', '/etc']).map((p) => ({ path: p }));
let events = 0;
const rt = await openFimRuntime(fimConfigFromObject({ watch, baseline: baseline! }), { publisher: { async publish() { events++; } } });
let setupMs = NaN;
const monitor = new FimMonitor(rt, { onStatus: (m) => { const x = /watching (\d+) directories in (\d+) ms/.exec(m); if (x) setupMs = Number(x[2]); } });
const t0 = Date.now();
await monitor.start();
const startMs = Date.now() - t0;
await new Promise((r) => setTimeout(r, idle * 1000));
global.gc?.();
const rss = process.memoryUsage();
console.log(JSON.stringify({ watches: monitor.stats.watches, unwatched: monitor.stats.unwatched, watch_setup_ms: setupMs, start_with_scan_ms: startMs, startup_events: events,
  rss_mb: Math.round(rss.rss / 1e6), heap_mb: Math.round(rss.heapUsed / 1e6), idle_s: idle }));
await monitor.stop();
await rt.close();
