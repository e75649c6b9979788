/**
 * Generates a Debian security tracker JSON the size of the real one (~30 000 source
 * packages, ~150 000 source/CVE entries, 4 releases each, 50-70 MB), built around this
 * machine's installed source packages so a scan of "/" has real work to do, plus the same
 * data in debsecan's format (VERSION 1, zlib) so debsecan can be run on it as the peer,
 * and an OSV all.zip with one DEBIAN-CVE record per (source, CVE) for Debian:12 plus the
 * same number of records for other ecosystems (the mixed export a mirror might hold).
 *
 *   node --import tsx bench/vuln/generate-feeds.ts OUT_DIR [SOURCES=30000]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { writeZip } from '../../src/vuln/feeds/zip-writer.test-helpers.js';
import { HostRoot } from '../../src/core/host-root.js';
import { readInstalledPackages } from '../../src/host/packages/installed-packages.js';
import { seededRandom, pick } from '../../src/host/packages/version-pool.test-helpers.js';

const outDir = process.argv[2] ?? '/tmp/spyglass-vuln-bench';
const totalSources = Number(process.argv[3] ?? 30000);
const rnd = seededRandom(7);
const RELEASES = ['bullseye', 'bookworm', 'trixie', 'sid'];
const URGENCIES = ['not yet assigned', 'unimportant', 'low', 'medium', 'high', 'low**', 'medium**'];
const WORDS = 'buffer overflow use-after-free in the parser allows remote attackers to cause a denial of service or possibly execute arbitrary code via a crafted file integer NULL pointer dereference heap out-of-bounds read write'.split(' ');

const sentence = (n: number) => Array.from({ length: n }, () => pick(rnd, WORDS)).join(' ');

type Release = { status: string; repositories: Record<string, string>; fixed_version?: string; urgency: string; nodsa?: string; nodsa_reason?: string };

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const installed = await readInstalledPackages(new HostRoot('/'));
  const sourceVersions = new Map<string, string>();
  for (const p of installed.packages) if (p.format === 'deb') sourceVersions.set(p.source, p.sourceVersion);

  const tracker: Record<string, Record<string, { description: string; scope: string; debianbug?: number; releases: Record<string, Release> }>> = {};
  // debsecan: one vulnerability-name list, one line per (source, vulnerability) for bookworm
  const vulnNames: string[] = [];
  const vulnIndex = new Map<string, number>();
  const debsecanLines: string[] = [];
  let cveCounter = 0;
  let entries = 0;

  const sources = [...sourceVersions.keys()];
  for (let n = 0; sources.length < totalSources; n++) sources.push(`generated-src-${n}`);

  for (const source of sources) {
    const installedVersion = sourceVersions.get(source);
    const count = installedVersion ? Math.floor(rnd() * 12) : 1 + Math.floor(rnd() * 8);
    const issues: (typeof tracker)[string] = {};
    for (let k = 0; k < count; k++) {
      const id = rnd() < 0.02 ? `TEMP-${String(900000 + cveCounter).padStart(7, '0')}-${(cveCounter % 4096).toString(16).toUpperCase()}` : `CVE-${2005 + (cveCounter % 20)}-${10000 + cveCounter}`;
      cveCounter++;
      const releases: Record<string, Release> = {};
      for (const rel of RELEASES) {
        const roll = rnd();
        const urgency = pick(rnd, URGENCIES);
        // fixed versions around the installed one: some below (fixed), some above (vulnerable)
        const base = installedVersion ?? `${1 + Math.floor(rnd() * 5)}.${Math.floor(rnd() * 20)}-1`;
        let release: Release;
        if (roll < 0.6) release = { status: 'resolved', repositories: { [rel]: base }, fixed_version: rnd() < 0.1 ? '0' : rnd() < 0.85 ? `${base.replace(/-[^-]*$/, '')}~pre1-0` : `${base}+fix1`, urgency };
        else if (roll < 0.9) release = { status: 'open', repositories: { [rel]: base }, urgency, ...(rnd() < 0.5 ? { nodsa: 'Minor issue', nodsa_reason: 'postponed' } : {}) };
        else release = { status: 'undetermined', repositories: { [rel]: base }, urgency: 'not yet assigned' };
        releases[rel] = release;
      }
      const description = sentence(5 + Math.floor(rnd() * 12));
      issues[id] = { description, scope: pick(rnd, ['local', 'remote']), ...(rnd() < 0.3 ? { debianbug: 1000000 + cveCounter } : {}), releases };
      entries++;
      const bw = releases.bookworm!;
      if (!vulnIndex.has(id)) { vulnIndex.set(id, vulnNames.length); vulnNames.push(`${id},,${description.replace(/\n/g, ' ')}`); }
      if (bw.status === 'resolved' && bw.fixed_version === '0') continue;
      const urgencyFlag = bw.urgency.startsWith('high') ? 'H' : bw.urgency.startsWith('medium') ? 'M' : bw.urgency.startsWith('low') ? 'L' : ' ';
      const fixed = bw.status === 'resolved' ? bw.fixed_version! : '';
      debsecanLines.push(`${source},${vulnIndex.get(id)}, ${urgencyFlag}?${fixed ? 'F' : ' '},${fixed},`);
    }
    tracker[source] = issues;
  }
  // OSV: the bookworm data as DEBIAN-CVE records, plus as many decoys for other ecosystems
  const osvFiles: Array<{ name: string; data: string }> = [];
  for (const [source, issues] of Object.entries(tracker)) {
    for (const [id, issue] of Object.entries(issues)) {
      const bw = issue.releases.bookworm!;
      if (bw.status === 'resolved' && bw.fixed_version === '0') continue;
      const events = bw.status === 'resolved' ? [{ introduced: '0' }, { fixed: bw.fixed_version! }] : [{ introduced: '0' }];
      const record = { schema_version: '1.6.0', id: `DEBIAN-${id}`, modified: '2026-11-20T00:00:00Z', published: '2024-01-01T00:00:00Z', upstream: [id], details: issue.description, affected: [{ package: { ecosystem: 'Debian:12', name: source, purl: `pkg:deb/debian/${source}?arch=source` }, ranges: [{ type: 'ECOSYSTEM', events }], ecosystem_specific: { urgency: bw.urgency } }] };
      osvFiles.push({ name: `DEBIAN-${id}.json`, data: JSON.stringify(record, null, 2) });
      const decoy = { ...record, id: `UBUNTU-${id}`, affected: [{ ...record.affected[0]!, package: { ecosystem: 'Ubuntu:22.04:LTS', name: source } }] };
      osvFiles.push({ name: `UBUNTU-${id}.json`, data: JSON.stringify(decoy, null, 2) });
    }
  }
  writeFileSync(path.join(outDir, 'osv-all.zip'), writeZip(osvFiles, { zip64: osvFiles.length > 0xffff }));
  const json = JSON.stringify(tracker);
  writeFileSync(path.join(outDir, 'tracker.json'), json);
  const debsecan = ['VERSION 1', ...vulnNames, '', ...debsecanLines, '', ''].join('\n');
  mkdirSync(path.join(outDir, 'debsecan'), { recursive: true });
  writeFileSync(path.join(outDir, 'debsecan', 'bookworm'), deflateSync(Buffer.from(debsecan)));
  process.stdout.write(JSON.stringify({ outDir, sources: sources.length, installedSources: sourceVersions.size, entries, trackerBytes: Buffer.byteLength(json), osvRecords: osvFiles.length }) + '\n');
}

await main();
