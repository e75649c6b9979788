/**
 * Where each requested report goes. `--format` may be given several times (or as a comma
 * list); `--output` may be given several times:
 *   --output json=out.json     that format to that file
 *   --output report.html       with one format: that file (and with no --format, the format
 *                              is taken from the extension: .json .html .xml .csv .txt)
 *   --output report            with several formats: report.<ext> for each (report.json, …)
 *   --output a.csv -o b.xml    when no --format is left unbound, each file's extension says its
 *                              format; an extension no format has (report.pdf) is an error, as
 *                              writing plain text into it would be a wrong answer
 * A format with no output is printed on stdout.
 */
import path from 'node:path';
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
  for (const n of names) {
    if (!findReportFormat(n)) throw new SpyglassError('usage', `unknown format "${n}" (formats: ${REPORT_FORMATS.map((x) => x.name).join(', ')})`);
  }
  const bound = new Map<string, string>();
  const plain: string[] = [];
  for (const o of outputArgs) {
    const m = /^([a-z]+)=(.+)$/.exec(o);
    if (m && findReportFormat(m[1]!)) {
      if (bound.has(m[1]!)) throw new SpyglassError('usage', `--output binds ${m[1]} twice (${bound.get(m[1]!)}, ${m[2]})`);
      bound.set(m[1]!, m[2]!);
    } else plain.push(o);
  }
  // the formats --format asked for that no FMT=FILE took: a plain --output is for them
  const unbound = [...new Set(names)].filter((n) => !bound.has(n));
  if (plain.length > 0 && unbound.length === 0) {
    // no --format left to write: each plain file says its format by its extension
    for (const file of plain) {
      const f = formatByExtension(file);
      if (!f && /\.[^./]+$/.test(file)) throw new SpyglassError('usage', `--output ${file}: no report format has the extension of ${path.basename(file)} (${REPORT_FORMATS.map((x) => `.${x.extension}`).join(' ')}); name one with --format or FMT=FILE`);
      const name = f?.name ?? 'table'; // a name with no extension at all: the plain-text table
      if (bound.has(name)) throw new SpyglassError('usage', `--output ${file} and --output ${bound.get(name)} would both get the ${name} report; bind each to a format: --output json=FILE`);
      bound.set(name, file);
    }
  } else if (plain.length > 1) {
    throw new SpyglassError('usage', `--output given ${plain.length} plain files (${plain.join(', ')}) for --format ${unbound.join(',')}; bind each to a format: --output json=FILE`);
  } else if (plain.length === 1) {
    const base = plain[0]!;
    if (unbound.length === 1) bound.set(unbound[0]!, base);
    else {
      const ext = formatByExtension(base);
      const stem = ext && unbound.includes(ext.name) ? base.replace(/\.[a-z]+$/i, '') : base;
      for (const n of unbound) bound.set(n, `${stem}.${findReportFormat(n)!.extension}`);
    }
  }
  const order = [...new Set([...names, ...bound.keys()])];
  if (order.length === 0) order.push('table');
  return order.map((n) => ({ format: findReportFormat(n)!, ...(bound.has(n) ? { file: bound.get(n)! } : {}) }));
}
