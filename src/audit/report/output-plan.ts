/**
 * Where each requested report goes. `--format` may be given several times (or as a comma
 * list); `--output` may be given several times:
 *   --output json=out.json     that format to that file
 *   --output report.html       with one format: that file (and with no --format, the format
 *                              is taken from the extension: .json .html .xml .csv .txt)
 *   --output report            with several formats: report.<ext> for each (report.json, …)
 * A format with no output is printed on stdout.
 */
import { SpyglassError } from '../../core/errors.js';
import { REPORT_FORMATS, findReportFormat, type ReportFormat } from './index.js';

export interface PlannedOutput {
  format: ReportFormat;
  /** undefined: stdout */
  file?: string;
}

function formatByExtension(file: string): ReportFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (!ext) return undefined;
  return REPORT_FORMATS.find((f) => f.extension === ext || (ext === 'htm' && f.name === 'html'));
}

export function planOutputs(formatArgs: readonly string[], outputArgs: readonly string[]): PlannedOutput[] {
  const names = formatArgs.flatMap((f) => f.split(',')).map((s) => s.trim()).filter(Boolean);
  const bound = new Map<string, string>();
  const plain: string[] = [];
  for (const o of outputArgs) {
    const m = /^([a-z]+)=(.+)$/.exec(o);
    if (m && findReportFormat(m[1]!)) {
      bound.set(m[1]!, m[2]!);
      if (!names.includes(m[1]!)) names.push(m[1]!);
    } else plain.push(o);
  }
  if (plain.length > 1) throw new SpyglassError('usage', `--output given ${plain.length} plain files (${plain.join(', ')}); bind each to a format: --output json=FILE`);
  if (names.length === 0) {
    const inferred = plain[0] ? formatByExtension(plain[0]) : undefined;
    names.push(inferred?.name ?? 'table');
  }
  const formats: ReportFormat[] = [];
  for (const n of names) {
    const f = findReportFormat(n);
    if (!f) throw new SpyglassError('usage', `unknown format "${n}" (formats: ${REPORT_FORMATS.map((x) => x.name).join(', ')})`);
    if (!formats.includes(f)) formats.push(f);
  }
  const unbound = formats.filter((f) => !bound.has(f.name));
  const plan: PlannedOutput[] = formats.map((format) => ({ format, ...(bound.has(format.name) ? { file: bound.get(format.name)! } : {}) }));
  const base = plain[0];
  if (base !== undefined) {
    if (unbound.length === 1) {
      plan.find((p) => p.format === unbound[0])!.file = base;
    } else if (unbound.length > 1) {
      const stem = formatByExtension(base) && unbound.includes(formatByExtension(base)!) ? base.replace(/\.[a-z]+$/i, '') : base;
      for (const p of plan) if (!p.file) p.file = `${stem}.${p.format.extension}`;
    }
  }
  return plan;
}
