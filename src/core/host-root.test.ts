/** Tests of HostRoot's reads: sync and async siblings agree, links stay inside the root, FIFOs and oversized files are refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { HostRoot } from './host-root.js';
import { SpyglassError } from './errors.js';
import { buildFixtureRoot } from '../../test/helpers/fixture-root.js';

async function codeOf(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
    return undefined;
  } catch (err) {
    assert.ok(err instanceof SpyglassError, `expected a SpyglassError, got ${String(err)}`);
    return err.code;
  }
}

test('sync and async reads give the same answers, links resolved inside the root', async () => {
  const fx = await buildFixtureRoot({
    '/etc/real/passwd': 'root:x:0:0::/root:/bin/sh\n',
    // an absolute link to a directory: must land in the root's /etc/real, never this machine's
    '/etc/alias': { symlink: '/etc/real' },
    '/etc/real/link': { symlink: '../real/passwd' },
    '/etc/hostname': 'fixture\n',
  });
  try {
    const root = new HostRoot(fx.dir);
    assert.equal(root.readTextSync('/etc/alias/passwd'), await root.readText('/etc/alias/passwd'));
    assert.equal(root.readTextSync('/etc/alias/passwd'), 'root:x:0:0::/root:/bin/sh\n');
    assert.deepEqual(root.listDirSync('/etc/alias'), await root.listDir('/etc/alias'));
    assert.deepEqual(root.listDirSync('/etc/alias'), ['link', 'passwd']);
    assert.deepEqual(root.listDirSync('/no/such/dir'), []);
    assert.equal(root.statSync('/etc/alias/link').size, (await root.stat('/etc/alias/link')).size);
    // lstat and readlink follow the parents (inside the root) but not the last component
    assert.ok(root.lstatSync('/etc/alias/link').isSymbolicLink());
    assert.ok((await root.lstat('/etc/alias/link')).isSymbolicLink());
    assert.equal(root.readlinkSync('/etc/alias/link'), '../real/passwd');
    assert.equal(await root.readlink('/etc/alias/link'), '../real/passwd');
    assert.equal(root.lstatIfExistsSync('/etc/alias/nothing'), undefined);
    assert.equal(root.readTextIfExistsSync('/etc/alias/nothing'), undefined);
    assert.equal(await root.readTextIfExists('/etc/alias/nothing'), undefined);
    assert.equal(root.existsSync('/etc/alias/passwd'), true);
    assert.deepEqual(root.globSync('/etc/*/passwd'), await root.glob('/etc/*/passwd'));
    assert.equal(await codeOf(() => root.readTextSync('/etc/missing')), 'not_found');
    assert.equal(await codeOf(() => root.readTextSync('/etc/real')), 'is_directory');
    assert.equal(await codeOf(() => root.readText('/etc/real')), 'is_directory');
  } finally {
    await fx.cleanup();
  }
});

test('a link climbing with .. or pointing at / stays inside the root', async () => {
  const fx = await buildFixtureRoot({
    '/etc/escape': { symlink: '../../../../../../etc/hostname' },
    '/etc/hostname': 'inside\n',
  });
  try {
    const root = new HostRoot(fx.dir);
    assert.equal(root.readTextSync('/etc/escape'), 'inside\n');
    assert.equal(await root.readText('/etc/escape'), 'inside\n');
  } finally {
    await fx.cleanup();
  }
});

test('reads refuse FIFOs (without blocking) and files over the cap, sync and async alike', async () => {
  const fx = await buildFixtureRoot({ '/etc/big': 'x'.repeat(2048) });
  try {
    execFileSync('mkfifo', [path.join(fx.dir, 'etc/fifo')]);
    const root = new HostRoot(fx.dir);
    assert.equal(await codeOf(() => root.readTextSync('/etc/fifo')), 'not_regular_file');
    assert.equal(await codeOf(() => root.readText('/etc/fifo')), 'not_regular_file');
    assert.equal(await codeOf(() => root.readTextSync('/etc/big', 1024)), 'file_too_large');
    assert.equal(await codeOf(() => root.readText('/etc/big', 1024)), 'file_too_large');
    assert.equal(root.readTextSync('/etc/big', 4096).length, 2048);
  } finally {
    await fx.cleanup();
  }
});

test('a live root reads /proc files that report size 0 to the end', async () => {
  const root = new HostRoot('/');
  const text = root.readTextSync('/proc/self/status');
  assert.match(text, /^Name:/);
  assert.match(await root.readText('/proc/self/status'), /^Name:/);
  assert.equal(await codeOf(() => root.readTextSync('/dev/null')), 'not_regular_file');
});
