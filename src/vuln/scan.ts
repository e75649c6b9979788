/**
 * A vulnerability scan: the root's installed packages, matched against each feed, with a
 * summary that says what was looked at, how old each feed is, and whether the result is
 * complete. A feed or package database that cannot be read does not stop the other feeds,
 * but it makes the summary `complete: false` with the problem listed: a partial result is
 * never passed off as the whole answer.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { HostRoot } from '../core/host-root.js';
import { SpyglassError, toSpyglassError } from '../core/errors.js';
import { openRegularFile } from '../core/regular-file.js';
import { snakeCaseKeys, type EventPublisher } from '../core/event.js';
import { readOsRelease } from '../host/os-release.js';
import { readInstalledPackages, type PackageDatabase } from '../host/packages/installed-packages.js';
import { hostTarget } from './ecosystem.js';
import type { FeedInfo, FeedKind, FeedMatch, FindingStatus, VulnFinding } from './finding.js';
import { looksLikeDebianTracker, matchDebianTracker } from './feeds/debian-tracker-feed.js';
import { matchOsvFeed } from './feeds/osv-feed.js';

export const DEFAULT_MAX_FEED_AGE_DAYS = 7;

export interface VulnScanOptions {
  /** the root to scan (default "/") */
  root?: HostRoot | string;
  /** feed paths: OSV directory, OSV .zip, OSV .json, or Debian tracker .json */
  feeds: string[];
  /** feeds older than this many days make the summary say so (default 7) */
  maxFeedAgeDays?: number;
  /** OSV ecosystems instead of the one os-release implies */
  ecosystems?: string[];
  /** Debian tracker release instead of os-release's VERSION_CODENAME */
  release?: string;
  /** the scan's clock (tests) */
  now?: Date;
}

export interface VulnScanSummary {
  root: string;
  os: string;
  ecosystems: string[];
  debianRelease: string | null;
  packages: number;
  databases: PackageDatabase[];
  feeds: FeedInfo[];
  findings: number;
  /** distinct installed packages with at least one finding */
  vulnerablePackages: number;
  /** distinct advisory ids among the findings */
  advisories: number;
  bySeverity: Record<string, number>;
  byStatus: Record<FindingStatus, number>;
  maxFeedAgeDays: number;
  /** paths of feeds older than maxFeedAgeDays */
  staleFeeds: string[];
  /** false when a feed or package database could not be read: findings may be missing */
  complete: boolean;
  problems: Array<Record<string, unknown>>;
  startedAt: string;
  durationMs: number;
}

export interface VulnScanResult {
  summary: VulnScanSummary;
  findings: VulnFinding[];
}

/** Which loader a feed path needs. */
export async function detectFeedKind(feedPath: string): Promise<FeedKind> {
  let st;
  try {
    st = await fsp.stat(feedPath);
  } catch (err) {
    throw toSpyglassError(err, 'feed_unreadable', { file: feedPath });
  }
  if (st.isDirectory()) return 'osv';
  // a FIFO or device (/dev/zero) would hang the reads below or never end
  const handle = await openRegularFile(feedPath).catch((err: unknown) => { throw toSpyglassError(err, 'feed_unreadable', { file: feedPath }); });
  if (feedPath.endsWith('.zip')) {
    await handle.close();
    return 'osv';
  }
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (head.readUInt32LE(0) === 0x04034b50) return 'osv';
    return looksLikeDebianTracker(head.toString('utf8', 0, bytesRead)) ? 'debian-tracker' : 'osv';
  } finally {
    await handle.close();
  }
}

const SEVERITY_ORDER = ['critical', 'high', 'important', 'medium', 'moderate', 'low', 'negligible', 'unimportant', 'not yet assigned', 'end-of-life'];

/** Sort key of a severity word: known words by gravity, then anything else, then none. */
export function severityRank(severity: string | null): number {
  if (severity === null) return SEVERITY_ORDER.length + 1;
  const i = SEVERITY_ORDER.indexOf(severity.toLowerCase().replace(/\*+$/, ''));
  return i < 0 ? SEVERITY_ORDER.length : i;
}

export async function scanHost(options: VulnScanOptions): Promise<VulnScanResult> {
  const started = Date.now();
  const now = options.now ?? new Date();
  if (options.feeds.length === 0) throw new SpyglassError('usage', 'no feed given: pass --feed PATH (OSV directory or zip, or Debian tracker JSON)');
  const root = typeof options.root === 'string' ? new HostRoot(options.root) : options.root ?? new HostRoot('/');
  const maxAge = options.maxFeedAgeDays ?? DEFAULT_MAX_FEED_AGE_DAYS;
  const os = await readOsRelease(root);
  const target = hostTarget(os, { ecosystems: options.ecosystems, release: options.release });
  const installed = await readInstalledPackages(root);
  const problems: SpyglassError[] = [...installed.problems];
  if (installed.databases.length === 0 && installed.problems.length === 0) {
    problems.push(new SpyglassError('no_package_database', `no package database under ${root.dir} (looked for dpkg, rpm and apk databases)`, { path: root.dir }));
  }

  const feeds: FeedInfo[] = [];
  const findings: VulnFinding[] = [];
  const seen = new Set<string>();
  for (const feedPath of options.feeds) {
    let match: FeedMatch;
    try {
      const kind = await detectFeedKind(feedPath);
      match = kind === 'debian-tracker'
        ? await matchDebianTracker(feedPath, installed.packages, target)
        : await matchOsvFeed(feedPath, installed.packages, target);
    } catch (err) {
      problems.push(toSpyglassError(err, 'feed_unreadable', { file: feedPath }));
      continue;
    }
    const ageDays = Math.max(0, Math.floor((now.getTime() - Date.parse(match.info.date)) / 86_400_000));
    feeds.push({ ...match.info, ageDays, stale: ageDays > maxAge });
    for (const f of match.findings) {
      const key = `${f.id}\0${f.package}\0${f.arch}`;
      if (seen.has(key)) continue; // the same advisory from two feeds: the first feed given wins
      seen.add(key);
      findings.push(f);
    }
  }
  findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || a.package.localeCompare(b.package) || a.id.localeCompare(b.id));

  const bySeverity: Record<string, number> = {};
  const byStatus: Record<FindingStatus, number> = { fix_available: 0, no_fix_yet: 0, undetermined: 0 };
  for (const f of findings) {
    const s = f.severity ?? 'unknown';
    bySeverity[s] = (bySeverity[s] ?? 0) + 1;
    byStatus[f.status]++;
  }
  const summary: VulnScanSummary = {
    root: root.dir,
    os: target.os,
    ecosystems: target.osvEcosystems,
    debianRelease: target.debianRelease ?? null,
    packages: installed.packages.length,
    databases: installed.databases,
    feeds,
    findings: findings.length,
    vulnerablePackages: new Set(findings.map((f) => `${f.package}\0${f.arch}`)).size,
    advisories: new Set(findings.map((f) => f.id)).size,
    bySeverity,
    byStatus,
    maxFeedAgeDays: maxAge,
    staleFeeds: feeds.filter((f) => f.stale).map((f) => f.path),
    complete: problems.length === 0,
    problems: problems.map((p) => p.toJSON()),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
  };
  return { summary, findings };
}

/**
 * The agent's scheduled job: scans, then publishes one 'vuln' event per finding (action
 * `finding`) and one summary event (action `summary`, always last, also when the scan is
 * incomplete), with the result's keys in snake_case. Resolves to the result.
 */
export async function runVulnScan(options: VulnScanOptions, publisher: EventPublisher): Promise<VulnScanResult> {
  const result = await scanHost(options);
  const time = new Date(result.summary.startedAt);
  for (const finding of result.findings) {
    await publisher.publish({ kind: 'vuln', source: path.basename(finding.feed), time, data: { action: 'finding', ...(snakeCaseKeys(finding) as Record<string, unknown>) } });
  }
  await publisher.publish({ kind: 'vuln', source: 'vuln-scan', time, data: { action: 'summary', ...(snakeCaseKeys(result.summary) as Record<string, unknown>) } });
  return result;
}
