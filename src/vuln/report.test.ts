import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCsv } from './report.js';
import type { VulnFinding } from './finding.js';
import type { VulnScanResult } from './scan.js';

const finding: VulnFinding = {
  id: 'CVE-2024-0001', aliases: ['DSA-1'], package: 'libssl3', packageVersion: '3.0.11-1', arch: 'amd64', format: 'deb',
  source: 'openssl', installedVersion: '3.0.11-1', fixedVersion: null, status: 'no_fix_yet', severity: 'high',
  cvss: { vector: 'CVSS:3.1/AV:N', score: 7.5 }, summary: '=HYPERLINK("http://evil.example","click"), then more', ecosystem: 'Debian:12', feed: '/feeds/osv',
};

test('vuln CSV defuses feed text that a spreadsheet would run as a formula', () => {
  const rows = formatCsv({ summary: {} as VulnScanResult['summary'], findings: [finding, { ...finding, id: '@SUM(1)', summary: null, cvss: undefined }] }).split('\r\n');
  assert.equal(rows[1], `CVE-2024-0001,DSA-1,libssl3,3.0.11-1,amd64,openssl,3.0.11-1,,no_fix_yet,high,7.5,Debian:12,/feeds/osv,"'=HYPERLINK(""http://evil.example"",""click""), then more"`);
  assert.ok(rows[2]!.startsWith(`"'@SUM(1)",DSA-1,`), rows[2]);
  assert.ok(rows[2]!.endsWith(',,Debian:12,/feeds/osv,'), rows[2]);
});
