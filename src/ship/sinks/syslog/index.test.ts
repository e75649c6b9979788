/** syslog sink: RFC 5424 and RFC 3164 message formats, priority from facility and per-kind severity. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSyslog } from './index.js';
import { SyslogSchema } from './schema.js';

const envelope = { id: 'e1', time: '2026-03-04T05:06:07.000Z', kind: 'vuln' as const, source: 'osv "feed"', host: { name: 'web 01', id: 'x', tags: {} }, agent: { name: 'spyglass' as const, version: '1' }, fields: {}, data: { action: 'finding' } };

test('syslog: RFC 5424 with structured data (escaped), PRI from facility and severity', () => {
  const cfg = SyslogSchema.parse({ type: 'syslog', host: 'logs', facility: 'local3', severity: { vuln: 'warning' }, app_name: 'sg' });
  const msg = formatSyslog(envelope, cfg);
  // local3 = 19, warning = 4: 19 * 8 + 4 = 156
  assert.match(msg, /^<156>1 2026-03-04T05:06:07\.000Z web_01 sg \d+ vuln \[spyglass@32473 kind="vuln" source="osv \\"feed\\"" id="e1"\] \{/);
  assert.deepEqual(JSON.parse(msg.slice(msg.indexOf('] ') + 2)).data, { action: 'finding' });
});

test('syslog: RFC 3164 (BSD) header; agent events default to info, others to notice', () => {
  const cfg = SyslogSchema.parse({ type: 'syslog', host: 'logs', format: 'rfc3164' });
  assert.match(formatSyslog(envelope, cfg), /^<13>Mar  4 05:06:07 web_01 spyglass\[\d+\]: \{/);
  assert.match(formatSyslog({ ...envelope, kind: 'agent' }, cfg), /^<14>/);
});
