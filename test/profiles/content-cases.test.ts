/**
 * One test root per content case of the CIS profiles (issue 16): each case starts from the
 * hardened root of cis-fixtures.ts, changes the files the case is about, and audits only the
 * numbered control. Every case comes with its opposite, so a control that cannot fail (or
 * cannot pass) shows here. Numbers are those of the release's benchmark.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { formatError } from '../../src/core/errors.js';
import { HostRoot } from '../../src/core/host-root.js';
import { runAudit } from '../../src/audit/engine.js';
import { loadProfile, type LoadedProfile } from '../../src/audit/profile/load-profile.js';
import { shippedProfilesDir } from '../../src/audit/profile/shipped-profiles.js';
import type { ControlStatus } from '../../src/audit/result.js';
import type { FixtureTree } from '../helpers/fixture-root.js';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { hardenedTree, type Release } from './cis-fixtures.js';

const PROFILE_FILES: Record<Release, string> = { 'debian-12': 'cis-debian-12.yaml', 'ubuntu-22.04': 'cis-ubuntu-22.04.yaml', 'ubuntu-24.04': 'cis-ubuntu-24.04.yaml' };
const profiles = new Map<Release, LoadedProfile>();

before(async () => {
  for (const [release, file] of Object.entries(PROFILE_FILES) as [Release, string][]) {
    const loaded = await loadProfile(path.join(shippedProfilesDir(), file));
    assert.deepEqual(loaded.errors.map(formatError), []);
    profiles.set(release, loaded.profile!);
  }
});

/** A change to the hardened tree: new or replaced files, and `null` for a file that must not exist. */
type Change = Record<string, FixtureTree[string] | null>;

const root = (content: string, mode = 0o644) => ({ content, mode, uid: 0, gid: 0 });

/** Audits one numbered control of a release on the hardened root with `change` applied. */
async function statusOf(release: Release, control: string, change: Change): Promise<{ status: ControlStatus; why: string }> {
  const tree: FixtureTree = { ...hardenedTree(release) };
  for (const [p, entry] of Object.entries(change)) {
    if (entry === null) delete tree[p];
    else tree[p] = entry;
  }
  const fx = await buildFixtureRoot(tree);
  try {
    const result = await runAudit({ profiles: [profiles.get(release)!], root: new HostRoot(fx.dir), filters: { controls: [control] } });
    assert.equal(result.controls.length, 1, `${release} has control ${control}`);
    const c = result.controls[0]!;
    return { status: c.status, why: `${release} ${control}: ${c.status}: ${c.summary} ${JSON.stringify(c.checks.map((k) => k.summary))}` };
  } finally { await fx.cleanup(); }
}

async function expectStatus(release: Release, control: string, change: Change, expected: ControlStatus): Promise<void> {
  const { status, why } = await statusOf(release, control, change);
  assert.equal(status, expected, why);
}

// 1. A module built into the kernel is inherently met; a loadable one still needs the configuration.
test('case 1: squashfs built into the kernel passes without configuration; loadable and unconfigured fails', async () => {
  const noConfig = { '/etc/modprobe.d/cis.conf': root('install cramfs /bin/false\nblacklist cramfs\n') };
  const builtin = { ...noConfig, '/lib/modules/6.1.0-28-amd64/modules.builtin': 'kernel/fs/ext4/ext4.ko\nkernel/fs/squashfs/squashfs.ko\n',
    '/lib/modules/6.1.0-28-amd64/modules.dep': 'kernel/fs/cramfs/cramfs.ko:\n' };
  await expectStatus('ubuntu-24.04', '1.1.1.7', builtin, 'pass');
  await expectStatus('ubuntu-22.04', '1.1.1.6', builtin, 'pass');
  await expectStatus('ubuntu-24.04', '1.1.1.7', noConfig, 'fail');
  await expectStatus('ubuntu-22.04', '1.1.1.6', noConfig, 'fail');
});

// 2. pwquality.conf.d is read, as the remediation says to write there.
test('case 2: pwquality settings in pwquality.conf.d pass 5.3.3.2.1/.2/.4/.5; a weaker main file or PAM argument fails them', async () => {
  const dropin = {
    '/etc/security/pwquality.conf': root('# see pwquality.conf.d\n'),
    '/etc/security/pwquality.conf.d/60-pwquality.conf': root('difok = 2\nminlen = 14\nmaxrepeat = 3\nmaxsequence = 3\nenforce_for_root\n'),
  };
  for (const n of ['5.3.3.2.1', '5.3.3.2.2', '5.3.3.2.4', '5.3.3.2.5', '5.3.3.2.8']) await expectStatus('debian-12', n, dropin, 'pass');
  const weakMain = { ...dropin, '/etc/security/pwquality.conf': root('difok = 1\nminlen = 8\nmaxrepeat = 0\nmaxsequence = 0\n') };
  for (const n of ['5.3.3.2.1', '5.3.3.2.2', '5.3.3.2.4', '5.3.3.2.5']) await expectStatus('debian-12', n, weakMain, 'fail');
  const weakPam = { ...dropin, '/etc/pam.d/common-password': root('password requisite pam_pwquality.so retry=3 minlen=8\npassword [success=1 default=ignore] pam_unix.so obscure use_authtok yescrypt\n') };
  await expectStatus('ubuntu-24.04', '5.3.3.2.2', weakPam, 'fail');
  await expectStatus('ubuntu-24.04', '5.3.3.2.6', { ...dropin, '/etc/security/pwquality.conf.d/70-dict.conf': root('dictcheck = 0\n') }, 'fail');
  await expectStatus('ubuntu-24.04', '5.3.3.2.6', dropin, 'pass');
});
