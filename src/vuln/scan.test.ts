import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import type { EventDraft, EventPublisher } from '../core/event.js';
import type { SpyglassError } from '../core/errors.js';
import { runVulnScan, scanHost } from './scan.js';
import type { VulnFinding } from './finding.js';
import { writeZip } from './feeds/zip-writer.test-helpers.js';
import {
  ALMA_EXPECTED, ALPINE_EXPECTED, DEBIAN_EXPECTED_OSV, DEBIAN_EXPECTED_TRACKER, almaOsvRecords, almaRoot, alpineOsvRecords, alpineRoot,
  debianOsvRecords, debianRoot, debianTrackerData, tempDir, writeOsvDir, writeTracker, writeTree,
} from './vuln-fixtures.test-helpers.js';
import { dpkgStatusText } from '../host/packages/package-fixtures.test-helpers.js';

const summarise = (findings: VulnFinding[]) =>
  findings.map((f) => `${f.id} ${f.package} ${f.fixedVersion ?? f.status}`).sort();

test('Debian 12 root of 400 packages against the Debian tracker: exactly the known findings', async () => {
  const root = debianRoot(400);
  const feeds = tempDir();
  try {
    const tracker = path.join(feeds.dir, 'tracker.json');
    writeTracker(tracker);
    const { summary, findings } = await scanHost({ root: root.dir, feeds: [tracker] });
    assert.deepEqual(summarise(findings), DEBIAN_EXPECTED_TRACKER);
    assert.equal(summary.packages, 399, 'the config-files-only package is not installed');
    assert.equal(summary.complete, true);
    assert.equal(summary.debianRelease, 'bookworm');
    assert.deepEqual(summary.byStatus, { fix_available: 4, no_fix_yet: 1, undetermined: 2 });
    assert.equal(summary.vulnerablePackages, 7);
    assert.equal(summary.feeds[0]!.kind, 'debian-tracker');
    assert.equal(summary.feeds[0]!.records, 406);
    assert.equal(summary.feeds[0]!.stale, false);
    const zlib = findings.find((f) => f.package === 'zlib1g')!;
    assert.equal(zlib.severity, 'unimportant');
    assert.equal(zlib.note, 'no DSA (ignored): contrib/minizip not built');
    const bind = findings.find((f) => f.package === 'bind9-libs')!;
    assert.equal(bind.installedVersion, '1:9.18.28-1~deb12u2', 'compared by source version');
    assert.equal(bind.packageVersion, '1:9.18.28-1~deb12u2+b1');
    // severities first: high before medium before low
    assert.equal(findings[0]!.severity, 'high');
  } finally {
    root.cleanup();
    feeds.cleanup();
  }
});

test('Debian 12 root against OSV records as a directory, a zip and one JSON array: the same known findings', async () => {
  const root = debianRoot(300);
  const feeds = tempDir();
  try {
    const records = debianOsvRecords();
    writeOsvDir(path.join(feeds.dir, 'osv'), records);
    writeFileSync(path.join(feeds.dir, 'all.zip'), writeZip(records.map((r) => ({ name: `${(r as { id: string }).id}.json`, data: JSON.stringify(r) }))));
    writeFileSync(path.join(feeds.dir, 'all.json'), JSON.stringify(records));
    for (const feed of ['osv', 'all.zip', 'all.json']) {
      const { summary, findings } = await scanHost({ root: root.dir, feeds: [path.join(feeds.dir, feed)], now: new Date('2026-11-23T00:00:00Z') });
      assert.deepEqual(summarise(findings), DEBIAN_EXPECTED_OSV, feed);
      assert.deepEqual(summary.ecosystems, ['Debian:12']);
      assert.equal(summary.feeds[0]!.kind, 'osv');
      assert.equal(summary.feeds[0]!.records, records.length);
      assert.equal(summary.feeds[0]!.date, '2026-11-20T08:00:00.000Z', 'dated by the newest record');
      assert.equal(summary.feeds[0]!.ageDays, 2);
      const dsa = findings.find((f) => f.id === 'DSA-5600-1')!;
      assert.deepEqual([dsa.aliases, dsa.severity, dsa.summary], [['CVE-2024-0001'], 'medium', 'openssl security update']);
      const sudo = findings.find((f) => f.package === 'sudo')!;
      assert.deepEqual([sudo.severity, sudo.cvss], ['high', { vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', score: 7.8 }], 'a CVSS vector alone gives its rating');
    }
  } finally {
    root.cleanup();
    feeds.cleanup();
  }
});

test('Alpine (apk order, origin) and AlmaLinux (rpm order with epochs, SOURCERPM) roots against OSV', async () => {
  const alpine = alpineRoot();
  const alma = almaRoot();
  const feeds = tempDir();
  try {
    writeOsvDir(path.join(feeds.dir, 'alpine'), alpineOsvRecords());
    writeOsvDir(path.join(feeds.dir, 'alma'), almaOsvRecords());
    const a = await scanHost({ root: alpine.dir, feeds: [path.join(feeds.dir, 'alpine')] });
    assert.deepEqual(summarise(a.findings), ALPINE_EXPECTED);
    assert.deepEqual(a.summary.ecosystems, ['Alpine:v3.20']);
    const r = await scanHost({ root: alma.dir, feeds: [path.join(feeds.dir, 'alma')] });
    assert.deepEqual(summarise(r.findings), ALMA_EXPECTED);
    assert.equal(r.summary.packages, 3, 'gpg-pubkey is not a package');
    assert.deepEqual(r.summary.databases.map((d) => d.format), ['rpm']);
  } finally {
    alpine.cleanup();
    alma.cleanup();
    feeds.cleanup();
  }
});

test('Ubuntu 22.04 LTS root against Ubuntu OSV records (USN ids, Ubuntu priorities); the Debian tracker does not apply to it', async () => {
  const feeds = tempDir();
  const root = tempDir('spyglass-ubunturoot-');
  try {
    writeTree(root.dir, {
      '/etc/os-release': 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n',
      '/var/lib/dpkg/status': dpkgStatusText([
        { name: 'libssl3', version: '3.0.2-0ubuntu1.15', source: 'openssl' },
        { name: 'openssl', version: '3.0.2-0ubuntu1.15' },
        { name: 'libc6', version: '2.35-0ubuntu3.8', source: 'glibc' },
      ]),
    });
    const usn = (id: string, name: string, fixed: string, priority: string) => ({ id, modified: '2026-11-10T00:00:00Z', aliases: [], upstream: [`CVE-${id}`], affected: [{ package: { ecosystem: 'Ubuntu:22.04:LTS', name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }], severity: [{ type: 'Ubuntu', score: priority }] });
    writeOsvDir(path.join(feeds.dir, 'ubuntu'), [
      usn('USN-7000-1', 'openssl', '3.0.2-0ubuntu1.18', 'medium'),
      usn('USN-7001-1', 'glibc', '2.35-0ubuntu3.8', 'high'), // fixed in the installed version
      { ...usn('USN-7002-1', 'openssl', '9.9', 'low'), affected: [{ package: { ecosystem: 'Ubuntu:Pro:22.04:LTS', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.9' }] }] }] },
    ]);
    const r = await scanHost({ root: root.dir, feeds: [path.join(feeds.dir, 'ubuntu')] });
    assert.deepEqual(summarise(r.findings), ['USN-7000-1 libssl3 3.0.2-0ubuntu1.18', 'USN-7000-1 openssl 3.0.2-0ubuntu1.18']);
    assert.deepEqual([r.summary.ecosystems, r.findings[0]!.severity, r.summary.complete], [['Ubuntu:22.04:LTS'], 'medium', true]);
    const pro = await scanHost({ root: root.dir, feeds: [path.join(feeds.dir, 'ubuntu')], ecosystems: ['Ubuntu:22.04:LTS', 'Ubuntu:Pro:22.04:LTS'] });
    assert.deepEqual(summarise(pro.findings), ['USN-7000-1 libssl3 3.0.2-0ubuntu1.18', 'USN-7000-1 openssl 3.0.2-0ubuntu1.18', 'USN-7002-1 libssl3 9.9', 'USN-7002-1 openssl 9.9'], 'an Ubuntu Pro host adds the Pro ecosystem');
    const tracker = path.join(feeds.dir, 'tracker.json');
    writeTracker(tracker, debianTrackerData(1));
    const t = await scanHost({ root: root.dir, feeds: [tracker] });
    assert.deepEqual([t.summary.complete, t.summary.problems[0]!.code], [false, 'unknown_ecosystem']);
  } finally {
    root.cleanup();
    feeds.cleanup();
  }
});

test('two feeds: findings merged without duplicates; an old feed is reported stale', async () => {
  const root = debianRoot(100);
  const feeds = tempDir();
  try {
    const tracker = path.join(feeds.dir, 'tracker.json');
    writeTracker(tracker, debianTrackerData(5), new Date('2026-10-01T00:00:00Z'));
    writeOsvDir(path.join(feeds.dir, 'osv'), debianOsvRecords());
    const { summary, findings } = await scanHost({ root: root.dir, feeds: [tracker, path.join(feeds.dir, 'osv'), tracker], maxFeedAgeDays: 30, now: new Date('2026-11-23T00:00:00Z') });
    assert.equal(findings.length, DEBIAN_EXPECTED_TRACKER.length + DEBIAN_EXPECTED_OSV.length);
    assert.deepEqual(summary.staleFeeds, [tracker, tracker]);
    assert.equal(summary.feeds[0]!.ageDays, 53);
    assert.equal(summary.feeds[1]!.stale, false);
  } finally {
    root.cleanup();
    feeds.cleanup();
  }
});

test('bad input: a truncated feed, a malformed record, an unknown ecosystem, an unreadable database: incomplete, never passed off as complete', async () => {
  const root = debianRoot(50);
  const feeds = tempDir();
  try {
    const good = path.join(feeds.dir, 'tracker.json');
    writeTracker(good);
    const text = JSON.stringify(debianTrackerData(20), null, 1);
    const truncated = path.join(feeds.dir, 'truncated.json');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length * 0.6)));
    let r = await scanHost({ root: root.dir, feeds: [good, truncated] });
    assert.equal(r.summary.complete, false);
    assert.deepEqual(summarise(r.findings), DEBIAN_EXPECTED_TRACKER, 'the good feed still counts');
    assert.equal(r.summary.feeds.length, 1);
    const p = r.summary.problems[0]!;
    assert.equal(p.code, 'feed_malformed');
    assert.equal(p.file, truncated);
    assert.equal(typeof p.line, 'number');
    assert.match(String(p.message), /truncated/);

    const records = debianOsvRecords();
    (records[2] as { affected: Array<{ ranges: unknown }> }).affected[0]!.ranges = [{ type: 'ECOSYSTEM', events: [{ introduced: '0', fixed: '1' }] }];
    writeOsvDir(path.join(feeds.dir, 'badosv'), records);
    r = await scanHost({ root: root.dir, feeds: [path.join(feeds.dir, 'badosv')] });
    assert.equal(r.summary.complete, false);
    assert.match(String(r.summary.problems[0]!.message), /DEBIAN-CVE-2023-45853: 0\.ranges\.0\.events\.1|exactly one of/);
    assert.match(String(r.summary.problems[0]!.file), /DEBIAN-CVE-2023-45853\.json$/);

    writeOsvDir(path.join(feeds.dir, 'cutosv'), debianOsvRecords());
    writeFileSync(path.join(feeds.dir, 'cutosv', 'DSA-9999-1.json'), '{"id": "DSA-9999-1", "modified": "2026-01-01T00:00:00Z", "aff');
    r = await scanHost({ root: root.dir, feeds: [path.join(feeds.dir, 'cutosv')] });
    assert.deepEqual([r.summary.complete, r.summary.problems[0]!.code, r.summary.problems[0]!.line], [false, 'feed_malformed', 1], 'a cut record that never reaches its ecosystem is still an error');
    assert.match(String(r.summary.problems[0]!.file), /DSA-9999-1\.json$/);

    await assert.rejects(scanHost({ root: root.dir, feeds: [good], ecosystems: ['Gentoo:2'] }), (e: SpyglassError) => e.code === 'unknown_ecosystem');
    r = await scanHost({ root: root.dir, feeds: [good], release: 'bookwrom' });
    assert.equal(r.summary.problems[0]!.code, 'unknown_ecosystem');
    assert.match(String(r.summary.problems[0]!.message), /no data for release "bookwrom"/);
    r = await scanHost({ root: root.dir, feeds: [path.join(feeds.dir, 'missing.json')] });
    assert.equal(r.summary.problems[0]!.code, 'not_found');

    rmSync(path.join(root.dir, 'var/lib/dpkg/status'));
    r = await scanHost({ root: root.dir, feeds: [good] });
    assert.deepEqual([r.summary.complete, r.summary.problems[0]!.code], [false, 'no_package_database']);
    const alpine = alpineRoot();
    writeFileSync(path.join(alpine.dir, 'lib/apk/db/installed'), 'P:musl\nV:1.2.5-r0\nnot a field line\n');
    writeOsvDir(path.join(feeds.dir, 'alpine'), alpineOsvRecords());
    r = await scanHost({ root: alpine.dir, feeds: [path.join(feeds.dir, 'alpine')] });
    alpine.cleanup();
    assert.equal(r.summary.complete, false);
    assert.deepEqual([r.summary.problems[0]!.code, r.summary.problems[0]!.file, r.summary.problems[0]!.line], ['apkdb_invalid', '/lib/apk/db/installed', 3]);
  } finally {
    root.cleanup();
    feeds.cleanup();
  }
});

test('runVulnScan publishes one vuln event per finding, then a summary event', async () => {
  const root = debianRoot(100);
  const feeds = tempDir();
  try {
    const tracker = path.join(feeds.dir, 'tracker.json');
    writeTracker(tracker);
    const events: EventDraft[] = [];
    const publisher: EventPublisher = { publish: async (e) => { events.push(e); } };
    const result = await runVulnScan({ root: root.dir, feeds: [tracker] }, publisher);
    assert.equal(events.length, result.findings.length + 1);
    assert.ok(events.every((e) => e.kind === 'vuln'));
    assert.deepEqual(events.slice(0, -1).map((e) => `${e.data.id} ${e.data.package} ${e.data.fixed_version ?? e.data.status}`).sort(), DEBIAN_EXPECTED_TRACKER);
    assert.equal(events[0]!.source, 'tracker.json');
    const last = events.at(-1)!;
    assert.equal(last.data.action, 'summary');
    assert.ok(events.slice(0, -1).every((e) => e.data.action === 'finding'));
    const keys = events.flatMap((e) => Object.keys(e.data));
    assert.deepEqual(keys.filter((k) => !/^[a-z0-9_]+$/.test(k)), [], 'event data keys are snake_case');
    assert.equal(typeof last.data.started_at, 'string');
    assert.equal(last.data.findings, DEBIAN_EXPECTED_TRACKER.length);
    assert.equal(last.data.complete, true);
  } finally {
    root.cleanup();
    feeds.cleanup();
  }
});
