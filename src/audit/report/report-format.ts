/**
 * What a report format is: a name, a file extension and a function from an AuditResult to
 * text. Apart from index.ts (the list of formats) so a renderer can take RenderOptions
 * without importing the list that imports it.
 */
import type { AuditResult, ControlStatus } from '../result.js';

export interface RenderOptions {
  /** colour (ANSI) for the table: only when writing to a TTY */
  color?: boolean;
  /** table: show passing controls too (default true) */
  showPassing?: boolean;
  /** table: list only controls with these statuses (the counts and score still cover all) */
  statuses?: readonly ControlStatus[];
  /** table: the whole title and evidence, no cut to the terminal's width (a file, a pipe, --wide) */
  wide?: boolean;
}

export interface ReportFormat {
  name: string;
  /** file extension when --output names a base */
  extension: string;
  render(result: AuditResult, options: RenderOptions): string;
}
