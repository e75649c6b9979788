/** etc_hosts, dns_resolvers and deb_packages: this machine (getent, dpkg-query) and fixture roots. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { QueryEngine } from '../../src/query/engine.js';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { assertTypes, queryRoot, rowsOf, sh } from './helpers.js';

const engine = new QueryEngine();
after(() => engine.close());
const rows = (sql: string) => rowsOf(engine, sql);

test('etc_hosts: every name resolves (getent hosts) to an address the table gives it', async () => {
  const ours = await rows('SELECT * FROM etc_hosts');
  assert.ok(ours.length > 0);
  assertTypes(ours, { address: 'TEXT', hostnames: 'TEXT' });
  const name = (ours.find((r) => r.address === '127.0.0.1')?.hostnames as string).split(' ')[0]!;
  assert.equal(sh('getent', ['ahostsv4', name]).split(/\s+/)[0], '127.0.0.1');
  const root = await buildFixtureRoot({ '/etc/hosts': '# static\n127.0.0.1\tlocalhost\n::1 localhost ip6-localhost # v6\n\n10.0.0.5 db.internal db\nbadline\n' });
  try {
    const { rows: r } = await queryRoot(root.dir, 'SELECT address, hostnames FROM etc_hosts');
    assert.deepEqual(r, [
      { address: '127.0.0.1', hostnames: 'localhost' }, { address: '::1', hostnames: 'localhost ip6-localhost' }, { address: '10.0.0.5', hostnames: 'db.internal db' },
    ]);
  } finally {
    await root.cleanup();
  }
});

test('dns_resolvers: this machine\'s nameservers; every entry kind on a fixture', async () => {
  const ours = await rows("SELECT address FROM dns_resolvers WHERE type = 'nameserver'");
  const theirs = [...fs.readFileSync('/etc/resolv.conf', 'utf8').matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]);
  assert.deepEqual(ours.map((r) => r.address), theirs);
  const root = await buildFixtureRoot({ '/etc/resolv.conf': 'domain corp.example\nsearch a.example b.example\nnameserver 10.0.0.2\nnameserver fd00::53 # v6\nsortlist 130.155.160.0/255.255.240.0\noptions ndots:2 rotate\n' });
  try {
    const { rows: r } = await queryRoot(root.dir, 'SELECT id, type, address, netmask, options FROM dns_resolvers');
    assert.deepEqual(r, [
      { id: 0, type: 'domain', address: 'corp.example', netmask: null, options: null },
      { id: 0, type: 'search', address: 'a.example', netmask: null, options: null },
      { id: 1, type: 'search', address: 'b.example', netmask: null, options: null },
      { id: 0, type: 'nameserver', address: '10.0.0.2', netmask: null, options: null },
      { id: 1, type: 'nameserver', address: 'fd00::53', netmask: null, options: null },
      { id: 0, type: 'sortlist', address: '130.155.160.0', netmask: '255.255.240.0', options: null },
      { id: 0, type: 'options', address: 'ndots:2', netmask: null, options: null },
      { id: 1, type: 'options', address: 'rotate', netmask: null, options: null },
    ]);
  } finally {
    await root.cleanup();
  }
});

test('deb_packages: the packages, versions, architectures and sizes dpkg-query reports', async () => {
  const ours = await rows('SELECT * FROM deb_packages');
  const theirs = sh('dpkg-query', ['-W', '-f', '${Package}\\t${Version}\\t${Architecture}\\t${Installed-Size}\\t${Status}\\t${source:Package}\\t${Maintainer}\\n']).trim().split('\n').map((l) => l.split('\t'));
  const installedTheirs = theirs.filter((f) => !f[4]!.endsWith('not-installed'));
  assert.equal(ours.length, installedTheirs.length);
  const byKey = new Map(ours.map((r) => [`${r.name}:${r.arch}`, r]));
  for (const f of installedTheirs) {
    const r = byKey.get(`${f[0]}:${f[2]}`);
    assert.ok(r, `${f[0]}:${f[2]}`);
    assert.equal(r.version, f[1]);
    assert.equal(r.size, f[3] === '' ? null : Number(f[3]));
    assert.equal(r.status, f[4]);
    assert.ok(r.source === '' || r.source === f[5], `${f[0]} source ${r.source} vs ${f[5]}`);
    assert.equal(r.maintainer, f[6]);
    assert.equal(r.admindir, '/var/lib/dpkg');
  }
  assertTypes(ours, { name: 'TEXT', version: 'TEXT', source: 'TEXT', size: 'NULL-OR-INTEGER', revision: 'TEXT', section: 'TEXT', priority: 'TEXT' });
  const [bash] = await rows("SELECT revision, version FROM deb_packages WHERE name = 'bash'");
  assert.equal(bash!.revision, (bash!.version as string).split('-').at(-1));
});

test('deb_packages on a fixture root: not-installed left out, config-files kept, source without version', async () => {
  const stanza = (name: string, status: string, extra = '') => `Package: ${name}\nStatus: ${status}\nPriority: optional\nSection: misc\nInstalled-Size: 12\nMaintainer: M <m@example.org>\nArchitecture: amd64\n${extra}Version: 1.2-3\nDescription: x\n`;
  const root = await buildFixtureRoot({
    '/var/lib/dpkg/status': [stanza('a', 'install ok installed', 'Source: asrc (1.2-1)\n'), stanza('gone', 'deinstall ok not-installed'), stanza('cfg', 'deinstall ok config-files')].join('\n'),
  });
  try {
    const { rows: r } = await queryRoot(root.dir, 'SELECT name, source, status, revision, size FROM deb_packages');
    assert.deepEqual(r, [
      { name: 'a', source: 'asrc', status: 'install ok installed', revision: '3', size: 12 },
      { name: 'cfg', source: '', status: 'deinstall ok config-files', revision: '3', size: 12 },
    ]);
    await root.add({ '/opt/dpkg/status': stanza('other', 'install ok installed') });
    const { rows: o } = await queryRoot(root.dir, "SELECT name, admindir FROM deb_packages WHERE admindir = '/opt/dpkg'");
    assert.deepEqual(o, [{ name: 'other', admindir: '/opt/dpkg' }], 'admindir = another dpkg database');
    // dpkg replaces the file on every change: the next query sees the new database, not a cached parse
    await root.add({ '/var/lib/dpkg/status': stanza('fresh', 'install ok installed') });
    const { rows: after } = await queryRoot(root.dir, 'SELECT name FROM deb_packages');
    assert.deepEqual(after, [{ name: 'fresh' }]);
  } finally {
    await root.cleanup();
  }
});
