/**
 * JUnit XML report: each profile a testsuite, each control a testcase (classname = section),
 * so CI systems list them. fail → <failure>, error → <error>, not_applicable → <skipped>,
 * controlled → passes with the exception in <system-out>.
 */
import type { AuditResult, ControlResult } from '../result.js';

export function xmlEscape(text: string): string {
  // XML 1.0 forbids most control characters even escaped: drop them
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function evidenceText(c: ControlResult): string {
  const lines: string[] = [c.summary];
  for (const check of [...c.preconditions, ...c.checks]) {
    lines.push(`[${check.status}] ${check.type}: ${check.summary}`);
    for (const e of check.evidence) {
      const where = e.source ? `${e.source}${e.line ? `:${e.line}` : ''}` : '';
      lines.push(`  ${where}${e.found !== undefined ? ` found: ${e.found}` : ''}${e.expected !== undefined ? ` expected: ${e.expected}` : ''}${e.note ? ` (${e.note})` : ''}`);
    }
  }
  if (c.remediation) lines.push('', `Remediation: ${c.remediation.trim()}`);
  return lines.join('\n');
}

export function renderJunit(result: AuditResult): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const s = result.summary.counts;
  out.push(`<testsuites name="spyglass audit" tests="${result.controls.length}" failures="${s.fail}" errors="${s.error}" skipped="${s.not_applicable}" time="${(result.duration_ms / 1000).toFixed(3)}">`);
  for (const p of result.profiles) {
    const controls = result.controls.filter((c) => c.profile === p.id);
    const ps = result.profile_summaries[p.id]!.counts;
    const time = controls.reduce((t, c) => t + c.duration_ms, 0) / 1000;
    out.push(`  <testsuite name="${xmlEscape(p.id)}" tests="${controls.length}" failures="${ps.fail}" errors="${ps.error}" skipped="${ps.not_applicable}" time="${time.toFixed(3)}" timestamp="${result.started_at.replace(/Z$/, '')}" hostname="${xmlEscape(result.host.hostname)}">`);
    out.push(`    <properties><property name="profile.version" value="${xmlEscape(p.version)}"/><property name="score" value="${result.profile_summaries[p.id]!.score ?? ''}"/></properties>`);
    for (const c of controls) {
      const name = xmlEscape(`${c.id} ${c.title}`);
      const open = `    <testcase classname="${xmlEscape(`${c.profile}.${c.section}`)}" name="${name}" time="${(c.duration_ms / 1000).toFixed(3)}"`;
      const body = xmlEscape(evidenceText(c));
      switch (c.status) {
        case 'pass': out.push(`${open}/>`); break;
        case 'controlled': out.push(`${open}><system-out>${body}</system-out></testcase>`); break;
        case 'not_applicable': out.push(`${open}><skipped message="${xmlEscape(c.summary)}"/></testcase>`); break;
        case 'fail': out.push(`${open}><failure message="${xmlEscape(c.summary)}" type="${c.severity}">${body}</failure></testcase>`); break;
        case 'error': out.push(`${open}><error message="${xmlEscape(c.summary)}" type="error">${body}</error></testcase>`); break;
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
