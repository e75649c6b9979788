import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HostRoot } from '../../core/host-root.js';
import { readInstalledPackages } from './installed-packages.js';
import { apkInstalledText, dpkgStatusText, generatedDebianPackages } from './package-fixtures.test-helpers.js';
import { rpmPackageHeader, writeRpmdbSqlite } from './rpm-header.test-helpers.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spyglass-pkgs-'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  }
  return dir;
}

test('dpkg root of 400 generated packages: source names and versions, removed packages left out', async () => {
  const pkgs = generatedDebianPackages(400, [
    { name: 'libssl3', version: '3.0.14-1~deb12u2', source: 'openssl' },
    { name: 'old-tool', version: '1.0-1', status: 'deinstall ok config-files' },
    { name: 'bind9-libs', version: '1:9.18.28-1~deb12u2+b1', source: 'bind9 (1:9.18.28-1~deb12u2)' },
  ]);
  const dir = tree({ '/var/lib/dpkg/status': dpkgStatusText(pkgs) });
  try {
    const got = await readInstalledPackages(new HostRoot(dir));
    assert.equal(got.problems.length, 0);
    assert.deepEqual(got.databases, [{ format: 'deb', path: '/var/lib/dpkg/status', packages: 399 }]);
    assert.equal(got.packages.length, 399);
    assert.deepEqual(got.packages.find((p) => p.name === 'libssl3'), { format: 'deb', name: 'libssl3', version: '3.0.14-1~deb12u2', arch: 'amd64', source: 'openssl', sourceVersion: '3.0.14-1~deb12u2', state: 'installed', provides: [] });
    assert.deepEqual(got.packages.find((p) => p.name === 'bind9-libs')?.sourceVersion, '1:9.18.28-1~deb12u2');
    assert.equal(got.packages.find((p) => p.name === 'old-tool'), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('apk root; a root with no database; a broken database is a problem, not an empty list', async () => {
  const apk = tree({ '/lib/apk/db/installed': apkInstalledText([{ name: 'libcrypto3', version: '3.3.2-r0', origin: 'openssl' }]) });
  const none = tree({ '/etc/hostname': 'x\n' });
  const broken = tree({ '/lib/apk/db/installed': 'P:zlib\ngarbage\n' });
  try {
    const a = await readInstalledPackages(new HostRoot(apk));
    assert.deepEqual(a.packages, [{ format: 'apk', name: 'libcrypto3', version: '3.3.2-r0', arch: 'x86_64', source: 'openssl', sourceVersion: '3.3.2-r0', state: 'installed', provides: [] }]);
    const n = await readInstalledPackages(new HostRoot(none));
    assert.deepEqual([n.packages.length, n.databases.length, n.problems.length], [0, 0, 0]);
    const b = await readInstalledPackages(new HostRoot(broken));
    assert.equal(b.problems.length, 1);
    assert.equal(b.problems[0]!.context.file, '/lib/apk/db/installed');
    assert.equal(b.problems[0]!.context.line, 2);
  } finally {
    for (const d of [apk, none, broken]) rmSync(d, { recursive: true, force: true });
  }
});

test('rpm root (Fedora ≥ 36 layout): packages by source rpm, the database path as found', async () => {
  const dir = tree({ '/etc/os-release': 'ID=fedora\nVERSION_ID=40\n' });
  try {
    writeRpmdbSqlite(dir, [rpmPackageHeader('openssl-libs', '3.2.1', '2.fc40', 'x86_64', 1, 'openssl-3.2.1-2.fc40.src.rpm'), rpmPackageHeader('gpg-pubkey', 'a15b79cc', '63d04c2c', '')], '/usr/lib/sysimage/rpm');
    const got = await readInstalledPackages(new HostRoot(dir));
    assert.deepEqual(got.databases, [{ format: 'rpm', path: '/usr/lib/sysimage/rpm/rpmdb.sqlite', packages: 1 }]);
    assert.deepEqual(got.packages, [{ format: 'rpm', name: 'openssl-libs', version: '1:3.2.1-2.fc40', arch: 'x86_64', source: 'openssl', sourceVersion: '1:3.2.1-2.fc40', state: 'installed', provides: [] }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
