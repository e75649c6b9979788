/**
 * Renders a query result as text: `table` (osqueryi's pretty box), `line` (one `column = value`
 * per line, a blank line between rows), `list` (pipe-separated), `csv` (RFC 4180, with a
 * header; a cell that would be a spreadsheet formula is defused), `json` (an array of objects) and `jsonl` (one object per line). NULL prints as an
 * empty cell in the text formats and as null in JSON; BLOBs as hex.
 */
import { csvRecord } from '../core/csv.js';
import type { QueryResult } from './engine.js';
import type { SqlValue } from './table.js';

export const OUTPUT_FORMATS = ['table', 'line', 'list', 'csv', 'json', 'jsonl'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function isOutputFormat(s: string): s is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(s);
}

function cellText(v: SqlValue): string {
  if (v === null || v === undefined) return '';
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return String(v);
}

function jsonValue(v: SqlValue): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return v;
}

function objects(result: QueryResult): Array<Record<string, unknown>> {
  return result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c.name, jsonValue(r[i] ?? null)])));
}

/** Display width: counts code points, so "é" is one column. */
function width(s: string): number {
  return [...s].length;
}

function prettyTable(result: QueryResult): string {
  if (result.columns.length === 0) return '';
  const headers = result.columns.map((c) => c.name);
  const cells = result.rows.map((r) => headers.map((_, i) => cellText(r[i] ?? null).replace(/\n/g, '\\n')));
  const widths = headers.map((h, i) => Math.max(width(h), ...cells.map((row) => width(row[i]!))));
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  const line = (vals: string[]) => '| ' + vals.map((v, i) => v + ' '.repeat(widths[i]! - width(v))).join(' | ') + ' |';
  const out = [rule, line(headers), rule];
  if (cells.length) {
    for (const row of cells) out.push(line(row));
    out.push(rule);
  }
  return out.join('\n') + '\n';
}

/** The whole result as text in the given format (ending with a newline when not empty). */
export function formatResult(result: QueryResult, format: OutputFormat): string {
  const names = result.columns.map((c) => c.name);
  switch (format) {
    case 'table':
      return prettyTable(result);
    case 'line': {
      const pad = Math.max(0, ...names.map(width));
      return result.rows.map((r) => names.map((n, i) => `${' '.repeat(pad - width(n))}${n} = ${cellText(r[i] ?? null)}`).join('\n') + '\n').join('\n');
    }
    case 'list':
      return [names.join('|'), ...result.rows.map((r) => r.map((v) => cellText(v)).join('|'))].join('\n') + '\n';
    case 'csv':
      return [csvRecord(names), ...result.rows.map((r) => csvRecord(r.map((v) => cellText(v))))].join('\r\n') + '\r\n';
    case 'json':
      return JSON.stringify(objects(result), null, 2) + '\n';
    case 'jsonl':
      return objects(result).map((o) => JSON.stringify(o) + '\n').join('');
  }
}
