/**
 * `npm run package` builds a .deb that carries its own Node.js and every dependency. The test
 * installs it with dpkg into a clean root that holds nothing but glibc and /bin/sh (no Node,
 * no libstdc++), and runs spyglass audit, query and config check from it in a chroot.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GLIBC = ['/lib64/ld-linux-x86-64.so.2', ...['libc.so.6', 'libm.so.6', 'libdl.so.2', 'libpthread.so.0', 'librt.so.1'].map((l) => `/lib/x86_64-linux-gnu/${l}`)];

/** A root with only glibc, /bin/sh, /dev/null, an empty dpkg database that knows libc6, and os-release. */
function cleanRoot(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'spyglass-cleanroot-'));
  for (const dir of ['bin', 'lib64', 'lib/x86_64-linux-gnu', 'etc', 'tmp', 'proc', 'var/lib/dpkg/info', 'var/lib/dpkg/updates', 'var/lib/dpkg/triggers', 'usr/bin']) mkdirSync(path.join(root, dir), { recursive: true });
  for (const lib of GLIBC) copyFileSync(lib, path.join(root, lib));
  copyFileSync('/bin/dash', path.join(root, 'bin/sh'));
  // every real root has /dev/null; a child process with an ignored stdio (the query worker) opens it
  mkdirSync(path.join(root, 'dev'));
  execFileSync('mknod', ['-m', '666', path.join(root, 'dev/null'), 'c', '1', '3']);
  copyFileSync('/etc/os-release', path.join(root, 'etc/os-release'));
  writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\n');
  const libcVersion = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'libc6']).toString();
  writeFileSync(path.join(root, 'var/lib/dpkg/status'), `Package: libc6\nStatus: install ok installed\nVersion: ${libcVersion}\nArchitecture: amd64\nMaintainer: test\nDescription: glibc, copied into the clean root\n\n`);
  writeFileSync(path.join(root, 'var/lib/dpkg/available'), '');
  return root;
}

test('the .deb installs into a root with only glibc and runs audit, query and config check', { timeout: 300_000 }, () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'spyglass-package-'));
  const root = cleanRoot();
  let procMounted = false;
  try {
    const built = spawnSync(process.execPath, ['scripts/package.mjs', '--fast', '--out', out], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;
    const deb = path.join(out, `spyglass_${version}_amd64.deb`);
    assert.ok(existsSync(deb), built.stdout);
    const tarList = execFileSync('tar', ['-tzf', path.join(out, `spyglass-${version}-linux-x64.tar.gz`)]).toString();
    assert.match(tarList, /^opt\/spyglass\/bin\/spyglass$/m);

    const install = spawnSync('dpkg', [`--root=${root}`, '-i', deb], { encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr + install.stdout);
    for (const file of ['/opt/spyglass/node/bin/node', '/usr/bin/spyglass', '/lib/systemd/system/spyglass.service', '/etc/spyglass/agent.yaml', '/etc/spyglass/fim.yaml', '/opt/spyglass/app/profiles']) {
      assert.ok(lstatSync(path.join(root, file), { throwIfNoEntry: false }), `${file} installed`);
    }
    assert.ok(!existsSync(path.join(root, 'usr/bin/node')), 'the system gets no node of ours');

    // The dynamic loader finds the bundled C++ runtime through /proc/self/exe ($ORIGIN).
    execFileSync('mount', ['-t', 'proc', 'proc', path.join(root, 'proc')]);
    procMounted = true;
    const env = { PATH: '/usr/bin:/bin', HOME: '/root', LANG: 'C.UTF-8' };
    const run = (...args: string[]) => spawnSync('/usr/sbin/chroot', [root, '/usr/bin/spyglass', ...args], { encoding: 'utf8', env });

    const v = run('--version');
    assert.equal(v.stdout.trim(), version, v.stderr);

    const q = run('query', '--format', 'json', 'SELECT name, major FROM os_version');
    assert.equal(q.status, 0, q.stderr);
    const osRelease = readFileSync('/etc/os-release', 'utf8');
    const row = JSON.parse(q.stdout)[0];
    assert.equal(row.name, /^NAME="?([^"\n]+)"?/m.exec(osRelease)![1]);
    assert.equal(String(row.major), /^VERSION_ID="?(\d+)/m.exec(osRelease)![1]);

    const a = run('audit', '--format', 'json');
    assert.ok(a.status === 0 || a.status === 1, `audit exit ${a.status}: ${a.stderr}`);
    const result = JSON.parse(a.stdout);
    assert.ok(result.controls.length >= 40, `${result.controls.length} controls`);
    assert.equal(result.host.os.id, /^ID=(\S+)/m.exec(osRelease)![1]);

    const c = run('config', 'check', '-c', '/etc/spyglass/agent.yaml');
    assert.equal(c.status, 0, c.stderr);

    const removed = spawnSync('dpkg', [`--root=${root}`, '-r', 'spyglass'], { encoding: 'utf8' });
    assert.equal(removed.status, 0, removed.stderr);
    assert.ok(!existsSync(path.join(root, 'opt/spyglass/node/bin/node')));
  } finally {
    if (procMounted) spawnSync('umount', [path.join(root, 'proc')]);
    rmSync(root, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});
