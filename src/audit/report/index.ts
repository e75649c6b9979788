/**
 * Report formats: each renders an AuditResult to text. Add a format by writing
 * `<format>.ts` exporting a render function and listing it in REPORT_FORMATS.
 */
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderTable } from './table.js';
import type { ReportFormat } from './report-format.js';

export type { RenderOptions, ReportFormat } from './report-format.js';

export const REPORT_FORMATS: readonly ReportFormat[] = [
  { name: 'table', extension: 'txt', render: renderTable },
  { name: 'json', extension: 'json', render: renderJson },
  { name: 'junit', extension: 'xml', render: renderJunit },
  { name: 'html', extension: 'html', render: renderHtml },
  { name: 'csv', extension: 'csv', render: renderCsv },
];

export function findReportFormat(name: string): ReportFormat | undefined {
  return REPORT_FORMATS.find((f) => f.name === name);
}
