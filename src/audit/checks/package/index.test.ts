/** Tests of the `package` check type: conformance, dpkg states, Provides, versions, and this machine's real dpkg database against dpkg-query. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HostRoot } from '../../../core/host-root.js';
import { runCheckConformance, evaluateOnFixture, testCheckContext } from '../common/conformance.test-helpers.js';
import { buildFixtureRoot } from '../../../../test/helpers/fixture-root.js';
import { rpmPackageHeader, writeRpmdbSqlite } from '../../../host/packages/rpm-header.test-helpers.js';
import { apkInstalledText } from '../../../host/packages/package-fixtures.test-helpers.js';
import { packageCheck } from './index.js';

function stanza(name: string, version: string, state = 'installed', extra = ''): string {
  return `Package: ${name}\nStatus: install ok ${state}\nPriority: optional\nArchitecture: amd64\nVersion: ${version}\n${extra}Description: ${name}\n multi-line\n .\n description\n`;
}
const status = [
  stanza('sudo', '1.9.13p3-1+deb12u1'),
  stanza('openssh-server', '1:9.2p1-2+deb12u3'),
  stanza('exim4-daemon-light', '4.96-15+deb12u4', 'installed', 'Provides: mail-transport-agent\n'),
  stanza('telnet', '0.17+2.4-2', 'config-files'),
  stanza('nis', '4.4', 'half-configured'),
  stanza('libfoo', '2.0-1', 'installed', 'Provides: foo-api (= 2.0)\n'),
].join('\n');
const tree = { '/var/lib/dpkg/status': status };

runCheckConformance(packageCheck, {
  pass: [
    { name: 'installed', tree, spec: { name: 'sudo' }, mentions: '1.9.13p3-1+deb12u1' },
    { name: 'installed in range (epoch)', tree, spec: { name: 'openssh-server', version: '>= 1:9.0' } },
    { name: 'absent (never installed)', tree, spec: { name: 'rsh-server', state: 'absent' } },
    { name: 'absent (config-files only)', tree, spec: { name: 'telnet', state: 'absent' }, mentions: 'config-files' },
  ],
  fail: [
    { name: 'not installed', tree, spec: { name: 'aide' }, mentions: 'not installed' },
    { name: 'too old', tree, spec: { name: 'sudo', version: '>= 1.9.14' }, mentions: 'does not satisfy' },
    { name: 'installed wanted absent', tree, spec: { name: 'sudo', state: 'absent' } },
    { name: 'virtual package provided', tree, spec: { name: 'mail-transport-agent', state: 'absent' }, mentions: 'exim4-daemon-light' },
    { name: 'half-configured counts as present', tree, spec: { name: 'nis', state: 'absent' }, mentions: 'half-configured' },
  ],
  not_applicable: [
    { name: 'no package database', tree: { '/etc/hostname': 'x\n' }, spec: { name: 'sudo' } },
  ],
  error: [
    { name: 'rpm BerkeleyDB database', tree: { '/var/lib/rpm/Packages': 'not sqlite' }, spec: { name: 'sudo' }, mentions: 'BerkeleyDB' },
    { name: 'damaged rpmdb.sqlite', tree: { '/var/lib/rpm/rpmdb.sqlite': 'SQLite format 3 but not really' }, spec: { name: 'sudo' } },
    { name: 'status is a directory', tree: { '/var/lib/dpkg/status/x': '' }, spec: { name: 'sudo' } },
  ],
});

test('package: version constraints use dpkg ordering (~, epochs, revisions)', async () => {
  const t = { '/var/lib/dpkg/status': stanza('pkg', '2.9.0~rc1-1') };
  const v = async (version: string) => (await evaluateOnFixture(packageCheck, t, { name: 'pkg', version })).status;
  assert.equal(await v('>= 2.9.0'), 'fail', '~rc sorts before the release');
  assert.equal(await v('<< 2.9.0'), 'pass');
  assert.equal(await v('< 2.9.0'), 'pass');
  assert.equal(await v('= 2.9.0~rc1-1'), 'pass');
  assert.equal(await v('!= 2.9.0~rc1-1'), 'fail');
  assert.equal(await v('>> 1:0.1'), 'fail', 'an epoch outweighs everything');
  // absent with a version: "no vulnerable sudo installed"
  const abs = await evaluateOnFixture(packageCheck, tree, { name: 'sudo', state: 'absent', version: '<< 1.9.5p2-3' });
  assert.equal(abs.status, 'pass', abs.summary);
  assert.equal((await evaluateOnFixture(packageCheck, tree, { name: 'sudo', state: 'absent', version: '< 1.9.14' })).status, 'fail');
});

test('package: Provides, versioned provides, match_provides off, architecture qualifier, unconfigured installs', async () => {
  assert.equal((await evaluateOnFixture(packageCheck, tree, { name: 'mail-transport-agent' })).status, 'pass');
  assert.equal((await evaluateOnFixture(packageCheck, tree, { name: 'mail-transport-agent', state: 'absent', match_provides: false })).status, 'pass');
  assert.equal((await evaluateOnFixture(packageCheck, tree, { name: 'foo-api', version: '>= 2.0' })).status, 'pass');
  const unversioned = await evaluateOnFixture(packageCheck, tree, { name: 'mail-transport-agent', version: '>= 1' });
  assert.equal(unversioned.status, 'fail');
  assert.match(JSON.stringify(unversioned.evidence), /unversioned Provides/);
  assert.equal((await evaluateOnFixture(packageCheck, tree, { name: 'sudo:amd64' })).status, 'pass');
  assert.equal((await evaluateOnFixture(packageCheck, tree, { name: 'sudo:arm64' })).status, 'fail');
  const half = await evaluateOnFixture(packageCheck, tree, { name: 'nis' });
  assert.equal(half.status, 'fail');
  assert.match(half.summary, /configured/);
});

test('package: schema rejects unknown keys and malformed constraints', () => {
  assert.equal(packageCheck.schema.safeParse({ name: 'sudo', versoin: '1' }).success, false);
  assert.equal(packageCheck.schema.safeParse({ name: 'sudo', version: '2.0' }).success, false);
  assert.equal(packageCheck.schema.safeParse({ name: 'sudo', state: 'removed' }).success, false);
  assert.deepEqual(packageCheck.schema.parse({ name: 'sudo' }), { name: 'sudo', state: 'installed', match_provides: true });
});

test('package: this machine\'s dpkg database agrees with dpkg-query for every package', { skip: !existsSync('/var/lib/dpkg/status') && 'no dpkg here' }, async () => {
  const out = execFileSync('dpkg-query', ['-W', '-f', '${Package}\t${Architecture}\t${Version}\t${db:Status-Status}\n'], { encoding: 'utf8' });
  const ctx = testCheckContext(new HostRoot('/'));
  let checked = 0;
  for (const line of out.trim().split('\n')) {
    const [name, arch, version, state] = line.split('\t') as [string, string, string, string];
    const installed = ['installed', 'triggers-pending', 'triggers-awaited'].includes(state); // dpkg counts these as configured
    const r = await packageCheck.evaluate(packageCheck.schema.parse({ name: `${name}:${arch}`, match_provides: false }), ctx);
    assert.equal(r.status === 'pass', installed, `${name}:${arch} (${state}): ${r.summary}`);
    if (installed) {
      assert.equal((await packageCheck.evaluate(packageCheck.schema.parse({ name: `${name}:${arch}`, version: `= ${version}` }), ctx)).status, 'pass', `${name} = ${version}`);
      assert.equal((await packageCheck.evaluate(packageCheck.schema.parse({ name: `${name}:${arch}`, version: `>> ${version}` }), ctx)).status, 'fail', `${name} >> ${version}`);
    }
    checked++;
  }
  assert.ok(checked > 50, `only ${checked} packages`);
});

test('package: an rpm root (rpmdb.sqlite) with rpm version order; an apk root with apk order', async () => {
  const fx = await buildFixtureRoot({ '/etc/os-release': 'ID=almalinux\n' });
  try {
    writeRpmdbSqlite(fx.dir, [rpmPackageHeader('openssl', '3.0.7', '24.el9', 'x86_64', 1, 'openssl-3.0.7-24.el9.src.rpm'), rpmPackageHeader('sudo', '1.9.5p2', '9.el9', 'x86_64')]);
    const ctx = testCheckContext(new HostRoot(fx.dir));
    const run = async (spec: object) => packageCheck.evaluate(packageCheck.schema.parse(spec), ctx);
    const ok = await run({ name: 'openssl', version: '>= 1:3.0.7-20.el9' });
    assert.equal(ok.status, 'pass', ok.summary);
    assert.equal(ok.evidence[0]!.source, '/var/lib/rpm/rpmdb.sqlite');
    assert.equal((await run({ name: 'openssl', version: '>= 3.0.8' })).status, 'pass', 'epoch 1 outweighs a version without epoch');
    assert.equal((await run({ name: 'openssl', version: '>= 1:3.0.10' })).status, 'fail', 'rpmvercmp: 3.0.7 < 3.0.10');
    assert.equal((await run({ name: 'sudo', state: 'absent', version: '< 1.9.5p2-9.el9' })).status, 'pass');
    assert.equal((await run({ name: 'mail-transport-agent', state: 'absent' })).status, 'pass', 'rpm Provides are not read');
  } finally { await fx.cleanup(); }
  const apk = { '/lib/apk/db/installed': apkInstalledText([{ name: 'busybox', version: '1.36.1-r15' }, { name: 'openssl', version: '3.1.4-r5' }]) };
  assert.equal((await evaluateOnFixture(packageCheck, apk, { name: 'busybox', version: '>= 1.36.1-r2' })).status, 'pass');
  assert.equal((await evaluateOnFixture(packageCheck, apk, { name: 'openssl', version: '< 3.1.4-r10' })).status, 'pass', 'r5 < r10 in apk order');
  assert.equal((await evaluateOnFixture(packageCheck, apk, { name: 'telnet', state: 'absent' })).status, 'pass');
});
