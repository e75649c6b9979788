/**
 * The vuln benchmark: this machine's installed packages against a generated Debian tracker
 * the size of the real one, measured against debsecan (Debian's own offline-capable
 * checker) run on the same data in its own format, and against a naive full JSON.parse.
 *
 *   node --import tsx bench/vuln/run.ts [OUT_DIR]
 *
 * Prints a JSON report: feed size, in-process load+match time and peak RSS (spyglass vs
 * naive), end-to-end wall time and peak RSS of `spyglass vuln` vs `debsecan` (GNU time,
 * median of 5), and whether both tools report the same (CVE, package) pairs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const out = process.argv[2] ?? '/tmp/spyglass-vuln-bench';
const repo = path.resolve(import.meta.dirname, '..', '..');
const tracker = path.join(out, 'tracker.json');
const RUNS = 5;

if (!existsSync(tracker)) execFileSync(process.execPath, ['--import', 'tsx', path.join(repo, 'bench/vuln/generate-feeds.ts'), out], { stdio: 'inherit', cwd: repo });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** wall seconds and peak RSS (MB) of a command, by GNU time; median over RUNS. */
function timed(cmd: string[]): { wallS: number; cpuS: number; maxRssMB: number; stdout: string } {
  const walls: number[] = [];
  const cpus: number[] = [];
  const rss: number[] = [];
  let stdout = '';
  for (let k = 0; k < RUNS; k++) {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', ...cmd], { encoding: 'utf8', cwd: repo, maxBuffer: 256 * 1024 * 1024 });
    const last = r.stderr.trim().split('\n').at(-1)!.split(' ');
    walls.push(Number(last[0]));
    rss.push(Number(last[1]) / 1024);
    cpus.push(Number(last[2]) + Number(last[3]));
    stdout = r.stdout;
  }
  return { wallS: median(walls), cpuS: Math.round(median(cpus) * 100) / 100, maxRssMB: Math.round(median(rss)), stdout };
}

function inProcess(mode: string, feed = tracker): { totalMs: number; cpuMs: number; maxRssMB: number; findings: number } {
  const runs = Array.from({ length: RUNS }, () => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', path.join(repo, 'bench/vuln/measure-scan.ts'), feed, mode], { encoding: 'utf8', cwd: repo })) as { totalMs: number; cpuMs: number; maxRssMB: number; findings: number });
  return { totalMs: median(runs.map((r) => r.totalMs)), cpuMs: median(runs.map((r) => r.cpuMs)), maxRssMB: median(runs.map((r) => r.maxRssMB)), findings: runs[0]!.findings };
}

const baseline = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', 'process.stdout.write(JSON.stringify({ maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }))'], { encoding: 'utf8', cwd: repo })) as { maxRssMB: number };
const spyglassInProcess = inProcess('spyglass');
const naiveInProcess = inProcess('naive');
const osvZipInProcess = inProcess('spyglass', path.join(out, 'osv-all.zip'));
const spyglassCli = timed([process.execPath, '--import', 'tsx', 'test/helpers/run-cli.ts', 'vuln', '--feed', tracker, '--format', 'json']);
// the CLI as installed (compiled JavaScript, no tsx): compiled to a temp dir beside a link to node_modules
const dist = path.join(out, 'dist');
spawnSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', dist], { cwd: repo, encoding: 'utf8' });
if (!existsSync(path.join(dist, 'node_modules'))) symlinkSync(path.join(repo, 'node_modules'), path.join(dist, 'node_modules'));
writeFileSync(path.join(dist, 'run.mjs'), "import { main } from './cli/main.js';\nmain(process.argv).then((code) => { process.exitCode = code; });\n");
const spyglassCompiled = existsSync(path.join(dist, 'cli/main.js')) ? timed([process.execPath, path.join(dist, 'run.mjs'), 'vuln', '--feed', tracker, '--format', 'json']) : undefined;
const debsecan = timed(['debsecan', '--source', `file://${out}/debsecan/`, '--suite', 'bookworm', '--format', 'detail']);

// agreement: the same (CVE, binary package) pairs from both tools
const ours = new Set((JSON.parse(spyglassCli.stdout) as { findings: Array<{ id: string; package: string }> }).findings.map((f) => `${f.id} ${f.package}`));
const theirs = new Set<string>();
let current = '';
for (const line of debsecan.stdout.split('\n')) {
  const id = /^(\S+)(?: \(.*\))?$/.exec(line);
  if (id) current = id[1]!;
  const inst = /^\s+installed: (\S+) /.exec(line);
  if (inst) theirs.add(`${current} ${inst[1]}`);
}
const onlyOurs = [...ours].filter((x) => !theirs.has(x));
const onlyTheirs = [...theirs].filter((x) => !ours.has(x));

process.stdout.write(JSON.stringify({
  date: new Date().toISOString(),
  machine: `${execFileSync('uname', ['-srm'], { encoding: 'utf8' }).trim()}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores, node ${process.version}`,
  feed: { trackerMB: Math.round(statSync(tracker).size / 1e5) / 10, debsecanMB: Math.round(statSync(path.join(out, 'debsecan/bookworm')).size / 1e5) / 10, osvZipMB: Math.round(statSync(path.join(out, 'osv-all.zip')).size / 1e5) / 10 },
  load: (() => { try { return execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).trim(); } catch { return 'unknown'; } })(),
  nodeWithTsxBaselineRssMB: baseline.maxRssMB,
  inProcess: { spyglassTracker: spyglassInProcess, naiveJsonParseTracker: naiveInProcess, spyglassOsvZip: osvZipInProcess },
  endToEnd: { spyglassCliCompiled: spyglassCompiled && { wallS: spyglassCompiled.wallS, cpuS: spyglassCompiled.cpuS, maxRssMB: spyglassCompiled.maxRssMB }, spyglassCliViaTsx: { wallS: spyglassCli.wallS, cpuS: spyglassCli.cpuS, maxRssMB: spyglassCli.maxRssMB }, debsecan: { wallS: debsecan.wallS, cpuS: debsecan.cpuS, maxRssMB: debsecan.maxRssMB } },
  agreement: { spyglassPairs: ours.size, debsecanPairs: theirs.size, onlySpyglass: onlyOurs.slice(0, 10), onlyDebsecan: onlyTheirs.slice(0, 10), onlySpyglassCount: onlyOurs.length, onlyDebsecanCount: onlyTheirs.length },
}, null, 2) + '\n');
