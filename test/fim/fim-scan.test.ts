/** Baseline and check over real files: every kind of difference, excludes, depth, symlink loops, unreadable files, the CLI. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { TreeScanner } from '../../src/fim/tree-scanner.js';
import { fimRuntime, tempTree } from './fim-fixture.js';

const CLI = path.resolve('test/helpers/run-cli.ts');

test('check reports created, modified, attributes (mode, owner), deleted and link target changes with old and new values', async () => {
  const { dir, tree, cleanup } = tempTree();
  try {
    fs.mkdirSync(path.join(tree, 'sub/deep'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'conf'), 'one\n');
    fs.writeFileSync(path.join(tree, 'bin'), 'binary');
    fs.writeFileSync(path.join(tree, 'sub/deep/gone'), 'x');
    fs.symlinkSync('conf', path.join(tree, 'link'));
    fs.symlinkSync('loop-b', path.join(tree, 'loop-a'));
    fs.symlinkSync('loop-a', path.join(tree, 'loop-b'));
    const { rt, publisher } = await fimRuntime(dir, { watch: [{ path: tree }], hashes: ['sha256', 'md5'] });
    const scanner = new TreeScanner(rt);
    const base = await scanner.scan({ mode: 'baseline', detection: 'scan', update: true, force: true });
    assert.equal(base.scanned, 9);
    assert.equal(rt.store.get(path.join(tree, 'loop-a'))!.target, 'loop-b', 'a symlink loop is recorded, not followed');
    assert.equal(rt.store.get(path.join(tree, 'conf'))!.hashes.md5, '5bbf5a52328e7439ae6e719dfe712200');

    fs.renameSync(path.join(tree, 'sub/deep/gone'), path.join(tree, 'sub/moved-here'));
    fs.writeFileSync(path.join(tree, 'conf'), 'one\ntwo\n');
    fs.chownSync(path.join(tree, 'bin'), 65534, 65534); // before chmod: chown clears set-uid
    fs.chmodSync(path.join(tree, 'bin'), 0o4755);
    fs.rmSync(path.join(tree, 'sub/deep'), { recursive: true });
    fs.writeFileSync(path.join(tree, 'sub/new'), 'new');
    fs.unlinkSync(path.join(tree, 'link'));
    fs.symlinkSync('/etc/shadow', path.join(tree, 'link'));

    const c = await scanner.scan({ mode: 'compare', detection: 'scan', update: false });
    assert.deepEqual([c.created, c.modified, c.attributes, c.deleted, c.moved], [1, 2, 1, 1, 1]);
    const moved = publisher.find('moved', path.join(tree, 'sub/moved-here'))!;
    assert.equal(moved.old_path, path.join(tree, 'sub/deep/gone'), 'a move made between scans is paired by inode and content');
    const conf = publisher.find('modified', path.join(tree, 'conf'))!;
    assert.deepEqual(conf.changes!.size, { old: 4, new: 8 });
    assert.equal((conf.changes!.hashes!.old as Record<string, string>).md5, '5bbf5a52328e7439ae6e719dfe712200');
    assert.equal(conf.detection, 'scan');
    const bin = publisher.find('attributes', path.join(tree, 'bin'))!;
    assert.deepEqual(bin.changes!.mode, { old: '0644', new: '04755' });
    assert.deepEqual(bin.changes!.uid, { old: 0, new: 65534 });
    assert.deepEqual(bin.changes!.owner, { old: 'root', new: 'nobody' });
    assert.equal(bin.owner, 'nobody');
    assert.equal(bin.group, 'nogroup');
    assert.deepEqual(publisher.find('modified', path.join(tree, 'link'))!.changes!.target, { old: 'conf', new: '/etc/shadow' });
    assert.ok(publisher.find('deleted', path.join(tree, 'sub/deep')));
    assert.ok(publisher.find('created', path.join(tree, 'sub/new')));

    // without --update the baseline is unchanged: the same differences again
    publisher.take();
    const again = await scanner.scan({ mode: 'compare', detection: 'scan', update: false });
    assert.equal(again.created + again.modified + again.attributes + again.deleted + again.moved, 6);
    // with update, accepted; a third check is clean and reuses every hash
    await scanner.scan({ mode: 'compare', detection: 'scan', update: true });
    publisher.take();
    const clean = await scanner.scan({ mode: 'compare', detection: 'scan', update: false });
    assert.equal(publisher.events.length, 0, JSON.stringify(publisher.events));
    assert.equal(clean.hashed, 0);
    assert.equal(clean.reused, 4, JSON.stringify(clean));
    const forced = await scanner.scan({ mode: 'compare', detection: 'scan', update: false, force: true });
    assert.equal(forced.hashed, 4, '--force hashes every file again');
    await rt.close();
  } finally {
    cleanup();
  }
});

test('excludes (glob and regex), depth and non-recursive watches limit what is recorded; scan_rate paces the scan', async () => {
  const { dir, tree, cleanup } = tempTree();
  try {
    fs.mkdirSync(path.join(tree, 'a/b/c'), { recursive: true });
    for (const f of ['x.swp', 'keep', 'a/keep', 'a/b/keep', 'a/b/c/deep', 'a/cache.tmp']) fs.writeFileSync(path.join(tree, f), f);
    const { rt } = await fimRuntime(dir, { watch: [{ path: tree, depth: 1, exclude: ['**/*.swp'] }], exclude_regex: ['\\.tmp$'], scan_rate: 40 });
    const t0 = Date.now();
    const counts = await new TreeScanner(rt).scan({ mode: 'baseline', detection: 'scan', update: true });
    const recorded = rt.store.listTree(tree).map((e) => path.relative(tree, e.path) || '.');
    assert.deepEqual(recorded.sort(), ['.', 'a', 'a/b', 'a/keep', 'keep'].sort());
    assert.equal(counts.scanned, 5);
    assert.ok(Date.now() - t0 >= 90, `40 files/s: 5 files take over 0.1 s (took ${Date.now() - t0} ms)`);
    await rt.close();
  } finally {
    cleanup();
  }
});

test('content diffs for small text files, never for secrets', async () => {
  const { dir, tree, cleanup } = tempTree();
  try {
    fs.writeFileSync(path.join(tree, 'sshd_config'), 'Port 22\nPermitRootLogin no\n');
    fs.writeFileSync(path.join(tree, 'id_rsa'), 'secret\n');
    const { rt, publisher } = await fimRuntime(dir, { watch: [{ path: tree }], diff: { enabled: true } });
    const scanner = new TreeScanner(rt);
    await scanner.scan({ mode: 'baseline', detection: 'scan', update: true });
    fs.writeFileSync(path.join(tree, 'sshd_config'), 'Port 22\nPermitRootLogin yes\n');
    fs.writeFileSync(path.join(tree, 'id_rsa'), 'other secret\n');
    await scanner.scan({ mode: 'compare', detection: 'scan', update: true });
    const d = publisher.find('modified', path.join(tree, 'sshd_config'))!.diff!;
    assert.ok(d.includes('-PermitRootLogin no\n+PermitRootLogin yes'), d);
    assert.equal(publisher.find('modified', path.join(tree, 'id_rsa'))!.diff, undefined);
    assert.equal(rt.store.get(path.join(tree, 'id_rsa'))!.content, undefined, 'secrets are never stored');
    await rt.close();
  } finally {
    cleanup();
  }
});

test('unreadable files are reported with the reason: injected open failure, and a real one as an unprivileged user', async () => {
  const { dir, tree, cleanup } = tempTree();
  try {
    fs.writeFileSync(path.join(tree, 'locked'), 'x');
    spawnSync('mkfifo', [path.join(tree, 'fifo')]); // recorded as a fifo, never opened (opening one would block)
    const { rt, publisher } = await fimRuntime(dir, { watch: [{ path: tree }] }, { failOpen: { [path.join(tree, 'locked')]: 'EIO: input/output error' } });
    const scanner = new TreeScanner(rt);
    const base = await scanner.scan({ mode: 'baseline', detection: 'scan', update: true });
    assert.equal(base.unreadable, 1);
    assert.match(rt.store.get(path.join(tree, 'locked'))!.hashError!, /EIO/);
    assert.equal(rt.store.get(path.join(tree, 'fifo'))!.type, 'fifo');
    await scanner.scan({ mode: 'compare', detection: 'scan', update: false });
    assert.match(publisher.find('unreadable', path.join(tree, 'locked'))!.error!, /EIO: input\/output error/);
    await rt.close();

    // real permission denial: the CLI run as nobody cannot read a 0600 root file
    fs.chmodSync(dir, 0o777);
    fs.chmodSync(tree, 0o755);
    fs.writeFileSync(path.join(tree, 'private'), 'secret');
    fs.chmodSync(path.join(tree, 'private'), 0o600);
    fs.writeFileSync(path.join(dir, 'fim.yaml'), `watch:\n  - path: ${tree}\nbaseline: ${dir}/nobody.db\n`);
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', CLI, 'fim', ...args, '-c', path.join(dir, 'fim.yaml')], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: process.cwd() });
    const b = run(['baseline']);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stderr, /private: EACCES: permission denied/);
    assert.match(b.stderr, /unreadable 1/);
    const c = run(['check']);
    assert.equal(c.status, 1, c.stderr);
    const ev = c.stdout.trim().split('\n').map((l) => JSON.parse(l) as { action: string; path: string; error?: string }).find((e) => e.action === 'unreadable');
    assert.equal(ev?.path, path.join(tree, 'private'));
    assert.match(ev!.error!, /EACCES/);
  } finally {
    cleanup();
  }
});

test('CLI: baseline then check prints JSON-lines events and counts, exit 1 on differences; config errors give file:line and exit 2', () => {
  const { dir, tree, cleanup } = tempTree();
  try {
    fs.writeFileSync(path.join(tree, 'f'), 'a');
    const cfg = path.join(dir, 'fim.yaml');
    fs.writeFileSync(cfg, `watch:\n  - path: ${tree}\n    category: app\nbaseline: ${dir}/b.db\n`);
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', CLI, 'fim', ...args], { encoding: 'utf8' });
    const check0 = run('check', '-c', cfg);
    assert.equal(check0.status, 2);
    assert.match(check0.stderr, /no baseline yet/);
    const b = run('baseline', '-c', cfg);
    assert.equal(b.status, 0, b.stderr);
    assert.match(b.stderr, /fim baseline: scanned 2,.*recorded 2/);
    assert.equal(run('check', '-c', cfg).status, 0);
    fs.writeFileSync(path.join(tree, 'f'), 'b');
    const c = run('check', '-c', cfg);
    assert.equal(c.status, 1);
    const ev = JSON.parse(c.stdout.trim()) as Record<string, unknown>;
    assert.equal(ev.kind, 'fim');
    assert.equal(ev.action, 'modified');
    assert.equal(ev.category, 'app');
    assert.equal(ev.source, 'app');
    assert.match(c.stderr, /modified 1/);
    fs.writeFileSync(cfg, `watch:\n  - path: ${tree}\n    depth: -1\n`);
    const bad = run('check', '-c', cfg);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /fim\.yaml:3:\d+: watch\.0\.depth/);
  } finally {
    cleanup();
  }
});

test('CLI: fim watch prints realtime events as JSON lines and stops cleanly on SIGTERM', async () => {
  const { dir, tree, cleanup } = tempTree();
  try {
    const cfg = path.join(dir, 'fim.yaml');
    fs.writeFileSync(cfg, `watch:\n  - path: ${tree}\n    category: web\nbaseline: ${dir}/w.db\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'fim', 'watch', '-c', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const waitFor = async (re: RegExp, what: string) => {
      const end = Date.now() + 15_000;
      while (!re.test(out + err)) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    await waitFor(/baseline recorded/, 'start');
    fs.writeFileSync(path.join(tree, 'authorized_keys'), 'ssh-ed25519 AAAA attacker\n');
    await waitFor(/"action":"created".*authorized_keys/, 'created event');
    const line = out.split('\n').map((l) => (l ? JSON.parse(l) as Record<string, unknown> : undefined)).find((e) => e?.action === 'created')!;
    assert.equal(line.kind, 'fim');
    assert.equal(line.category, 'web');
    assert.equal(line.detection, 'realtime');
    const code = await new Promise<number | null>((resolve) => { child.on('exit', (c) => resolve(c)); child.kill('SIGTERM'); });
    assert.equal(code, 0, err);
  } finally {
    cleanup();
  }
});
