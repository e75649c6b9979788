/**
 * apt_sources, python_packages and npm_packages against apt-get indextargets, Python's
 * importlib.metadata and npm ls on this machine, and on fixture roots.
 */
import { test } from 'node:test';
import path from 'node:path';
import assert from 'node:assert/strict';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { assertTypes, queryRoot, sh } from './helpers.js';

test('apt_sources: the repositories and suites apt-get indextargets knows, with Release metadata', async () => {
  const { rows } = await queryRoot('/', 'SELECT * FROM apt_sources');
  assertTypes(rows, { name: 'TEXT', source: 'TEXT', base_uri: 'TEXT', release: 'TEXT', version: 'TEXT', maintainer: 'TEXT', components: 'TEXT', architectures: 'TEXT' });
  // REPO_URI|RELEASE|TARGET_OF|ORIGIN for every index target: one line per repository and suite once deduplicated
  const theirs = [...new Set(sh('apt-get', ['indextargets', '--format', '$(REPO_URI)|$(RELEASE)|$(TARGET_OF)|$(ORIGIN)']).trim().split('\n').filter((l) => l.includes('|deb|')))];
  const key = (l: string) => l.split('|').slice(0, 2).join('|');
  assert.deepEqual(rows.map((r) => `${(r.base_uri as string).replace(/\/?$/, '/')}|${r.release}`).sort(), theirs.map(key).sort());
  for (const r of rows) {
    const line = theirs.find((l) => key(l) === `${(r.base_uri as string).replace(/\/?$/, '/')}|${r.release}`)!;
    const origin = line.split('|')[3];
    if (origin) assert.equal(r.maintainer, origin);
  }
});

test('apt_sources on a fixture: one-line and deb822 sources, options, disabled entries, Release files', async () => {
  const root = await buildFixtureRoot({
    '/etc/apt/sources.list': '# main\ndeb [arch=amd64,arm64 signed-by=/k.gpg] http://mirror.example/debian bookworm main contrib\ndeb-src http://mirror.example/debian bookworm main\n#deb http://old.example/debian buster main\n',
    '/etc/apt/sources.list.d/extra.sources': 'Types: deb deb-src\nURIs: https://repo.example/apt\nSuites: stable testing\nComponents: main\n\nTypes: deb\nURIs: http://off.example/\nSuites: x\nComponents: y\nEnabled: no\n',
    '/etc/apt/sources.list.d/old.list.disabled': 'deb http://ignored.example/ x y\n',
    '/var/lib/apt/lists/repo.example_apt_dists_stable_InRelease': '-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nOrigin: Example Co\nLabel: Example\nSuite: stable\nVersion: 4.2\nArchitectures: amd64 i386\nSHA256:\n abc 1 main/x\n',
  });
  try {
    const { rows } = await queryRoot(root.dir, 'SELECT name, source, base_uri, release, version, maintainer, components, architectures FROM apt_sources');
    assert.deepEqual(rows, [
      { name: '', source: '/etc/apt/sources.list', base_uri: 'http://mirror.example/debian', release: 'bookworm', version: '', maintainer: '', components: 'main contrib', architectures: 'amd64 arm64' },
      { name: 'Example', source: '/etc/apt/sources.list.d/extra.sources', base_uri: 'https://repo.example/apt', release: 'stable', version: '4.2', maintainer: 'Example Co', components: 'main', architectures: 'amd64 i386' },
      { name: '', source: '/etc/apt/sources.list.d/extra.sources', base_uri: 'https://repo.example/apt', release: 'testing', version: '', maintainer: '', components: 'main', architectures: '' },
    ]);
  } finally {
    await root.cleanup();
  }
});

test('python_packages: the distributions the system Python finds (importlib.metadata)', async () => {
  const { rows } = await queryRoot('/', 'SELECT * FROM python_packages');
  assertTypes(rows, { name: 'TEXT', uid: 'NULL-OR-INTEGER', version: 'TEXT', summary: 'TEXT', author: 'TEXT', license: 'TEXT', path: 'TEXT', directory: 'TEXT' });
  const script = 'import importlib.metadata as m, sys\nfor d in m.distributions():\n  p = str(d._path)\n  if p.startswith("/usr/"): print(d.metadata["Name"] + "|" + d.version + "|" + p)';
  const theirs = sh('/usr/bin/python3', ['-I', '-c', script]).trim().split('\n').filter(Boolean);
  const ours = rows.filter((r) => r.uid === null).map((r) => `${r.name}|${r.version}|${r.path}`);
  assert.deepEqual(ours.sort(), theirs.sort());
});

test('python_packages on a fixture: dist-info, egg-info file and folder, per-user site', async () => {
  const root = await buildFixtureRoot({
    '/etc/passwd': 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n',
    '/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA': 'Metadata-Version: 2.1\nName: requests\nVersion: 2.28.1\nSummary: HTTP for Humans.\nAuthor: Kenneth Reitz\nLicense: Apache 2.0\n\nLong description\nName: not-this\n',
    '/usr/lib/python3/dist-packages/six-1.16.0.egg-info': 'Metadata-Version: 1.2\nName: six\nVersion: 1.16.0\nSummary: Python 2 and 3 compatibility utilities\nAuthor: Benjamin Peterson\nLicense: MIT\n',
    '/usr/lib/python3/dist-packages/chardet-5.1.0.egg-info/PKG-INFO': 'Name: chardet\nVersion: 5.1.0\nAuthor-email: a@example.org\nLicense-Expression: LGPL-2.1-or-later\n',
    '/home/alice/.local/lib/python3.11/site-packages/mytool-0.1.dist-info/METADATA': 'Name: mytool\nVersion: 0.1\n',
  });
  try {
    const { rows } = await queryRoot(root.dir, 'SELECT name, uid, version, summary, author, license, path, directory FROM python_packages');
    assert.deepEqual(rows, [
      { name: 'chardet', uid: null, version: '5.1.0', summary: '', author: 'a@example.org', license: 'LGPL-2.1-or-later', path: '/usr/lib/python3/dist-packages/chardet-5.1.0.egg-info', directory: '/usr/lib/python3/dist-packages' },
      { name: 'requests', uid: null, version: '2.28.1', summary: 'HTTP for Humans.', author: 'Kenneth Reitz', license: 'Apache 2.0', path: '/usr/lib/python3/dist-packages/requests-2.28.1.dist-info', directory: '/usr/lib/python3/dist-packages' },
      { name: 'six', uid: null, version: '1.16.0', summary: 'Python 2 and 3 compatibility utilities', author: 'Benjamin Peterson', license: 'MIT', path: '/usr/lib/python3/dist-packages/six-1.16.0.egg-info', directory: '/usr/lib/python3/dist-packages' },
      { name: 'mytool', uid: 1000, version: '0.1', summary: '', author: '', license: '', path: '/home/alice/.local/lib/python3.11/site-packages/mytool-0.1.dist-info', directory: '/home/alice/.local/lib/python3.11/site-packages' },
    ]);
    await root.add({ '/opt/venv/lib/python3.11/site-packages/flask-3.0.0.dist-info/METADATA': 'Name: Flask\nVersion: 3.0.0\n' });
    const { rows: venv } = await queryRoot(root.dir, "SELECT name, version FROM python_packages WHERE directory = '/opt/venv/lib/python3.11/site-packages'");
    assert.deepEqual(venv, [{ name: 'Flask', version: '3.0.0' }], 'directory = a virtualenv reads it');
    const { rows: joined } = await queryRoot(root.dir, 'SELECT u.username, p.name FROM users u JOIN python_packages p USING (uid)');
    assert.deepEqual(joined, [{ username: 'alice', name: 'mytool' }]);
  } finally {
    await root.cleanup();
  }
});

test('npm_packages: the global packages npm ls -g lists; scoped and nested packages on a fixture', async () => {
  const { rows } = await queryRoot('/', 'SELECT * FROM npm_packages');
  assertTypes(rows, { name: 'TEXT', version: 'TEXT', description: 'TEXT', author: 'TEXT', license: 'TEXT', homepage: 'TEXT', path: 'TEXT', directory: 'TEXT', depth: 'INTEGER' });
  const { GLOBAL_MODULE_DIRS } = await import('../../src/query/tables/npm_packages.js');
  // npm's global root is <prefix>/lib/node_modules, the prefix being where node is installed
  const npmRoot = path.join(path.dirname(path.dirname(process.execPath)), 'lib/node_modules');
  if (GLOBAL_MODULE_DIRS.includes(npmRoot)) {
    const theirs = JSON.parse(sh('npm', ['ls', '-g', '--depth=0', '--json'])) as { dependencies?: Record<string, { version: string }> };
    assert.deepEqual(rows.filter((r) => r.directory === npmRoot && r.depth === 0).map((r) => `${r.name}@${r.version}`).sort(),
      Object.entries(theirs.dependencies ?? {}).map(([n, d]) => `${n}@${d.version}`).sort());
  }
  const root = await buildFixtureRoot({
    '/usr/local/lib/node_modules/left-pad/package.json': JSON.stringify({ name: 'left-pad', version: '1.3.0', description: 'pad', author: { name: 'azer', email: 'a@b.c' }, license: 'WTFPL', homepage: 'https://x' }),
    '/usr/local/lib/node_modules/@scope/tool/package.json': JSON.stringify({ name: '@scope/tool', version: '2.0.0', license: { type: 'MIT' }, author: 'Me <me@x>' }),
    '/usr/local/lib/node_modules/@scope/tool/node_modules/dep/package.json': JSON.stringify({ name: 'dep', version: '0.0.1' }),
    '/usr/local/lib/node_modules/broken/package.json': '{ not json',
    '/srv/app/node_modules/express/package.json': JSON.stringify({ name: 'express', version: '4.18.2' }),
  });
  try {
    const { rows: r } = await queryRoot(root.dir, 'SELECT name, version, description, author, license, homepage, path, depth FROM npm_packages');
    assert.deepEqual(r, [
      { name: '@scope/tool', version: '2.0.0', description: '', author: 'Me <me@x>', license: 'MIT', homepage: '', path: '/usr/local/lib/node_modules/@scope/tool/package.json', depth: 0 },
      { name: 'dep', version: '0.0.1', description: '', author: '', license: '', homepage: '', path: '/usr/local/lib/node_modules/@scope/tool/node_modules/dep/package.json', depth: 1 },
      { name: 'left-pad', version: '1.3.0', description: 'pad', author: 'azer <a@b.c>', license: 'WTFPL', homepage: 'https://x', path: '/usr/local/lib/node_modules/left-pad/package.json', depth: 0 },
    ]);
    const { rows: shallow } = await queryRoot(root.dir, 'SELECT name FROM npm_packages WHERE max_depth = 0');
    assert.deepEqual(shallow.map((x) => x.name), ['@scope/tool', 'left-pad'], 'max_depth = 0: top level only');
    const { rows: project } = await queryRoot(root.dir, "SELECT name, directory, depth FROM npm_packages WHERE directory = '/srv/app'");
    assert.deepEqual(project, [{ name: 'express', directory: '/srv/app', depth: 0 }], 'directory = a project reads its node_modules');
    const { packagesUnder } = await import('../../src/query/tables/npm_packages.js');
    const { HostRoot } = await import('../../src/core/host-root.js');
    const nested = [...packagesUnder(new HostRoot(root.dir), '/usr/local/lib/node_modules', '/usr/local/lib/node_modules', 0, 1)];
    assert.deepEqual(nested.map((p) => `${p.name}:${p.depth}`), ['@scope/tool:0', 'dep:1', 'left-pad:0']);
  } finally {
    await root.cleanup();
  }
});
