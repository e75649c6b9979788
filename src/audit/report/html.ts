/**
 * HTML report: one self-contained file (inline CSS and a few lines of JS, no external
 * resource) a person reads: summary and score, a bar per section, a status filter, and for
 * each control its evidence, rationale and remediation. All text is HTML-escaped.
 */
import type { CheckResult, ControlResult, ControlStatus, AuditResult } from '../result.js';
import { CONTROL_STATUSES } from '../result.js';
import { statusLabel } from './table.js';

export function htmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const COLOURS: Record<ControlStatus, string> = { pass: '#2e7d32', fail: '#c62828', controlled: '#00838f', not_applicable: '#9e9e9e', error: '#ef6c00' };

const CSS = `
:root{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#f6f8fa}
body{max-width:1200px;margin:0 auto;padding:24px}
h1{font-size:1.5em;margin:0 0 4px}h2{font-size:1.15em;margin:28px 0 8px}
.meta{color:#57606a;font-size:.92em;line-height:1.5}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:18px 0}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 16px;min-width:110px}
.card .n{font-size:1.8em;font-weight:600}.card .l{color:#57606a;font-size:.85em;text-transform:uppercase;letter-spacing:.04em}
.score .n{font-size:2.4em}
.bar{display:flex;height:14px;border-radius:7px;overflow:hidden;background:#eaeef2;min-width:200px;flex:1}
.bar span{display:block;height:100%}
.sections{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:8px 16px}
.srow{display:flex;align-items:center;gap:12px;padding:5px 0;font-size:.92em}
.srow .name{width:320px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.srow .cnt{width:150px;color:#57606a;text-align:right;font-variant-numeric:tabular-nums}
.filters{margin:16px 0;display:flex;gap:8px;flex-wrap:wrap;align-items:center}
.filters label{background:#fff;border:1px solid #d0d7de;border-radius:16px;padding:4px 12px;cursor:pointer;user-select:none;font-size:.9em}
.filters input{margin-right:6px}
.filters input[type=search]{border:1px solid #d0d7de;border-radius:6px;padding:5px 10px;min-width:240px}
details.control{background:#fff;border:1px solid #d0d7de;border-left-width:5px;border-radius:6px;margin:6px 0}
details.control>summary{cursor:pointer;padding:8px 12px;list-style:none}
.row{display:flex;gap:12px;align-items:baseline}
details.control>summary::-webkit-details-marker{display:none}
.cid{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em;min-width:80px}
.ctitle{flex:1;font-weight:500}
.badge{border-radius:10px;padding:1px 9px;color:#fff;font-size:.78em;font-weight:600;white-space:nowrap}
.sev{color:#57606a;font-size:.8em;white-space:nowrap}
.csum{color:#57606a;font-size:.85em;padding:2px 0 0 92px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.body{padding:4px 16px 14px;border-top:1px solid #eaeef2;font-size:.92em;line-height:1.5}
.body h4{margin:12px 0 4px;font-size:.85em;text-transform:uppercase;letter-spacing:.04em;color:#57606a}
.body p{margin:4px 0;white-space:pre-wrap}
table.ev{border-collapse:collapse;width:100%;font-size:.88em;margin:4px 0}
table.ev td,table.ev th{border:1px solid #eaeef2;padding:4px 8px;text-align:left;vertical-align:top}
table.ev th{background:#f6f8fa;font-weight:600}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92em;word-break:break-all}
.exc{background:#e0f7fa;border-radius:6px;padding:6px 10px;margin:6px 0}
.hidden{display:none}
.nowrap{white-space:nowrap}
footer{color:#57606a;font-size:.8em;margin-top:32px}
`;

const SCRIPT = `
(function(){
  var boxes=document.querySelectorAll('.filters input[type=checkbox]');
  var search=document.getElementById('q');
  function apply(){
    var on={};boxes.forEach(function(b){on[b.value]=b.checked;});
    var q=(search.value||'').toLowerCase();
    document.querySelectorAll('details.control').forEach(function(d){
      var show=on[d.dataset.status]&&(!q||d.dataset.text.indexOf(q)>=0);
      d.classList.toggle('hidden',!show);
    });
    document.querySelectorAll('section.group').forEach(function(s){
      s.classList.toggle('hidden',!s.querySelector('details.control:not(.hidden)'));
    });
  }
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  search.addEventListener('input',apply);
  document.getElementById('expand').addEventListener('click',function(){
    var open=this.dataset.open!=='1';this.dataset.open=open?'1':'0';this.textContent=open?'Collapse all':'Expand all';
    document.querySelectorAll('details.control:not(.hidden)').forEach(function(d){d.open=open;});
  });
  apply();
})();
`;

function bar(counts: Record<ControlStatus, number>): string {
  const total = CONTROL_STATUSES.reduce((t, s) => t + counts[s], 0) || 1;
  return `<div class="bar" role="img" aria-label="${CONTROL_STATUSES.map((s) => `${statusLabel(s)} ${counts[s]}`).join(', ')}">` +
    CONTROL_STATUSES.filter((s) => counts[s] > 0).map((s) => `<span style="width:${(counts[s] / total) * 100}%;background:${COLOURS[s]}" title="${statusLabel(s)}: ${counts[s]}"></span>`).join('') + '</div>';
}

function badge(s: ControlStatus): string {
  return `<span class="badge" style="background:${COLOURS[s]}">${statusLabel(s)}</span>`;
}

function checkRows(kind: string, checks: CheckResult[]): string {
  if (!checks.length) return '';
  const rows = checks.map((k) => {
    const ev = k.evidence.length
      ? k.evidence.map((e) => `<div>${e.source ? `<code>${htmlEscape(e.source)}${e.line ? `:${e.line}` : ''}</code> ` : ''}${e.found !== undefined ? `found <code>${htmlEscape(e.found)}</code> ` : ''}${e.expected !== undefined ? `expected <code>${htmlEscape(e.expected)}</code> ` : ''}${e.note ? `<span class="meta">${htmlEscape(e.note)}</span>` : ''}</div>`).join('')
      : '';
    return `<tr><td>${badge(k.status)}</td><td class="mono">${htmlEscape(k.type)}</td><td>${htmlEscape(k.summary)}${ev}</td><td class="mono nowrap">${k.duration_ms.toFixed(1)} ms</td></tr>`;
  }).join('');
  return `<h4>${kind}</h4><table class="ev"><tr><th>status</th><th>check</th><th>result and evidence</th><th>time</th></tr>${rows}</table>`;
}

const REFERENCE_NAMES: Record<string, string> = { cis: 'CIS', nist_800_53: 'NIST 800-53', pci_dss: 'PCI DSS', iso_27001: 'ISO 27001', stig: 'STIG' };

function controlHtml(c: ControlResult): string {
  const refs = Object.entries(c.references).map(([k, v]) => `${htmlEscape(REFERENCE_NAMES[k] ?? k.replace(/_/g, ' ').toUpperCase())}: ${v.map(htmlEscape).join(', ')}`).join(' · ');
  const text = `${c.id} ${c.title} ${c.summary} ${c.tags.join(' ')}`.toLowerCase();
  const exc = c.exception
    ? `<div class="exc">${c.exception.expired ? '<b>Expired exception</b>' : '<b>Exception</b>'}: ${htmlEscape(c.exception.reason)}${c.exception.expires ? ` (expires ${htmlEscape(c.exception.expires)})` : ''}${c.exception.approved_by ? `, approved by ${htmlEscape(c.exception.approved_by)}` : ''} <span class="meta">${htmlEscape(c.exception.source)}</span></div>`
    : '';
  return `<details class="control" data-status="${c.status}" data-text="${htmlEscape(text)}" style="border-left-color:${COLOURS[c.status]}">
<summary><div class="row"><span class="cid">${htmlEscape(c.id)}</span><span class="ctitle">${htmlEscape(c.title)}</span><span class="sev">L${c.level} · ${c.severity}</span>${badge(c.status)}</div><div class="csum">${htmlEscape(c.summary)}</div></summary>
<div class="body">${exc}
${c.description ? `<h4>Description</h4><p>${htmlEscape(c.description.trim())}</p>` : ''}
${c.rationale ? `<h4>Rationale</h4><p>${htmlEscape(c.rationale.trim())}</p>` : ''}
${checkRows('Preconditions', c.preconditions)}${checkRows(`Checks (${c.condition})`, c.checks)}
${c.remediation ? `<h4>Remediation</h4><p>${htmlEscape(c.remediation.trim())}</p>` : ''}
${refs ? `<h4>References</h4><p>${refs}</p>` : ''}
<p class="meta">Profile ${htmlEscape(c.profile)} · defined at <code>${htmlEscape(c.source)}</code>${c.tags.length ? ` · tags ${c.tags.map(htmlEscape).join(', ')}` : ''}</p>
</div></details>`;
}

export function renderHtml(result: AuditResult): string {
  const s = result.summary;
  const h = result.host;
  const groups = new Map<string, ControlResult[]>();
  for (const c of result.controls) {
    const key = `${result.profiles.length > 1 ? `${c.profile}: ` : ''}${c.section}${c.section_title ? ` ${c.section_title}` : ''}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(c);
  }
  const countsOf = (list: ControlResult[]) => {
    const counts = { pass: 0, fail: 0, controlled: 0, not_applicable: 0, error: 0 } as Record<ControlStatus, number>;
    for (const c of list) counts[c.status]++;
    return counts;
  };
  const cards = CONTROL_STATUSES.map((st) => `<div class="card"><div class="n" style="color:${COLOURS[st]}">${s.counts[st]}</div><div class="l">${statusLabel(st)}</div></div>`).join('');
  const score = s.score === null ? 'n/a' : `${s.score.toFixed(1)}%`;
  const sectionRows = [...groups].map(([name, list]) => {
    const c = countsOf(list);
    const decided = c.pass + c.controlled + c.fail;
    return `<div class="srow"><span class="name" title="${htmlEscape(name)}">${htmlEscape(name)}</span>${bar(c)}<span class="cnt">${decided ? `${Math.round(((c.pass + c.controlled) / decided) * 100)}% · ` : ''}${list.length} control${list.length === 1 ? '' : 's'}</span></div>`;
  }).join('\n');
  const filters = CONTROL_STATUSES.map((st) => `<label><input type="checkbox" value="${st}" checked>${statusLabel(st)} (${s.counts[st]})</label>`).join('');
  const body = [...groups].map(([name, list]) => `<section class="group" id="${htmlEscape(`section-${list[0]!.profile}-${list[0]!.section}`)}"><h2>${htmlEscape(name)}</h2>\n${list.map(controlHtml).join('\n')}</section>`).join('\n');
  const profiles = result.profiles.map((p) => `${htmlEscape(p.title)} <code>${htmlEscape(p.id)}</code> ${htmlEscape(p.version)}${p.benchmark ? ` — ${htmlEscape(p.benchmark.name)}${p.benchmark.version ? ` ${htmlEscape(p.benchmark.version)}` : ''}` : ''} (${p.controls_selected} of ${p.controls_total} controls)`).join('<br>');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Spyglass audit: ${htmlEscape(h.hostname)} — ${score}</title>
<style>${CSS}</style></head>
<body>
<h1>Compliance audit of ${htmlEscape(h.hostname)}</h1>
<div class="meta">${htmlEscape(h.os?.pretty_name ?? 'unknown OS')}${h.kernel ? ` · kernel ${htmlEscape(h.kernel)}` : ''} · root <code>${htmlEscape(h.root)}</code> ${h.live ? '(live system)' : '(offline)'}<br>
${profiles}<br>
${htmlEscape(result.started_at)} · ${(result.duration_ms / 1000).toFixed(2)} s · Spyglass ${htmlEscape(result.tool.version)}</div>
<div class="cards"><div class="card score"><div class="n">${score}</div><div class="l">Score${s.counts.controlled ? ` (${s.score_without_exceptions?.toFixed(1)}% without exceptions)` : ''}</div></div>${cards}</div>
<div class="meta">Score = (pass + controlled) / (pass + controlled + fail). Controlled: a failure accepted by an exception. Not applicable and error are left out.</div>
<h2>By section</h2>
<div class="sections">${sectionRows}</div>
<div class="filters">${filters}<input id="q" type="search" placeholder="Search id, title, evidence…"><button id="expand" type="button">Expand all</button></div>
${body}
<footer>Generated by Spyglass ${htmlEscape(result.tool.version)} · result schema ${result.schema_version}</footer>
<script>${SCRIPT}</script>
</body></html>
`;
}
