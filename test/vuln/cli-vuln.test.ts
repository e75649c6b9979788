import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEBIAN_EXPECTED_TRACKER, debianRoot, debianTrackerData, tempDir, writeTracker,
} from '../../src/vuln/vuln-fixtures.test-helpers.js';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', path.resolve('test/helpers/run-cli.ts'), ...args], { encoding: 'utf8' });

test('spyglass vuln: table, json and csv of a fixture root; exit 1 on findings, 0 on none, 2 on errors', () => {
  const root = debianRoot(300);
  const feeds = tempDir();
  try {
    const tracker = path.join(feeds.dir, 'tracker.json');
    writeTracker(tracker, debianTrackerData(50), new Date(Date.now() - 40 * 86_400_000));

    const table = cli('vuln', '--feed', tracker, '--root', root.dir);
    assert.equal(table.status, 1, table.stderr);
    assert.match(table.stdout, /^PACKAGE\s+INSTALLED\s+FIXED IN\s+SEVERITY\s+ID\s+SOURCE$/m);
    assert.match(table.stdout, /^libssl3\s+3\.0\.11-1~deb12u2\s+3\.0\.13-1~deb12u1\s+medium\s+CVE-2024-0001\s+openssl$/m);
    assert.match(table.stdout, /^zlib1g\s+1:1\.2\.13\.dfsg-1\s+no fix yet\s+unimportant\s+CVE-2023-45853\s+zlib$/m);
    assert.match(table.stdout, /^bind9-libs\s+1:9\.18\.28-1~deb12u2\+b1 \(src 1:9\.18\.28-1~deb12u2\)/m);
    assert.match(table.stdout, /7 findings in 7 of 299 packages, 5 advisories/);
    assert.match(table.stdout, /WARNING: feed .*tracker\.json is 40 days old, over the 7-day limit/);

    const json = cli('vuln', '--feed', tracker, '--root', root.dir, '--format', 'json', '--max-feed-age', '60');
    assert.equal(json.status, 1, json.stderr);
    const parsed = JSON.parse(json.stdout) as { summary: { complete: boolean; staleFeeds: string[]; feeds: Array<{ ageDays: number }> }; findings: Array<{ id: string; package: string; fixedVersion: string | null; status: string }> };
    assert.deepEqual(parsed.findings.map((f) => `${f.id} ${f.package} ${f.fixedVersion ?? f.status}`).sort(), DEBIAN_EXPECTED_TRACKER);
    assert.deepEqual([parsed.summary.complete, parsed.summary.staleFeeds, parsed.summary.feeds[0]!.ageDays], [true, [], 40]);

    const csv = cli('vuln', '--feed', tracker, '--root', root.dir, '--format', 'csv');
    assert.equal(csv.status, 1);
    const rows = csv.stdout.trimEnd().split('\r\n');
    assert.equal(rows[0], 'id,aliases,package,packageVersion,arch,source,installedVersion,fixedVersion,status,severity,cvssScore,ecosystem,feed,summary');
    assert.equal(rows.length, 1 + DEBIAN_EXPECTED_TRACKER.length);
    assert.ok(rows.some((r) => r.startsWith('CVE-2023-45853,,zlib1g,1:1.2.13.dfsg-1,amd64,zlib,1:1.2.13.dfsg-1,,no_fix_yet,unimportant,,')), rows.join('\n'));
    assert.match(csv.stderr, /WARNING: feed .* 40 days old/);

    const clean = path.join(feeds.dir, 'clean.json');
    writeTracker(clean, { openssl: { 'CVE-2000-1': { releases: { bookworm: { status: 'resolved', fixed_version: '1.0-1', urgency: 'low' } } } } });
    const none = cli('vuln', '--feed', clean, '--root', root.dir);
    assert.equal(none.status, 0, none.stderr);
    assert.match(none.stdout, /No known vulnerabilities in 299 packages/);

    const truncated = path.join(feeds.dir, 'cut.json');
    writeFileSync(truncated, JSON.stringify(debianTrackerData(10)).slice(0, 3000));
    const bad = cli('vuln', '--feed', tracker, '--feed', truncated, '--root', root.dir);
    assert.equal(bad.status, 2, 'incomplete is an error even with findings');
    assert.match(bad.stdout, /INCOMPLETE: the scan could not read everything/);
    assert.match(bad.stdout, /cut\.json/);
    assert.match(bad.stderr, /incomplete/);

    assert.equal(cli('vuln', '--feed', tracker, '--root', root.dir, '--format', 'xml').status, 2);
    const eco = cli('vuln', '--feed', tracker, '--root', root.dir, '--ecosystem', 'Plan9:4');
    assert.equal(eco.status, 2);
    assert.match(eco.stderr, /unknown ecosystem "Plan9:4"/);
    assert.equal(cli('vuln', '--root', root.dir).status, 2, '--feed is required');
  } finally {
    root.cleanup();
    feeds.cleanup();
  }
});
