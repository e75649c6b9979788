/** What a vulnerability scan produces: findings, the feeds they came from, and a summary. */
import type { PackageFormat } from '../host/packages/installed-packages.js';

export type FindingStatus = 'fix_available' | 'no_fix_yet' | 'undetermined';

/** One advisory that applies to one installed (binary) package. */
export interface VulnFinding {
  /** advisory id as the feed names it: CVE-…, DSA-…, USN-…, ALSA-…, DEBIAN-CVE-… */
  id: string;
  /** other ids of the same vulnerability (CVE aliases, upstream ids) */
  aliases: string[];
  /** installed binary package */
  package: string;
  /** its version as installed */
  packageVersion: string;
  arch: string;
  format: PackageFormat;
  /** source package the feed is keyed by */
  source: string;
  /** the version compared against the feed (the source version) */
  installedVersion: string;
  /** first version that fixes it, or null when there is no fix yet */
  fixedVersion: string | null;
  status: FindingStatus;
  /** the feed's severity / urgency / priority word, else the rating of its CVSS v3 score; null when it has none */
  severity: string | null;
  /** CVSS vector and v3 base score, when the feed gives a vector (OSV `severity`) */
  cvss?: { vector: string; score: number | null };
  summary: string | null;
  /** OSV ecosystem ("Debian:12") or tracker release ("debian-tracker:bookworm") */
  ecosystem: string;
  /** feed file it came from */
  feed: string;
  /** feed-specific notes (e.g. the tracker's nodsa reason) */
  note?: string;
}

export type FeedKind = 'osv' | 'debian-tracker';

export interface FeedInfo {
  path: string;
  kind: FeedKind;
  /** the feed's date: newest record modification inside it, else the file's mtime (ISO 8601) */
  date: string;
  dateSource: 'records' | 'mtime';
  /** whole days between the feed's date and the scan */
  ageDays: number;
  /** older than the configured limit */
  stale: boolean;
  /** advisories read that concern this host's packages */
  advisories: number;
  /** records (OSV) or source packages (tracker) in the file */
  records: number;
}

/** The feed loaders' part of a FeedInfo: age and staleness are the scan's judgement. */
export type LoadedFeedInfo = Omit<FeedInfo, 'ageDays' | 'stale'>;

export interface FeedMatch {
  info: LoadedFeedInfo;
  findings: VulnFinding[];
}
