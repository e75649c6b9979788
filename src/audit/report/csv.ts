/** CSV report (RFC 4180): one row per control, for spreadsheets. */
import { csvRecord } from '../../core/csv.js';
import type { AuditResult } from '../result.js';

const COLUMNS = ['profile', 'id', 'title', 'section', 'level', 'severity', 'status', 'summary', 'exception', 'references', 'tags', 'duration_ms', 'source'] as const;

export function renderCsv(result: AuditResult): string {
  const rows = [COLUMNS.join(',')];
  for (const c of result.controls) {
    const refs = Object.entries(c.references).map(([k, v]) => `${k}:${v.join(' ')}`).join('; ');
    const values: Record<(typeof COLUMNS)[number], string> = {
      profile: c.profile, id: c.id, title: c.title, section: c.section, level: String(c.level), severity: c.severity, status: c.status,
      summary: c.summary, exception: c.exception ? `${c.exception.reason}${c.exception.expires ? ` (expires ${c.exception.expires})` : ''}${c.exception.expired ? ' [expired]' : ''}` : '',
      references: refs, tags: c.tags.join(' '), duration_ms: String(c.duration_ms), source: c.source,
    };
    rows.push(csvRecord(COLUMNS.map((k) => values[k])));
  }
  return rows.join('\r\n') + '\r\n';
}
