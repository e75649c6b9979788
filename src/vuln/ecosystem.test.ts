import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOsRelease } from '../host/os-release.js';
import { ecosystemFamily, hostTarget, osvEcosystemFor } from './ecosystem.js';
import type { SpyglassError } from '../core/errors.js';

test('os-release → OSV ecosystem and tracker release', () => {
  const cases: Array<[string, string | undefined]> = [
    ['ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n', 'Debian:12'],
    ['ID=ubuntu\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nID_LIKE=debian\n', 'Ubuntu:22.04:LTS'],
    ['ID=ubuntu\nVERSION_ID="23.10"\nVERSION="23.10 (Mantic Minotaur)"\n', 'Ubuntu:23.10'],
    ['ID=alpine\nVERSION_ID=3.20.3\n', 'Alpine:v3.20'],
    ['ID="almalinux"\nVERSION_ID="9.4"\n', 'AlmaLinux:9'],
    ['ID="rocky"\nVERSION_ID="8.10"\n', 'Rocky Linux:8'],
    ['ID=debian\nVERSION_CODENAME=trixie\n', undefined], // testing has no VERSION_ID
    ['ID=gentoo\n', undefined],
  ];
  for (const [text, want] of cases) assert.equal(osvEcosystemFor(parseOsRelease(text)), want, text);
  const deb = hostTarget(parseOsRelease('ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'));
  assert.deepEqual(deb, { os: 'Debian GNU/Linux 12 (bookworm)', osvEcosystems: ['Debian:12'], debianRelease: 'bookworm' });
  assert.equal(hostTarget(parseOsRelease('ID=ubuntu\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\n')).debianRelease, undefined, 'Ubuntu is not in the Debian tracker');
});

test('overrides; an unknown ecosystem is an error; ecosystem families pick the version order', () => {
  assert.deepEqual(hostTarget(undefined, { ecosystems: ['Debian:11'], release: 'bullseye' }).osvEcosystems, ['Debian:11']);
  assert.deepEqual(hostTarget(undefined, { ecosystems: ['Ubuntu:22.04:LTS', 'Ubuntu:Pro:22.04:LTS', 'Ubuntu:22.04:LTS'] }).osvEcosystems, ['Ubuntu:22.04:LTS', 'Ubuntu:Pro:22.04:LTS']);
  assert.throws(() => hostTarget(undefined, { ecosystems: ['Debian:12', 'npm'] }), (e: SpyglassError) => e.code === 'unknown_ecosystem' && /unknown ecosystem "npm"/.test(e.message));
  assert.ok(ecosystemFamily('Ubuntu:Pro:22.04:LTS')!.compare('1.0~rc1', '1.0') < 0);
  assert.equal(ecosystemFamily('Alpine:v3.20')!.format, 'apk');
  assert.ok(ecosystemFamily('Rocky Linux:9')!.compare('1:1.0-1', '2.0-1') > 0);
});
