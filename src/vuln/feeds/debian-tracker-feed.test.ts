import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { looksLikeDebianTracker, matchDebianTracker } from './debian-tracker-feed.js';
import { tempDir } from '../vuln-fixtures.test-helpers.js';
import type { InstalledPackage } from '../../host/packages/installed-packages.js';
import type { SpyglassError } from '../../core/errors.js';

test('tracker or OSV, from the first bytes: a first package with no issues is still the tracker', () => {
  assert.equal(looksLikeDebianTracker('{"0ad": {}, "openssl": {"CVE-2024-1": {}}}'), true);
  assert.equal(looksLikeDebianTracker('{\n  "openssl": {\n    "CVE-2024-1": {'), true);
  assert.equal(looksLikeDebianTracker('{"schema_version": "1.6.0", "id": "DSA-1"}'), false);
  assert.equal(looksLikeDebianTracker('{"id": "DSA-1", "modified": "2024-01-01T00:00:00Z"}'), false);
  assert.equal(looksLikeDebianTracker('{"database_specific": {"x": 1}, "id": "X"}'), false);
  assert.equal(looksLikeDebianTracker('[{"id": "DSA-1"}]'), false);
});

test('matching rules: resolved below/at/above the installed version, "0", open, undetermined, other releases, unknown status', async () => {
  const t = tempDir();
  const pkg = (name: string, source: string, sourceVersion: string): InstalledPackage => ({ format: 'deb', name, version: sourceVersion, arch: 'amd64', source, sourceVersion, state: 'installed', provides: [] });
  const installed = [pkg('libfoo1', 'foo', '2.0-1'), pkg('foo-bin', 'foo', '2.0-1'), pkg('rpm-only', 'foo', '1.0')].map((p, k) => (k === 2 ? { ...p, format: 'rpm' as const } : p));
  try {
    const file = path.join(t.dir, 'tracker.json');
    const rel = (r: object) => ({ releases: { bookworm: r, bullseye: { status: 'open', urgency: 'high' } } });
    writeFileSync(file, JSON.stringify({
      '0ad': {},
      foo: {
        'CVE-1': rel({ status: 'resolved', fixed_version: '2.0-2', urgency: 'high' }),
        'CVE-2': rel({ status: 'resolved', fixed_version: '2.0-1', urgency: 'high' }),
        'CVE-3': rel({ status: 'resolved', fixed_version: '0', urgency: 'unimportant' }),
        'CVE-4': rel({ status: 'open', urgency: 'low' }),
        'CVE-5': rel({ status: 'undetermined', urgency: 'not yet assigned' }),
        'CVE-6': { releases: { bullseye: { status: 'open', urgency: 'high' } } },
        'TEMP-0000000-ABCD': rel({ status: 'resolved', fixed_version: '1:0.1-1', urgency: 'low' }),
      },
    }));
    const target = { os: 'Debian 12', osvEcosystems: ['Debian:12'], debianRelease: 'bookworm' };
    const { findings, info } = await matchDebianTracker(file, installed, target);
    assert.deepEqual(findings.map((f) => `${f.id} ${f.package} ${f.status} ${f.fixedVersion}`).sort(), [
      'CVE-1 foo-bin fix_available 2.0-2', 'CVE-1 libfoo1 fix_available 2.0-2',
      'CVE-4 foo-bin no_fix_yet null', 'CVE-4 libfoo1 no_fix_yet null',
      'CVE-5 foo-bin undetermined null', 'CVE-5 libfoo1 undetermined null',
      'TEMP-0000000-ABCD foo-bin fix_available 1:0.1-1', 'TEMP-0000000-ABCD libfoo1 fix_available 1:0.1-1',
    ]);
    assert.deepEqual([info.records, info.advisories, info.kind, info.dateSource], [2, 6, 'debian-tracker', 'mtime']);

    writeFileSync(file, JSON.stringify({ foo: { 'CVE-1': rel({ status: 'fixed-ish', urgency: 'low' }) } }));
    await assert.rejects(matchDebianTracker(file, installed, target), (e: SpyglassError) => e.code === 'feed_malformed' && /unknown status "fixed-ish"/.test(e.message) && e.context.line === 1);
    await assert.rejects(matchDebianTracker(file, installed, { ...target, debianRelease: undefined, os: 'Ubuntu 22.04' }), (e: SpyglassError) => e.code === 'unknown_ecosystem' && /Debian releases only/.test(e.message));
  } finally {
    t.cleanup();
  }
});
