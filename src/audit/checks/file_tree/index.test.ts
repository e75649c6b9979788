/** Tests of the `file_tree` check type: conformance, every finding, exclusions, allow-list, limits, pseudo mounts, and this machine's /usr against find(1). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { FixtureTree } from '../../../../test/helpers/fixture-root.js';
import { buildFixtureRoot } from '../../../../test/helpers/fixture-root.js';
import { runCheckConformance, evaluateOnFixture, testCheckContext } from '../common/conformance.test-helpers.js';
import { LiveFixtureRoot } from '../common/live-root.test-helpers.js';
import { HostRoot } from '../../../core/host-root.js';
import { fileTreeCheck } from './index.js';

const base: FixtureTree = {
  '/etc/passwd': 'root:x:0:0::/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n',
  '/etc/group': 'root:x:0:\nalice:x:1000:\n',
  '/usr/bin/ls': { content: '', mode: 0o755 },
  '/usr/bin/passwd': { content: '', mode: 0o4755 },
  '/usr/bin/wall': { content: '', mode: 0o2755 },
  '/tmp': { dir: true, mode: 0o1777 },
  '/home/alice/notes': { content: '', mode: 0o644, uid: 1000, gid: 1000 },
};
const weak: FixtureTree = {
  ...base,
  '/srv/shared/upload': { dir: true, mode: 0o777 },
  '/srv/shared/open.txt': { content: '', mode: 0o666 },
  '/srv/orphan': { content: '', mode: 0o644, uid: 4242, gid: 4343 },
  '/opt/app/bin/helper': { content: '', mode: 0o4711 },
  '/opt/app/link': { symlink: '/usr/bin/passwd' },
};

runCheckConformance(fileTreeCheck, {
  pass: [
    { name: 'no world-writable files', tree: base, spec: { find: 'world_writable' }, mentions: 'entries in' },
    { name: 'sticky world-writable /tmp is fine', tree: base, spec: { find: 'world_writable_dirs_without_sticky' } },
    { name: 'expected SUID allowed', tree: base, spec: { find: 'suid', allow: ['/usr/bin/passwd'] }, mentions: '1 allowed' },
  ],
  fail: [
    { name: 'world-writable file', tree: weak, spec: { find: 'world_writable' }, mentions: '/srv/shared/open.txt' },
    { name: 'unowned file', tree: weak, spec: { find: 'unowned' }, mentions: '/srv/orphan' },
    { name: 'unexpected SUID', tree: weak, spec: { find: 'suid', allow: ['/usr/bin/passwd'] }, mentions: '/opt/app/bin/helper' },
  ],
  not_applicable: [
    { name: 'start path does not exist', tree: base, spec: { find: 'suid', paths: ['/nonexistent'] }, mentions: 'does not exist' },
  ],
  error: [
    { name: 'unowned without /etc/passwd', tree: { '/x': '' }, spec: { find: 'unowned' }, mentions: '/etc/passwd' },
    { name: 'max_files reached with nothing found', tree: base, spec: { find: 'world_writable', max_files: 3 }, mentions: 'max_files' },
  ],
});

test('file_tree: each finding finds exactly its offenders; links are not followed', async () => {
  const paths = async (find: string, extra: object = {}) => {
    const r = await evaluateOnFixture(fileTreeCheck, weak, { find, ...extra });
    return r.evidence.filter((e) => e.expected).map((e) => e.source);
  };
  assert.deepEqual(await paths('suid'), ['/opt/app/bin/helper', '/usr/bin/passwd'], 'the link /opt/app/link is not followed');
  assert.deepEqual(await paths('sgid'), ['/usr/bin/wall']);
  assert.deepEqual(await paths('world_writable'), ['/srv/shared/open.txt']);
  assert.deepEqual(await paths('world_writable_dirs_without_sticky'), ['/srv/shared/upload']);
  assert.deepEqual(await paths('unowned'), ['/srv/orphan']);
  assert.deepEqual(await paths('ungrouped'), ['/srv/orphan']);
  assert.deepEqual(await paths('suid', { exclude: ['/opt/**'] }), ['/usr/bin/passwd']);
  assert.deepEqual(await paths('suid', { exclude: ['/opt'] }), ['/usr/bin/passwd'], 'an excluded directory is not entered');
  assert.deepEqual(await paths('suid', { paths: ['/usr'] }), ['/usr/bin/passwd']);
});

test('file_tree: limit lists the first offenders in path order and still counts all', async () => {
  const many: FixtureTree = { ...base };
  for (let i = 0; i < 30; i++) many[`/data/f${String(i).padStart(2, '0')}`] = { content: '', mode: 0o666 };
  const r = await evaluateOnFixture(fileTreeCheck, many, { find: 'world_writable', limit: 5 });
  assert.equal(r.status, 'fail');
  assert.match(r.summary, /^30 world-writable files .*first 5 listed/);
  assert.deepEqual(r.evidence.filter((e) => e.expected).map((e) => e.source), ['/data/f00', '/data/f01', '/data/f02', '/data/f03', '/data/f04']);
  const incomplete = await evaluateOnFixture(fileTreeCheck, many, { find: 'world_writable', max_files: 20 });
  assert.equal(incomplete.status, 'fail', 'offenders found before the limit still fail');
  assert.match(incomplete.summary, /scan incomplete: stopped at max_files/);
});

test('file_tree: an aborted scan is an error, not a pass', async () => {
  const fx = await buildFixtureRoot(base);
  try {
    const ctx = { ...testCheckContext(new HostRoot(fx.dir)), signal: AbortSignal.abort() };
    const r = await fileTreeCheck.evaluate(fileTreeCheck.schema.parse({ find: 'world_writable' }), ctx);
    assert.equal(r.status, 'error');
    assert.match(r.summary, /aborted/);
  } finally { await fx.cleanup(); }
});

test('file_tree: on the live root /proc, /sys, /dev, /run and pseudo or network mounts are not entered', async () => {
  const fx = await buildFixtureRoot({
    ...base,
    '/proc/1/evil': { content: '', mode: 0o4755 },
    '/run/x': { content: '', mode: 0o4755 },
    '/mnt/nfs/y': { content: '', mode: 0o4755 },
    '/mnt/local/z': { content: '', mode: 0o4755 },
    '/proc/self/mounts': 'server:/export /mnt/nfs nfs4 rw 0 0\n/dev/sdb1 /mnt/local ext4 rw 0 0\n',
  });
  try {
    const progress: string[] = [];
    const ctx = { ...testCheckContext(new LiveFixtureRoot(fx.dir)), progress: (n: string) => progress.push(n) };
    const r = await fileTreeCheck.evaluate(fileTreeCheck.schema.parse({ find: 'suid' }), ctx);
    assert.deepEqual(r.evidence.filter((e) => e.expected).map((e) => e.source), ['/mnt/local/z', '/usr/bin/passwd']);
    assert.match(JSON.stringify(r.evidence), /not entered.*\/mnt\/nfs/);
  } finally { await fx.cleanup(); }
});

test('file_tree: this machine\'s /usr agrees with find -xdev -perm', async () => {
  const root = new HostRoot('/');
  for (const [find, perm] of [['suid', '-4000'], ['sgid', '-2000']] as const) {
    const expected = execFileSync('find', ['/usr', '-xdev', '-type', 'f', '-perm', perm], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).sort();
    const r = await fileTreeCheck.evaluate(fileTreeCheck.schema.parse({ find, paths: ['/usr'], limit: 1000 }), testCheckContext(root));
    const ours = r.evidence.filter((e) => e.expected).map((e) => e.source!);
    assert.deepEqual(ours, expected);
    assert.equal(r.status, expected.length ? 'fail' : 'pass');
  }
});

test('file_tree: checks over the same trees share one walk', async () => {
  const fx = await buildFixtureRoot(weak);
  try {
    const base = testCheckContext(new HostRoot(fx.dir));
    const walks: string[] = [];
    const ctx = { ...base, memo: <T>(key: string, compute: () => Promise<T>) => base.memo(key, () => { if (key.startsWith('file_tree:scan:')) walks.push(key); return compute(); }) };
    const results = await Promise.all(['suid', 'sgid', 'unowned', 'world_writable'].map((find) => fileTreeCheck.evaluate(fileTreeCheck.schema.parse({ find }), ctx)));
    assert.deepEqual(results.map((r) => r.status), ['fail', 'fail', 'fail', 'fail']);
    await fileTreeCheck.evaluate(fileTreeCheck.schema.parse({ find: 'suid', paths: ['/usr'] }), ctx);
    assert.equal(walks.length, 2, 'one walk for "/", one for "/usr"');
  } finally { await fx.cleanup(); }
});
