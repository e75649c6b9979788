import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { HostRoot } from '../../core/host-root.js';
import { SpyglassError } from '../../core/errors.js';
import { parseSourceRpmName, readRpmDatabase, rpmPackageFromHeader } from './rpm-db.js';
import { parseRpmHeader } from './rpm-header.js';
import { rpmPackageHeader, writeRpmdbSqlite } from './rpm-header.test-helpers.js';

const pkgHeader = rpmPackageHeader;

/** A root with an rpmdb.sqlite holding these header blobs (rpm's own table layout). */
function rootWithRpmdb(blobs: Buffer[], dir = '/var/lib/rpm'): { root: HostRoot; tmp: string; file: string } {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'spyglass-rpmroot-'));
  const file = writeRpmdbSqlite(tmp, blobs, dir);
  return { root: new HostRoot(tmp), tmp, file };
}

test('rpm header: NAME, VERSION, RELEASE, EPOCH, ARCH, SOURCERPM decoded from a blob', () => {
  const pkg = rpmPackageFromHeader(pkgHeader('openssl-libs', '3.0.7', '24.el9', 'x86_64', 1, 'openssl-3.0.7-24.el9.src.rpm'));
  assert.deepEqual(pkg, {
    name: 'openssl-libs', epoch: 1, version: '3.0.7', release: '24.el9', arch: 'x86_64', evr: '1:3.0.7-24.el9',
    sourceRpm: 'openssl-3.0.7-24.el9.src.rpm', source: 'openssl', sourceVersion: '1:3.0.7-24.el9',
    size: undefined, sha1Header: '', installTime: undefined, vendor: '', group: '',
  });
  const noEpoch = rpmPackageFromHeader(pkgHeader('bash', '5.1.8', '6.el9_1', 'x86_64', undefined, 'bash-5.1.8-6.el9_1.src.rpm'));
  assert.equal(noEpoch.evr, '5.1.8-6.el9_1');
  assert.equal(noEpoch.epoch, undefined);
  assert.deepEqual(parseSourceRpmName('python3.11-3.11.5-1.el9_3.src.rpm'), { name: 'python3.11', version: '3.11.5-1.el9_3' });
});

test('rpm header: a damaged blob is an error, not garbage', () => {
  const good = pkgHeader('bash', '5.1.8', '6.el9', 'x86_64');
  assert.throws(() => parseRpmHeader(good.subarray(0, 6)), (e: SpyglassError) => e.code === 'rpm_header_invalid');
  assert.throws(() => parseRpmHeader(good.subarray(0, good.length - 10)), /do not fit/);
  const badOffset = Buffer.from(good);
  badOffset.writeInt32BE(1_000_000, 8 + 8); // first entry's offset
  assert.throws(() => parseRpmHeader(badOffset), /outside the/);
});

test('rpmdb.sqlite written with header blobs: every package read, read-only', async () => {
  const { root, tmp } = rootWithRpmdb([
    pkgHeader('bash', '5.1.8', '6.el9_1', 'x86_64', undefined, 'bash-5.1.8-6.el9_1.src.rpm'),
    pkgHeader('openssl-libs', '3.0.7', '24.el9', 'x86_64', 1, 'openssl-3.0.7-24.el9.src.rpm'),
    pkgHeader('gpg-pubkey', 'fd431d51', '4ae0493b', ''),
  ], '/usr/lib/sysimage/rpm');
  try {
    const pkgs = await readRpmDatabase(root);
    assert.deepEqual(pkgs?.map((p) => `${p.name} ${p.evr} ${p.arch} ${p.source}`), [
      'bash 5.1.8-6.el9_1 x86_64 bash', 'openssl-libs 1:3.0.7-24.el9 x86_64 openssl', 'gpg-pubkey fd431d51-4ae0493b  gpg-pubkey',
    ]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('rpmdb errors: a damaged row names the file and row; a non-rpm SQLite file and a BerkeleyDB database are refused', async () => {
  const { root, tmp, file } = rootWithRpmdb([pkgHeader('bash', '5.1.8', '6.el9', 'x86_64'), Buffer.from([0, 0, 0, 9, 0, 0, 0, 0])]);
  try {
    await assert.rejects(readRpmDatabase(root), (e: SpyglassError) => e.code === 'rpm_header_invalid' && /rpmdb\.sqlite: Packages row 2/.test(e.message) && e.context.file === '/var/lib/rpm/rpmdb.sqlite');
    rmSync(file);
    const other = new Database(file);
    other.exec('CREATE TABLE t (x)');
    other.close();
    await assert.rejects(readRpmDatabase(root), (e: SpyglassError) => e.code === 'rpmdb_unreadable' && /not an rpm database/.test(e.message));
    writeFileSync(file, 'this is not sqlite at all, just text '.repeat(50));
    await assert.rejects(readRpmDatabase(root), (e: SpyglassError) => e.code === 'rpmdb_unreadable');
    rmSync(file);
    writeFileSync(path.join(tmp, 'var/lib/rpm/Packages'), Buffer.alloc(4096));
    await assert.rejects(readRpmDatabase(root), (e: SpyglassError) => e.code === 'rpmdb_unsupported' && /BerkeleyDB/.test(e.message));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a real rpmdb made by rpm itself (rpmbuild + rpm -i --justdb) reads back what `rpm -qa` says', async (t) => {
  if (spawnSync('rpmbuild', ['--version']).status !== 0) {
    t.skip('rpmbuild is not installed');
    return;
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'spyglass-realrpm-'));
  try {
    const specs: Array<[string, string, string, string | undefined]> = [['demo-tool', '1.2.3', '4.el9', '2'], ['demo-lib', '0.9~rc1', '1.fc40', undefined], ['demo-caret', '2.0^git5', '3', undefined]];
    for (const [name, version, release, epoch] of specs) {
      writeFileSync(path.join(tmp, `${name}.spec`), [
        `Name: ${name}`, `Version: ${version}`, `Release: ${release}`, ...(epoch ? [`Epoch: ${epoch}`] : []),
        'Summary: fixture', 'License: MIT', 'BuildArch: noarch', '%description', 'fixture', '%files', '',
      ].join('\n'));
      const build = spawnSync('rpmbuild', ['-bb', '--define', `_topdir ${tmp}/top`, path.join(tmp, `${name}.spec`)], { encoding: 'utf8' });
      assert.equal(build.status, 0, build.stderr);
    }
    const dbpath = path.join(tmp, 'root/var/lib/rpm');
    mkdirSync(dbpath, { recursive: true });
    assert.equal(spawnSync('rpm', ['--initdb', '--dbpath', dbpath]).status, 0);
    const rpms = specs.map(([name, version, release]) => path.join(tmp, 'top/RPMS/noarch', `${name}-${version}-${release}.noarch.rpm`));
    const install = spawnSync('rpm', ['-i', '--justdb', '--nodeps', '--dbpath', dbpath, ...rpms], { encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    const qa = spawnSync('rpm', ['-qa', '--dbpath', dbpath, '--qf', '%{NAME} %{EVR} %{ARCH} %{SOURCERPM}\\n'], { encoding: 'utf8' });
    const pkgs = await readRpmDatabase(new HostRoot(path.join(tmp, 'root')));
    assert.deepEqual(
      pkgs?.map((p) => `${p.name} ${p.evr} ${p.arch} ${p.sourceRpm}`).sort(),
      qa.stdout.trim().split('\n').sort(),
    );
    assert.equal(pkgs?.find((p) => p.name === 'demo-tool')?.evr, '2:1.2.3-4.el9');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
