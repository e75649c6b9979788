/**
 * file_tree scan speed against find(1) on this machine, same trees, same question, in one run:
 *   npx tsx bench/file_tree/bench.ts [/usr] [rounds]
 * Prints entries/s for the Spyglass walk and the wall-time ratio against `find -xdev -perm`.
 * Warm cache (the first, discarded round fills it): both sides read inodes from memory.
 */
import { execFileSync } from 'node:child_process';
import { HostRoot } from '../../src/core/host-root.js';
import { fileTreeCheck } from '../../src/audit/checks/file_tree/index.js';
import { testCheckContext } from '../../src/audit/checks/common/conformance.test-helpers.js';
import { walkTrees } from '../../src/audit/checks/common/tree-walk.js';
import { walkTrees as callbackWalk } from './callback-walk.js';

const start = process.argv[2] ?? '/usr';
const rounds = Number(process.argv[3] ?? 5);
const cases = [
  { find: 'suid', args: ['-xdev', '-type', 'f', '-perm', '-4000'] },
  { find: 'world_writable', args: ['-xdev', '-type', 'f', '-perm', '-0002'] },
  { find: 'unowned', args: ['-xdev', '-nouser'] },
] as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`file_tree vs find on ${start}, ${rounds} rounds (median), node ${process.version}`);
for (const c of cases) {
  const ours: number[] = [];
  const theirs: number[] = [];
  let entries = 0;
  for (let i = 0; i <= rounds; i++) {
    let t = performance.now();
    const ctx = testCheckContext(new HostRoot('/')); // a fresh audit each round: no shared walk
    const r = await fileTreeCheck.evaluate(fileTreeCheck.schema.parse({ find: c.find, paths: [start], limit: 10000 }), ctx);
    const ms = performance.now() - t;
    entries = Number(/(\d+) entries/.exec(JSON.stringify(r.evidence))?.[1] ?? 0);
    t = performance.now();
    execFileSync('find', [start, ...c.args], { stdio: ['ignore', 'ignore', 'ignore'] });
    const fms = performance.now() - t;
    if (i > 0) { ours.push(ms); theirs.push(fms); } // round 0 warms the cache
  }
  const o = median(ours);
  const f = median(theirs);
  console.log(`${c.find.padEnd(15)} spyglass ${o.toFixed(0).padStart(5)} ms (${Math.round(entries / o * 1000)} entries/s)  find ${f.toFixed(0).padStart(5)} ms  ratio spyglass/find ${(o / f).toFixed(2)}`);
}
// the walk itself: time-sliced sync syscalls (shipped) vs libuv thread pool, 64 in flight
for (const [name, walk] of [['sliced sync (shipped)', walkTrees], ['thread pool, 64 in flight', callbackWalk]] as const) {
  const walls: number[] = [];
  const cpus: number[] = [];
  let entries = 0;
  for (let i = 0; i <= rounds; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    const r = await walk({ root: new HostRoot('/'), starts: [start], isExcluded: () => false, oneFilesystem: true, skipDirs: new Set(), maxEntries: 1e9, deadline: Date.now() + 1e7, signal: new AbortController().signal, onEntry() {} });
    const cu = process.cpuUsage(c);
    if (i > 0) { walls.push(performance.now() - t); cpus.push((cu.user + cu.system) / 1000); }
    entries = r.entries;
  }
  const w = median(walls);
  console.log(`walk ${name.padEnd(26)} ${w.toFixed(0).padStart(5)} ms wall, ${median(cpus).toFixed(0).padStart(5)} ms CPU, ${Math.round(entries / w * 1000)} entries/s`);
}
const mem = process.memoryUsage();
console.log(`process RSS after the runs: ${(mem.rss / 1048576).toFixed(0)} MB`);
