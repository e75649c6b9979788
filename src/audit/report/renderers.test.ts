/** Renderers: escaping (HTML, XML, CSV formulas), colour only when asked, grouping and counts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarize, type AuditResult, type ControlResult } from '../result.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderTable } from './table.js';

function control(id: string, status: ControlResult['status'], summary: string): ControlResult {
  return {
    profile: 'p', id, title: `title <${id}> & "more"`, section: id.split('.')[0]!, level: 1, severity: 'high', tags: ['t'],
    references: { cis: [id], nist_800_53: ['AC-3'] }, condition: 'all', status, summary, preconditions: [],
    checks: [{ type: 'file', spec: { path: '/etc/x' }, status: status === 'controlled' ? 'fail' : status === 'not_applicable' ? 'not_applicable' : status, summary, evidence: [{ source: '/etc/x', line: 3, found: '<script>alert(1)</script>', expected: 'a & b' }], duration_ms: 1.5 }],
    duration_ms: 2, source: 'p.yaml:1', remediation: 'chmod 600 /etc/x',
    ...(status === 'controlled' ? { exception: { reason: 'accepted', expires: '2030-01-01', expired: false, source: 'ex.yaml:2' } } : {}),
  };
}

const controls = [control('1.1', 'pass', 'ok'), control('1.2', 'fail', '=HYPERLINK("http://x")'), control('2.1', 'controlled', 'x'), control('2.2', 'not_applicable', 'n/a'), control('3.1', 'error', 'boom\u0001')];
const result: AuditResult = {
  schema_version: 1, tool: { name: 'spyglass', version: '0.1.0' }, started_at: '2026-01-01T00:00:00.000Z', finished_at: '2026-01-01T00:00:01.000Z', duration_ms: 1000,
  host: { hostname: 'h<1>', os: { id: 'debian', version_id: '12', pretty_name: 'Debian 12' }, kernel: null, root: '/r', live: false },
  profiles: [{ id: 'p', title: 'P', version: '1', file: 'p.yaml', controls_selected: 5, controls_total: 5 }],
  filters: {}, summary: summarize(controls), profile_summaries: { p: summarize(controls) }, controls,
};

test('html escapes everything from the host and the profile, and is self-contained', () => {
  const html = renderHtml(result);
  assert.ok(!html.includes('<script>alert(1)</script>'));
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  assert.ok(html.includes('title &lt;1.1&gt; &amp; &quot;more&quot;'));
  assert.match(html, /<div class="n">66\.7%<\/div>/);
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/);
  assert.match(html, /NIST 800-53: AC-3/);
});

test('junit: one testcase per control with failure, error and skipped; valid XML characters only', () => {
  const xml = renderJunit(result);
  assert.equal((xml.match(/<testcase /g) ?? []).length, 5);
  assert.match(xml, /<testsuite name="p" tests="5" failures="1" errors="1" skipped="1"/);
  assert.match(xml, /<failure message="=HYPERLINK\(&quot;http:\/\/x&quot;\)" type="high">/);
  assert.match(xml, /<error message="boom" type="error">/);
  assert.match(xml, /<skipped message="n\/a"\/>/);
  assert.ok(!xml.includes('\u0001'));
  assert.ok(!xml.includes('<script>'));
});

test('csv quotes and defuses formulas', () => {
  const lines = renderCsv(result).split('\r\n');
  assert.equal(lines.length, 7); // header, 5 rows, trailing empty
  assert.ok(lines[2]!.includes(`"'=HYPERLINK(""http://x"")"`), lines[2]);
  assert.ok(lines[1]!.startsWith('p,1.1,"title <1.1> & ""more""",1,1,high,pass,ok,'));
});

test('table: plain unless colour is asked, grouped by section, summary and score', () => {
  const plain = renderTable(result, {});
  assert.doesNotMatch(plain, /\x1b\[/);
  assert.match(plain, /^1$/m);
  assert.match(plain, /5 controls: pass 1, fail 1, controlled 1, not applicable 1, error 1/);
  assert.match(plain, /Score: 66\.7% \(2 of 3 decided controls hold, 1 by exception; 33\.3% without exceptions\)/);
  assert.match(renderTable(result, { color: true }), /\x1b\[31mFAIL/);
  assert.doesNotMatch(renderTable(result, { showPassing: false }), /PASS/);
});
