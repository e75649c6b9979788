/**
 * Parser agreement for the package databases: on one fixture root, the audit's `package`
 * check, the deb_packages / rpm_packages tables and the vulnerability scanner's package list
 * read the same packages, versions and states (they share src/host/packages).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostRoot } from '../../src/core/host-root.js';
import { packageCheck } from '../../src/audit/checks/package/index.js';
import { testCheckContext } from '../../src/audit/checks/common/conformance.test-helpers.js';
import { readInstalledPackages } from '../../src/host/packages/installed-packages.js';
import { RPM_TAG, RPM_TYPE } from '../../src/host/packages/rpm-header.js';
import { encodeRpmHeader, rpmPackageHeader, writeRpmdbSqlite } from '../../src/host/packages/rpm-header.test-helpers.js';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { queryRoot } from '../query-tables/helpers.js';

const stanza = (name: string, version: string, state: string, extra = '') =>
  `Package: ${name}\nStatus: install ok ${state}\nArchitecture: amd64\nVersion: ${version}\n${extra}Description: ${name}\n`;

async function audit(root: HostRoot, spec: object) {
  return packageCheck.evaluate(packageCheck.schema.parse(spec), testCheckContext(root));
}

test('dpkg: the package check and deb_packages agree on names, versions, sources and removed packages', async () => {
  const root = await buildFixtureRoot({
    '/var/lib/dpkg/status': [
      stanza('sudo', '1.9.13p3-1+deb12u1', 'installed'),
      stanza('libssl3', '3.0.14-1~deb12u2', 'installed', 'Source: openssl\n'),
      stanza('bind9-libs', '1:9.18.28-1~deb12u2+b1', 'installed', 'Source: bind9 (1:9.18.28-1~deb12u2)\n'),
      stanza('telnet', '0.17+2.4-2', 'config-files'),
      stanza('gone', '1.0', 'not-installed'),
    ].join('\n'),
  });
  try {
    const host = new HostRoot(root.dir);
    const { rows } = await queryRoot(root.dir, 'SELECT name, version, source, status FROM deb_packages ORDER BY name');
    // deb_packages lists what dpkg knows (config-files too, as osquery does), never not-installed
    assert.deepEqual(rows.map((r) => r.name), ['bind9-libs', 'libssl3', 'sudo', 'telnet']);
    for (const r of rows) {
      const installed = (r.status as string).endsWith(' installed');
      const verdict = await audit(host, { name: r.name, version: `= ${r.version as string}` });
      assert.equal(verdict.status, installed ? 'pass' : 'fail', `${r.name as string}: the check and the table disagree`);
    }
    assert.equal((await audit(host, { name: 'gone', state: 'absent' })).status, 'pass');
    const scanned = await readInstalledPackages(host);
    assert.deepEqual(scanned.packages.map((p) => `${p.name} ${p.version} ${p.source}`).sort(),
      rows.filter((r) => r.status !== 'install ok config-files').map((r) => `${r.name as string} ${r.version as string} ${(r.source as string) || (r.name as string)}`).sort());
  } finally {
    await root.cleanup();
  }
});

test('rpm: the package check, rpm_packages and the scanner read one header decoder; a damaged row is an audit error and a table warning', async () => {
  const root = await buildFixtureRoot({});
  const withDetails = encodeRpmHeader([
    { tag: RPM_TAG.NAME, type: RPM_TYPE.STRING, value: 'bash' },
    { tag: RPM_TAG.VERSION, type: RPM_TYPE.STRING, value: '5.1.8' },
    { tag: RPM_TAG.RELEASE, type: RPM_TYPE.STRING, value: '6.el9_1' },
    { tag: RPM_TAG.ARCH, type: RPM_TYPE.STRING, value: 'x86_64' },
    { tag: RPM_TAG.SIZE, type: RPM_TYPE.INT32, value: [7_654_321] },
    { tag: RPM_TAG.INSTALLTIME, type: RPM_TYPE.INT32, value: [1_700_000_000] },
    { tag: RPM_TAG.VENDOR, type: RPM_TYPE.STRING, value: 'Red Hat, Inc.' },
    { tag: RPM_TAG.GROUP, type: RPM_TYPE.I18NSTRING, value: ['System Environment/Shells'] },
    { tag: RPM_TAG.SOURCERPM, type: RPM_TYPE.STRING, value: 'bash-5.1.8-6.el9_1.src.rpm' },
  ]);
  const blobs = [withDetails, rpmPackageHeader('openssl-libs', '3.0.7', '24.el9', 'x86_64', 1, 'openssl-3.0.7-24.el9.src.rpm'), rpmPackageHeader('gpg-pubkey', 'fd431d51', '4ae0493b', '')];
  try {
    writeRpmdbSqlite(root.dir, blobs, '/usr/lib/sysimage/rpm');
    const host = new HostRoot(root.dir);
    const { rows, warnings } = await queryRoot(root.dir, 'SELECT name, version, release, epoch, size, install_time, vendor, package_group, source FROM rpm_packages ORDER BY name');
    assert.deepEqual(warnings, []);
    assert.deepEqual(rows, [
      { name: 'bash', version: '5.1.8', release: '6.el9_1', epoch: null, size: 7_654_321, install_time: 1_700_000_000, vendor: 'Red Hat, Inc.', package_group: 'System Environment/Shells', source: 'bash-5.1.8-6.el9_1.src.rpm' },
      { name: 'openssl-libs', version: '3.0.7', release: '24.el9', epoch: 1, size: null, install_time: null, vendor: '', package_group: '', source: 'openssl-3.0.7-24.el9.src.rpm' },
    ]);
    for (const r of rows) {
      const evr = `${r.epoch === null ? '' : `${String(r.epoch)}:`}${r.version as string}-${r.release as string}`;
      assert.equal((await audit(host, { name: r.name, version: `= ${evr}` })).status, 'pass', `${r.name as string} ${evr}`);
    }
    assert.deepEqual((await readInstalledPackages(host)).packages.map((p) => `${p.name} ${p.version}`), ['bash 5.1.8-6.el9_1', 'openssl-libs 1:3.0.7-24.el9']);

    // one damaged header: the audit cannot trust the database, the table lists the rest and says which row
    const damaged = Buffer.from(withDetails);
    damaged.writeInt32BE(1_000_000, 8 + 8);
    await root.add({ '/usr/lib/sysimage/rpm/rpmdb.sqlite': { content: '' } });
    writeRpmdbSqlite(root.dir, [damaged, blobs[1]!], '/usr/lib/sysimage/rpm');
    const after = await queryRoot(root.dir, 'SELECT name FROM rpm_packages');
    assert.deepEqual(after.rows, [{ name: 'openssl-libs' }]);
    assert.ok(after.warnings.some((w) => /rpmdb\.sqlite: Packages row 1: rpm header: tag 1000: offset 1000000 outside/.test(w)), after.warnings.join('\n'));
    const verdict = await audit(host, { name: 'openssl-libs' });
    assert.equal(verdict.status, 'error');
    assert.match(JSON.stringify(verdict), /Packages row 1/);
    assert.match((await readInstalledPackages(host)).problems[0]!.message, /Packages row 1/);
  } finally {
    await root.cleanup();
  }
});
