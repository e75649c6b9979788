/**
 * Table report for the terminal: controls grouped by section (id, title, status, short
 * evidence), then counts per status and the score. ANSI colour only when asked (the CLI asks
 * when stdout is a TTY and NO_COLOR is unset); plain text otherwise.
 */
import type { AuditResult, ControlResult, ControlStatus, Summary } from '../result.js';
import type { RenderOptions } from './report-format.js';
import { SEVERITIES } from '../profile/schema.js';
import { countNoun as count } from '../../core/count-noun.js';

const LABEL: Record<ControlStatus, string> = { pass: 'PASS', fail: 'FAIL', controlled: 'CONTROLLED', not_applicable: 'N/A', error: 'ERROR' };
const COLOUR: Record<ControlStatus, string> = { pass: '32', fail: '31', controlled: '36', not_applicable: '90', error: '33' };

export function statusLabel(s: ControlStatus): string {
  return LABEL[s];
}

function truncate(text: string, width: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  if (width === Infinity) return one;
  if (width <= 1) return '';
  return one.length <= width ? one : one.slice(0, width - 1) + '…';
}

export function formatSummary(s: Summary, paint: (code: string, t: string) => string): string[] {
  const c = s.counts;
  const parts = [
    paint(COLOUR.pass, `pass ${c.pass}`), paint(COLOUR.fail, `fail ${c.fail}`), paint(COLOUR.controlled, `controlled ${c.controlled}`),
    paint(COLOUR.not_applicable, `not applicable ${c.not_applicable}`), paint(COLOUR.error, `error ${c.error}`),
  ];
  const lines = [`${count(s.total, 'control')}: ${parts.join(', ')}`];
  if (s.score === null) lines.push('Score: n/a (no control was decided)');
  else {
    const decided = c.pass + c.controlled + c.fail;
    lines.push(`Score: ${s.score.toFixed(1)}% (${c.pass + c.controlled} of ${decided} decided controls hold${c.controlled ? `, ${c.controlled} by exception; ${s.score_without_exceptions!.toFixed(1)}% without exceptions` : ''})`);
  }
  return lines;
}

/** "Failures by severity: 2 high, 5 medium; 1 error": what to fix first, at the end where the eye lands. */
function failureRecap(controls: readonly ControlResult[], paint: (code: string, t: string) => string): string | undefined {
  const bySeverity = new Map<string, number>();
  for (const c of controls) if (c.status === 'fail') bySeverity.set(c.severity, (bySeverity.get(c.severity) ?? 0) + 1);
  const errors = controls.filter((c) => c.status === 'error').length;
  if (bySeverity.size === 0 && errors === 0) return undefined;
  const parts = [...SEVERITIES].reverse().filter((s) => bySeverity.has(s)).map((s) => `${bySeverity.get(s)} ${s}`);
  const fails = parts.length ? paint(COLOUR.fail, `Failures by severity: ${parts.join(', ')}`) : paint(COLOUR.pass, 'No failures');
  return `${fails}${errors ? `; ${paint(COLOUR.error, count(errors, 'error'))} (controls that could not be evaluated)` : ''}`;
}

export function renderTable(result: AuditResult, options: RenderOptions = {}): string {
  const paint = (code: string, t: string) => (options.color ? `\x1b[${code}m${t}\x1b[0m` : t);
  const bold = (t: string) => (options.color ? `\x1b[1m${t}\x1b[0m` : t);
  const width = Math.max(80, Math.min(process.stdout.columns || 120, 200));
  const out: string[] = [];
  const h = result.host;
  out.push(bold(`Spyglass audit of ${h.hostname}`) + ` — ${h.os?.pretty_name ?? 'unknown OS'}${h.kernel ? `, kernel ${h.kernel}` : ''}, root ${h.root}${h.live ? ' (live)' : ' (offline)'}`);
  for (const p of result.profiles) {
    out.push(`Profile ${p.id} ${p.version}: ${p.title}${p.benchmark ? ` (${p.benchmark.name}${p.benchmark.version ? ` ${p.benchmark.version}` : ''})` : ''}, ${p.controls_selected} of ${count(p.controls_total, 'control')} selected`);
  }
  const idWidth = Math.min(14, Math.max(4, ...result.controls.map((c) => c.id.length)));
  const statusWidth = 10;
  const listed = (c: ControlResult) => (options.statuses ? options.statuses.includes(c.status) : options.showPassing !== false || c.status !== 'pass');
  const shown = result.controls.filter(listed);
  const longestTitle = Math.max(10, ...shown.map((c) => c.title.length));
  // wide: nothing cut (a file or a pipe has no width; on a terminal --wide asks for it)
  const titleWidth = options.wide ? longestTitle : Math.min(longestTitle, Math.max(20, Math.floor((width - idWidth - statusWidth - 8) * 0.5)));
  const evidenceWidth = options.wide ? Infinity : Math.max(10, width - idWidth - statusWidth - titleWidth - 8);

  const multi = result.profiles.length > 1;
  const groups = new Map<string, ControlResult[]>();
  for (const c of result.controls) {
    const key = `${multi ? `${c.profile}: ` : ''}${c.section}${c.section_title ? ` ${c.section_title}` : ''}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(c);
  }
  for (const [section, controls] of groups) {
    if (!controls.some(listed)) continue;
    out.push('', bold(section));
    for (const c of controls) {
      if (!listed(c)) continue;
      const status = paint(COLOUR[c.status], LABEL[c.status].padEnd(statusWidth));
      out.push(`  ${c.id.padEnd(idWidth)}  ${truncate(c.title, titleWidth).padEnd(titleWidth)}  ${status}  ${truncate(c.summary, evidenceWidth)}`.trimEnd());
    }
  }
  const hidden = result.controls.length - shown.length;
  if (hidden > 0) out.push('', `(${count(hidden, 'control')} not listed: ${options.statuses ? `--status ${options.statuses.join(',')}` : '--hide-passing'})`);
  out.push('', ...formatSummary(result.summary, paint));
  const recap = failureRecap(result.controls, paint);
  if (recap) out.push(recap);
  if (multi) {
    for (const p of result.profiles) {
      const s = result.profile_summaries[p.id]!;
      out.push(`  ${p.id}: score ${s.score === null ? 'n/a' : `${s.score.toFixed(1)}%`}, fail ${s.counts.fail}, error ${s.counts.error}`);
    }
  }
  return out.join('\n') + '\n';
}
