/**
 * What a report format is: a name, a file extension and a function from an AuditResult to
 * text. Apart from index.ts (the list of formats) so a renderer can take RenderOptions
 * without importing the list that imports it.
 */
import type { AuditResult } from '../result.js';

export interface RenderOptions {
  /** colour (ANSI) for the table: only when writing to a TTY */
  color?: boolean;
  /** table: show passing controls too (default true) */
  showPassing?: boolean;
}

export interface ReportFormat {
  name: string;
  /** file extension when --output names a base */
  extension: string;
  render(result: AuditResult, options: RenderOptions): string;
}
