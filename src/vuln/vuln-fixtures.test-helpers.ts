/**
 * Fixture roots and feeds with known answers, shared by the vuln unit tests, the CLI tests
 * and the benchmark: a Debian 12 root with a few hundred packages, a Debian tracker JSON
 * and the equivalent OSV records, plus small Alpine and AlmaLinux roots.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apkInstalledText, dpkgStatusText, generatedDebianPackages, type FixtureDeb } from '../host/packages/package-fixtures.test-helpers.js';
import { rpmPackageHeader, writeRpmdbSqlite } from '../host/packages/rpm-header.test-helpers.js';

export interface FixtureDir {
  dir: string;
  cleanup(): void;
}

export function tempDir(prefix = 'spyglass-vuln-'): FixtureDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), content);
  }
}

export const DEBIAN_12_OS_RELEASE = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n';

/** The packages of the Debian fixture whose vulnerabilities the feeds below describe. */
export const DEBIAN_NAMED: FixtureDeb[] = [
  { name: 'openssl', version: '3.0.11-1~deb12u2' },
  { name: 'libssl3', version: '3.0.11-1~deb12u2', source: 'openssl' },
  { name: 'zlib1g', version: '1:1.2.13.dfsg-1', source: 'zlib' },
  { name: 'bind9-libs', version: '1:9.18.28-1~deb12u2+b1', source: 'bind9 (1:9.18.28-1~deb12u2)' },
  { name: 'curl', version: '7.88.1-10+deb12u5' },
  { name: 'libcurl4', version: '7.88.1-10+deb12u5', source: 'curl' },
  { name: 'sudo', version: '1.9.13p3-1+deb12u1' },
  { name: 'old-tool', version: '1.0-1', source: 'oldsrc', status: 'deinstall ok config-files' },
];

/** Findings both Debian feeds must produce: "id package fixed-or-status". */
export const DEBIAN_EXPECTED_TRACKER = [
  'CVE-2024-0001 libssl3 3.0.13-1~deb12u1',
  'CVE-2024-0001 openssl 3.0.13-1~deb12u1',
  'CVE-2023-45853 zlib1g no_fix_yet',
  'CVE-2024-0005 bind9-libs 1:9.18.33-1~deb12u1',
  'CVE-2024-0007 curl undetermined',
  'CVE-2024-0007 libcurl4 undetermined',
  'CVE-2024-0008 sudo 1.9.13p3-1+deb12u2',
].sort();

/** A Debian 12 root with `count` packages (the named ones included). */
export function debianRoot(count = 400): FixtureDir {
  const t = tempDir('spyglass-debroot-');
  writeTree(t.dir, {
    '/etc/os-release': DEBIAN_12_OS_RELEASE,
    '/var/lib/dpkg/status': dpkgStatusText(generatedDebianPackages(count, DEBIAN_NAMED)),
  });
  return t;
}

type TrackerRelease = { status: string; fixed_version?: string; urgency: string; nodsa?: string; nodsa_reason?: string; repositories?: Record<string, string> };
export type TrackerJson = Record<string, Record<string, { description?: string; scope?: string; debianbug?: number; releases: Record<string, TrackerRelease> }>>;

/** The tracker entries behind DEBIAN_EXPECTED_TRACKER, plus decoys that must not match. */
export function debianTrackerData(fillerSources = 200): TrackerJson {
  const bookworm = (r: TrackerRelease) => ({ bookworm: { repositories: { bookworm: '0' }, ...r } });
  const data: TrackerJson = {
    openssl: {
      'CVE-2024-0001': { description: 'openssl: a flaw', scope: 'remote', releases: { ...bookworm({ status: 'resolved', fixed_version: '3.0.13-1~deb12u1', urgency: 'medium' }), bullseye: { status: 'open', urgency: 'medium' } } },
      'CVE-2023-0002': { description: 'fixed before the installed version', releases: bookworm({ status: 'resolved', fixed_version: '3.0.11-1~deb12u1', urgency: 'high' }) },
      'CVE-2022-0003': { description: 'never affected bookworm', releases: bookworm({ status: 'resolved', fixed_version: '0', urgency: 'unimportant' }) },
    },
    zlib: {
      'CVE-2023-45853': { description: 'MiniZip integer overflow', releases: bookworm({ status: 'open', urgency: 'unimportant', nodsa: 'contrib/minizip not built', nodsa_reason: 'ignored' }) },
    },
    bind9: {
      'CVE-2024-0004': { description: 'fixed exactly at the installed source version', releases: bookworm({ status: 'resolved', fixed_version: '1:9.18.28-1~deb12u2', urgency: 'high' }) },
      'CVE-2024-0005': { description: 'bind9 flaw', releases: bookworm({ status: 'resolved', fixed_version: '1:9.18.33-1~deb12u1', urgency: 'high' }) },
    },
    curl: {
      'CVE-2024-0006': { description: 'only bullseye', releases: { bullseye: { status: 'open', urgency: 'low' } } },
      'CVE-2024-0007': { description: 'curl, not yet triaged', releases: bookworm({ status: 'undetermined', urgency: 'not yet assigned' }) },
    },
    sudo: {
      'CVE-2024-0008': { description: 'sudo flaw', releases: bookworm({ status: 'resolved', fixed_version: '1.9.13p3-1+deb12u2', urgency: 'low' }) },
    },
    oldsrc: {
      'CVE-2024-0009': { description: 'package removed, config files left: not installed', releases: bookworm({ status: 'open', urgency: 'high' }) },
    },
  };
  for (let n = 0; n < fillerSources; n++) {
    // generated fixture sources, installed at 1.N.0-…: fixed long ago
    data[`fixture-src-${n}`] = { [`CVE-2020-${10000 + n}`]: { description: 'old', releases: bookworm({ status: 'resolved', fixed_version: `1.${n}.0~rc1-1`, urgency: 'low' }) } };
    data[`not-installed-${n}`] = { [`CVE-2021-${10000 + n}`]: { description: 'not installed', releases: bookworm({ status: 'open', urgency: 'high' }) } };
  }
  return data;
}

/** Writes the tracker JSON with a given mtime. */
export function writeTracker(file: string, data: TrackerJson = debianTrackerData(), mtime = new Date()): void {
  writeFileSync(file, JSON.stringify(data));
  utimesSync(file, mtime, mtime);
}

/** OSV records for Debian:12 giving the same answers, with decoys for other ecosystems. */
export function debianOsvRecords(modified = '2026-11-20T08:00:00Z'): object[] {
  const rec = (id: string, affected: object[], extra: object = {}) => ({ schema_version: '1.6.0', id, modified, published: '2024-01-01T00:00:00Z', affected, ...extra });
  const deb = (name: string, events: object[], extra: object = {}) => ({ package: { ecosystem: 'Debian:12', name, purl: `pkg:deb/debian/${name}?distro=debian-12` }, ranges: [{ type: 'ECOSYSTEM', events }], ...extra });
  return [
    rec('DSA-5600-1', [deb('openssl', [{ introduced: '0' }, { fixed: '3.0.13-1~deb12u1' }], { ecosystem_specific: { urgency: 'medium' } })], { aliases: [], upstream: ['CVE-2024-0001'], summary: 'openssl security update' }),
    rec('DEBIAN-CVE-2023-0002', [deb('openssl', [{ introduced: '0' }, { fixed: '3.0.11-1~deb12u1' }])]),
    rec('DEBIAN-CVE-2023-45853', [deb('zlib', [{ introduced: '0' }])], { upstream: ['CVE-2023-45853'], details: 'MiniZip integer overflow\nmore text' }),
    rec('DEBIAN-CVE-2024-0004', [{ package: { ecosystem: 'Debian:12', name: 'bind9' }, versions: ['1:9.18.28-1~deb12u1'] }]),
    rec('DEBIAN-CVE-2024-0005', [{ package: { ecosystem: 'Debian:12', name: 'bind9' }, versions: ['1:9.18.28-1~deb12u2', '1:9.18.28-1~deb12u1'] }]),
    rec('DEBIAN-CVE-2024-0008', [deb('sudo', [{ introduced: '1.9.0' }, { last_affected: '1.9.13p3-1+deb12u1' }])], { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' }] }),
    rec('DEBIAN-CVE-2024-0010', [deb('curl', [{ introduced: '0' }, { fixed: '7.88.1-10+deb12u6' }])], { withdrawn: '2024-05-01T00:00:00Z' }),
    rec('DSA-5000-1', [{ ...deb('openssl', [{ introduced: '0' }, { fixed: '9.9.9-1' }]), package: { ecosystem: 'Debian:11', name: 'openssl' } }]),
    rec('USN-6000-1', [{ package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.9.9' }] }] }]),
    rec('GHSA-xxxx-yyyy-zzzz', [{ package: { ecosystem: 'npm', name: 'openssl' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }]),
  ];
}

export const DEBIAN_EXPECTED_OSV = [
  'DSA-5600-1 libssl3 3.0.13-1~deb12u1',
  'DSA-5600-1 openssl 3.0.13-1~deb12u1',
  'DEBIAN-CVE-2023-45853 zlib1g no_fix_yet',
  'DEBIAN-CVE-2024-0005 bind9-libs no_fix_yet',
  'DEBIAN-CVE-2024-0008 sudo no_fix_yet',
].sort();

/** Writes records one per file under dir (the layout of OSV's per-ecosystem exports). */
export function writeOsvDir(dir: string, records: object[]): void {
  for (const r of records) writeTree(dir, { [`${(r as { id: string }).id}.json`]: JSON.stringify(r, null, 2) });
}

/** An Alpine 3.20 root and its expected OSV answer. */
export function alpineRoot(): FixtureDir {
  const t = tempDir('spyglass-alpineroot-');
  writeTree(t.dir, {
    '/etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n',
    '/lib/apk/db/installed': apkInstalledText([
      { name: 'libcrypto3', version: '3.3.1-r0', origin: 'openssl' },
      { name: 'libssl3', version: '3.3.1-r0', origin: 'openssl' },
      { name: 'busybox', version: '1.36.1-r29' },
      { name: 'musl', version: '1.2.5-r0' },
    ]),
  });
  return t;
}

export function alpineOsvRecords(): object[] {
  const a = (id: string, name: string, events: object[]) => ({ id, modified: '2026-11-01T00:00:00Z', affected: [{ package: { ecosystem: 'Alpine:v3.20', name }, ranges: [{ type: 'ECOSYSTEM', events }] }] });
  return [
    a('ALPINE-CVE-2024-1', 'openssl', [{ introduced: '0' }, { fixed: '3.3.2-r0' }]),
    a('ALPINE-CVE-2024-2', 'busybox', [{ introduced: '0' }, { fixed: '1.36.1-r29' }]),
    a('ALPINE-CVE-2024-3', 'musl', [{ introduced: '0' }, { fixed: '1.2.5_git20240101-r0' }]),
  ];
}
/** musl 1.2.5-r0 < 1.2.5_git…-r0 in apk's order (a post-release suffix) */
export const ALPINE_EXPECTED = ['ALPINE-CVE-2024-1 libcrypto3 3.3.2-r0', 'ALPINE-CVE-2024-1 libssl3 3.3.2-r0', 'ALPINE-CVE-2024-3 musl 1.2.5_git20240101-r0'].sort();

/** An AlmaLinux 9 root with an rpmdb.sqlite, and its expected OSV answer. */
export function almaRoot(): FixtureDir {
  const t = tempDir('spyglass-almaroot-');
  writeTree(t.dir, { '/etc/os-release': 'NAME="AlmaLinux"\nVERSION="9.4 (Seafoam Ocelot)"\nID="almalinux"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\nPRETTY_NAME="AlmaLinux 9.4 (Seafoam Ocelot)"\n' });
  writeRpmdbSqlite(t.dir, [
    rpmPackageHeader('openssl-libs', '3.0.7', '24.el9', 'x86_64', 1, 'openssl-3.0.7-24.el9.src.rpm'),
    rpmPackageHeader('openssl', '3.0.7', '24.el9', 'x86_64', 1, 'openssl-3.0.7-24.el9.src.rpm'),
    rpmPackageHeader('vim-minimal', '8.2.2637', '20.el9_1', 'x86_64', 2, 'vim-8.2.2637-20.el9_1.src.rpm'),
    rpmPackageHeader('gpg-pubkey', 'b86b3716', '61e69f29', ''),
  ]);
  return t;
}

export function almaOsvRecords(): object[] {
  const a = (id: string, name: string, fixed: string) => ({ id, modified: '2026-11-01T00:00:00Z', affected: [{ package: { ecosystem: 'AlmaLinux:9', name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }] });
  return [
    a('ALSA-2024:0001', 'openssl', '1:3.0.7-27.el9'),
    a('ALSA-2024:0002', 'vim', '2:8.2.2637-20.el9_1'),
    a('ALSA-2024:0003', 'openssl', '3.5.0-1.el9'), // epoch 0 < installed epoch 1: not affected
  ];
}
export const ALMA_EXPECTED = ['ALSA-2024:0001 openssl 1:3.0.7-27.el9', 'ALSA-2024:0001 openssl-libs 1:3.0.7-27.el9'].sort();
