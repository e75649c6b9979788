/** Renders a scan for people (table), programs (json) and spreadsheets (csv). */
import { csvRecord } from '../core/csv.js';
import type { VulnFinding } from './finding.js';
import { severityRank, type VulnScanResult, type VulnScanSummary } from './scan.js';

export type ReportFormat = 'table' | 'json' | 'csv';
export const REPORT_FORMATS: ReportFormat[] = ['table', 'json', 'csv'];

const NO_FIX = 'no fix yet';

function fixedText(f: VulnFinding): string {
  if (f.fixedVersion !== null) return f.fixedVersion;
  return f.status === 'undetermined' ? 'undetermined' : NO_FIX;
}

export function formatTable(result: VulnScanResult): string {
  const header = ['PACKAGE', 'INSTALLED', 'FIXED IN', 'SEVERITY', 'ID', 'SOURCE'];
  const rows = result.findings.map((f) => [f.package, f.installedVersion === f.packageVersion ? f.packageVersion : `${f.packageVersion} (src ${f.installedVersion})`, fixedText(f), f.severity ?? '-', f.id, f.source]);
  const widths = header.map((h, k) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[k]!.length))));
  const line = (cells: string[]) => cells.map((c, k) => (k === cells.length - 1 ? c : c.padEnd(widths[k]!))).join('  ').trimEnd();
  const out = rows.length ? [line(header), ...rows.map(line)] : [];
  out.push('', ...summaryLines(result.summary));
  return out.join('\n') + '\n';
}

/** The summary in a few lines: counts, each feed and its age, warnings. */
export function summaryLines(s: VulnScanSummary): string[] {
  const lines: string[] = [];
  const severities = Object.entries(s.bySeverity).sort((a, b) => severityRank(a[0] === 'unknown' ? null : a[0]) - severityRank(b[0] === 'unknown' ? null : b[0])).map(([k, n]) => `${n} ${k}`).join(', ');
  lines.push(s.findings === 0
    ? `No known vulnerabilities in ${s.packages} packages (${s.os}).`
    : `${s.findings} findings in ${s.vulnerablePackages} of ${s.packages} packages, ${s.advisories} advisories (${s.os})${severities ? `: ${severities}` : ''}; ${s.byStatus.fix_available} with a fix, ${s.byStatus.no_fix_yet} with no fix yet${s.byStatus.undetermined ? `, ${s.byStatus.undetermined} undetermined` : ''}.`);
  for (const f of s.feeds) {
    lines.push(`Feed ${f.path}: ${f.kind}, dated ${f.date.slice(0, 10)} (${f.dateSource === 'mtime' ? 'file time' : 'newest record'}), ${f.ageDays} days old, ${f.advisories} advisories for this host's packages.`);
  }
  for (const p of s.staleFeeds) {
    const f = s.feeds.find((x) => x.path === p)!;
    lines.push(`WARNING: feed ${p} is ${f.ageDays} days old, over the ${s.maxFeedAgeDays}-day limit: recent vulnerabilities are missing.`);
  }
  if (!s.complete) {
    lines.push('INCOMPLETE: the scan could not read everything; findings may be missing:');
    for (const p of s.problems) lines.push(`  - ${String(p.message)}${p.file && !String(p.message).includes(String(p.file)) ? ` [${String(p.file)}${p.line !== undefined ? `:${String(p.line)}` : ''}]` : p.line !== undefined ? ` [line ${String(p.line)}]` : ''}`);
  }
  return lines;
}

export function formatJson(result: VulnScanResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

const CSV_COLUMNS = ['id', 'aliases', 'package', 'packageVersion', 'arch', 'source', 'installedVersion', 'fixedVersion', 'status', 'severity', 'cvssScore', 'ecosystem', 'feed', 'summary'] as const;

function cellText(value: unknown): string {
  return value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : String(value);
}

/** RFC 4180 CSV, one row per finding (feed text that would be a spreadsheet formula defused); the fixed version column is empty when there is no fix. */
export function formatCsv(result: VulnScanResult): string {
  const rows = [CSV_COLUMNS.join(','), ...result.findings.map((f) => csvRecord(CSV_COLUMNS.map((c) => cellText(c === 'cvssScore' ? f.cvss?.score : f[c]))))];
  return rows.join('\r\n') + '\r\n';
}

export function formatReport(result: VulnScanResult, format: ReportFormat): string {
  return format === 'json' ? formatJson(result) : format === 'csv' ? formatCsv(result) : formatTable(result);
}
