/**
 * The Debian security tracker's JSON (https://security-tracker.debian.org/tracker/data/json):
 *
 *   { "<source package>": { "<CVE or TEMP id>": { "description", "scope", "debianbug",
 *       "releases": { "<codename>": { "status": "resolved" | "open" | "undetermined",
 *           "fixed_version"?, "urgency", "nodsa"?, "nodsa_reason"?, "repositories": {…} } } } } }
 *
 * The file is 50-90 MB; it is read in chunks and only the members for installed source
 * packages are parsed (see json-object-stream.ts), the rest is checked for structure and
 * skipped, so memory stays near one chunk plus the largest package. Matching, per source
 * package installed at version v and the host's release:
 *   resolved, fixed_version "0"   → never affected in this release
 *   resolved, fixed_version F     → affected when v < F (dpkg order), fix F
 *   open                          → affected, no fix yet
 *   undetermined                  → reported as undetermined, no fix yet
 * The feed's date is the file's mtime (the JSON carries none).
 */
import { promises as fsp } from 'node:fs';
import { SpyglassError, toSpyglassError } from '../../core/errors.js';
import type { InstalledPackage } from '../../host/packages/installed-packages.js';
import { compareDpkgVersions } from '../../host/packages/dpkg-version.js';
import type { HostTarget } from '../ecosystem.js';
import type { FeedMatch, VulnFinding } from '../finding.js';
import { fileSource, forEachTopLevelMember, watchingSource, type MemberValue } from './json-object-stream.js';
import { openRegularFile } from '../../core/regular-file.js';

interface TrackerRelease {
  status?: unknown;
  fixed_version?: unknown;
  urgency?: unknown;
  nodsa?: unknown;
  nodsa_reason?: unknown;
}

interface TrackerIssue {
  description?: unknown;
  releases?: Record<string, TrackerRelease>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Top-level fields of an OSV record: a file whose first member is one of these is OSV. */
const OSV_TOP_LEVEL_FIELDS = new Set(['schema_version', 'id', 'modified', 'published', 'withdrawn', 'aliases', 'upstream', 'related', 'summary', 'details', 'severity', 'affected', 'references', 'credits', 'database_specific']);

/**
 * A quick look at the start of a JSON file: the tracker is an object whose members are
 * source packages (values: objects keyed by CVE ids); an OSV file is a record (first member
 * one of the OSV fields) or an array of records.
 */
export function looksLikeDebianTracker(head: string): boolean {
  const m = /^\uFEFF?\s*\{\s*"((?:[^"\\]|\\.)*)"\s*:\s*\{/.exec(head);
  return m !== null && !OSV_TOP_LEVEL_FIELDS.has(m[1]!);
}

export async function matchDebianTracker(feedPath: string, packages: InstalledPackage[], target: HostTarget): Promise<FeedMatch> {
  const release = target.debianRelease;
  if (!release) {
    throw new SpyglassError('unknown_ecosystem', `${feedPath}: the Debian security tracker covers Debian releases only, and this host is ${target.os}; pass --release CODENAME to force one`, { file: feedPath });
  }
  let handle: fsp.FileHandle;
  let mtime: Date;
  try {
    handle = await openRegularFile(feedPath);
    mtime = (await handle.stat()).mtime;
  } catch (err) {
    const e = toSpyglassError(err, 'feed_unreadable', { file: feedPath });
    throw new SpyglassError(e.code === 'not_found' ? 'feed_not_found' : 'feed_unreadable', e.code === 'not_found' ? `${feedPath}: no such file or directory` : e.message, { file: feedPath }, { cause: err });
  }
  const bySource = new Map<string, InstalledPackage[]>();
  for (const p of packages) {
    if (p.format !== 'deb') continue;
    const list = bySource.get(p.source) ?? [];
    list.push(p);
    bySource.set(p.source, list);
  }
  const findings: VulnFinding[] = [];
  let advisories = 0;
  // a release no entry mentions is a typo or a release the tracker does not know
  const watched = watchingSource(fileSource(handle), `"${release}"`);
  const onMember = (source: string, value: MemberValue) => {
    const installed = bySource.get(source);
    if (!installed) return;
    const issues = value.parse();
    if (!isObject(issues)) throw value.fail(`"${source}": expected an object of issues`);
    for (const [id, raw] of Object.entries(issues)) {
      if (!isObject(raw)) throw value.fail(`"${source}" → "${id}": expected an object`);
      const issue = raw as TrackerIssue;
      if (issue.releases !== undefined && !isObject(issue.releases)) throw value.fail(`"${source}" → "${id}": "releases" is not an object`);
      const rel = issue.releases?.[release];
      if (rel === undefined) continue;
      if (!isObject(rel) || typeof rel.status !== 'string') throw value.fail(`"${source}" → "${id}" → "${release}": no status`);
      advisories++;
      const fixed = typeof rel.fixed_version === 'string' ? rel.fixed_version : undefined;
      if (rel.status === 'resolved' && (fixed === undefined || fixed === '0')) continue; // not affected in this release
      for (const pkg of installed) {
        let status: VulnFinding['status'];
        let fixedVersion: string | null = null;
        if (rel.status === 'resolved') {
          if (compareDpkgVersions(pkg.sourceVersion, fixed!) >= 0) continue;
          status = 'fix_available';
          fixedVersion = fixed!;
        } else if (rel.status === 'open') status = 'no_fix_yet';
        else if (rel.status === 'undetermined') status = 'undetermined';
        else throw value.fail(`"${source}" → "${id}" → "${release}": unknown status "${rel.status}"`);
        const nodsa = typeof rel.nodsa === 'string' ? rel.nodsa : undefined;
        const nodsaReason = typeof rel.nodsa_reason === 'string' ? rel.nodsa_reason : undefined;
        const description = typeof issue.description === 'string' ? issue.description : null;
        findings.push({
          id,
          aliases: [],
          package: pkg.name,
          packageVersion: pkg.version,
          arch: pkg.arch,
          format: pkg.format,
          source,
          installedVersion: pkg.sourceVersion,
          fixedVersion,
          status,
          severity: typeof rel.urgency === 'string' ? rel.urgency : null,
          summary: description ? description.slice(0, 200) : null,
          ecosystem: `debian-tracker:${release}`,
          feed: feedPath,
          ...(nodsa !== undefined || nodsaReason !== undefined ? { note: `no DSA${nodsaReason ? ` (${nodsaReason})` : ''}${nodsa ? `: ${nodsa}` : ''}` } : {}),
        });
      }
    }
  };
  let records: number;
  try {
    records = await forEachTopLevelMember(watched.source, feedPath, onMember);
  } finally {
    await handle.close();
  }
  if (records > 0 && !watched.found()) {
    throw new SpyglassError('unknown_ecosystem', `${feedPath}: the tracker has no data for release "${release}"`, { file: feedPath });
  }
  return { info: { path: feedPath, kind: 'debian-tracker', date: mtime.toISOString(), dateSource: 'mtime', advisories, records }, findings };
}
