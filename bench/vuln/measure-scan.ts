/**
 * One scan of this machine ("/") against a feed, in-process, reporting phases and peak RSS:
 *   node --import tsx bench/vuln/measure-scan.ts FEED [naive]
 * "naive" is the baseline a straightforward implementation would be: JSON.parse of the whole
 * tracker, then the same matching rules over the parsed object.
 */
import { readFileSync } from 'node:fs';
import { HostRoot } from '../../src/core/host-root.js';
import { readInstalledPackages } from '../../src/host/packages/installed-packages.js';
import { compareDpkgVersions } from '../../src/host/packages/dpkg-version.js';
import { scanHost } from '../../src/vuln/scan.js';

const feed = process.argv[2]!;
const mode = process.argv[3] ?? 'spyglass';
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let findings: number;
let packagesMs: number | undefined;
if (mode === 'naive') {
  const installed = await readInstalledPackages(new HostRoot('/'));
  packagesMs = performance.now() - t0;
  const data = JSON.parse(readFileSync(feed, 'utf8')) as Record<string, Record<string, { releases: Record<string, { status: string; fixed_version?: string }> }>>;
  findings = 0;
  for (const p of installed.packages) {
    for (const issue of Object.values(data[p.source] ?? {})) {
      const r = issue.releases.bookworm;
      if (!r || (r.status === 'resolved' && (!r.fixed_version || r.fixed_version === '0'))) continue;
      if (r.status === 'resolved' && compareDpkgVersions(p.sourceVersion, r.fixed_version!) >= 0) continue;
      findings++;
    }
  }
} else {
  const result = await scanHost({ root: '/', feeds: [feed] });
  if (!result.summary.complete) throw new Error(JSON.stringify(result.summary.problems));
  findings = result.findings.length;
}
const totalMs = performance.now() - t0;
process.stdout.write(JSON.stringify({ mode, findings, packagesMs, totalMs: Math.round(totalMs), cpuMs: Math.round((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
