/** CSV report (RFC 4180): one row per control, for spreadsheets. */
import type { AuditResult } from '../result.js';

const COLUMNS = ['profile', 'id', 'title', 'section', 'level', 'severity', 'status', 'summary', 'exception', 'references', 'tags', 'duration_ms', 'source'] as const;

export function csvField(value: string): string {
  // a leading = + - @ would be a formula to a spreadsheet: quote it harmless
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderCsv(result: AuditResult): string {
  const rows = [COLUMNS.join(',')];
  for (const c of result.controls) {
    const refs = Object.entries(c.references).map(([k, v]) => `${k}:${v.join(' ')}`).join('; ');
    const values: Record<(typeof COLUMNS)[number], string> = {
      profile: c.profile, id: c.id, title: c.title, section: c.section, level: String(c.level), severity: c.severity, status: c.status,
      summary: c.summary, exception: c.exception ? `${c.exception.reason}${c.exception.expires ? ` (expires ${c.exception.expires})` : ''}${c.exception.expired ? ' [expired]' : ''}` : '',
      references: refs, tags: c.tags.join(' '), duration_ms: String(c.duration_ms), source: c.source,
    };
    rows.push(COLUMNS.map((k) => csvField(values[k])).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
