import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseApkInstalled } from './apk-db.js';
import { apkInstalledText } from './package-fixtures.test-helpers.js';
import { SpyglassError } from '../../core/errors.js';

test('apk installed database: name, version, arch, origin (the source package)', () => {
  const pkgs = parseApkInstalled(apkInstalledText([
    { name: 'libcrypto3', version: '3.3.2-r0', origin: 'openssl' },
    { name: 'busybox', version: '1.36.1-r29' },
  ]));
  assert.deepEqual(pkgs.map((p) => [p.name, p.version, p.arch, p.origin]), [
    ['libcrypto3', '3.3.2-r0', 'x86_64', 'openssl'],
    ['busybox', '1.36.1-r29', 'x86_64', 'busybox'],
  ]);
  assert.equal(pkgs[1]!.line, 20);
});

test('apk installed database: a malformed line or an entry without a version names the line', () => {
  assert.throws(() => parseApkInstalled('P:musl\nV:1.2.5-r0\nthis is not a field\n'), (e: SpyglassError) => e.code === 'apkdb_invalid' && e.context.line === 3);
  assert.throws(() => parseApkInstalled('P:musl\nV:1.2.5-r0\n\nP:zlib\nA:x86_64\n'), (e: SpyglassError) => e.code === 'apkdb_invalid' && e.context.line === 4 && /V:/.test(e.message));
});
