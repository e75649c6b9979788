import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectProfiles, type TargetHost } from './targeting.js';

const profiles = [
  { id: 'cis-debian-12', targets: [{ os: 'debian', versions: ['12'] }] },
  { id: 'cis-ubuntu-22.04', targets: [{ os: 'ubuntu', versions: ['22.04'] }] },
  { id: 'web-baseline', targets: [{ os: 'debian' }, { os: 'ubuntu' }] },
  { id: 'any-linux' },
];
const web: TargetHost = { osId: 'debian', osVersion: '12', hostname: 'web-07.prod', tags: { env: 'prod' } };

test('without rules, every profile written for the OS applies', () => {
  assert.deepEqual(selectProfiles(profiles, web).map((p) => p.id), ['cis-debian-12', 'web-baseline', 'any-linux']);
  assert.deepEqual(selectProfiles(profiles, { ...web, osId: 'ubuntu', osVersion: '22.04' }).map((p) => p.id), ['cis-ubuntu-22.04', 'web-baseline', 'any-linux']);
});

test('rules select by host name glob, tags and OS, but never a profile for another OS', () => {
  const rules = [
    { profiles: ['cis-*'], tags: { env: 'prod' } },
    { profiles: ['web-baseline'], hostnames: ['web-*'] },
    { profiles: ['cis-ubuntu-22.04'], hostnames: ['*'] },
  ];
  assert.deepEqual(selectProfiles(profiles, web, { rules }).map((p) => p.id), ['cis-debian-12', 'web-baseline']);
  assert.deepEqual(selectProfiles(profiles, { ...web, hostname: 'db-01', tags: { env: 'dev' } }, { rules }).map((p) => p.id), []);
  assert.deepEqual(selectProfiles(profiles, web, { rules: [{ profiles: ['*'], os: ['debian:12'] }] }).length, 3);
  assert.deepEqual(selectProfiles(profiles, web, { rules: [{ profiles: ['*'], os: ['debian:11'] }] }).length, 0);
});

test('a profile not selected by default runs only when a rule or the caller names it', () => {
  const withStarter = [...profiles, { id: 'cis-debian-12-starter', targets: [{ os: 'debian', versions: ['12'] }], selectedByDefault: false }];
  assert.deepEqual(selectProfiles(withStarter, web).map((p) => p.id), ['cis-debian-12', 'web-baseline', 'any-linux']);
  assert.deepEqual(selectProfiles(withStarter, web, { named: ['*-starter'] }).map((p) => p.id), ['cis-debian-12-starter']);
  assert.deepEqual(selectProfiles(withStarter, web, { rules: [{ profiles: ['cis-*'] }] }).map((p) => p.id), ['cis-debian-12', 'cis-debian-12-starter']);
  assert.deepEqual(selectProfiles(withStarter, web, { rules: [{ profiles: ['cis-*'] }], named: ['*-12'] }).map((p) => p.id), ['cis-debian-12']);
});
