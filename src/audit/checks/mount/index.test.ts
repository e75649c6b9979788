/** Tests of the `mount` check type: conformance, fstab and mount units offline, /proc/self/mounts on a live root, and this machine's mount table against findmnt. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { FixtureTree } from '../../../../test/helpers/fixture-root.js';
import { buildFixtureRoot } from '../../../../test/helpers/fixture-root.js';
import { runCheckConformance, evaluateOnFixture, testCheckContext } from '../common/conformance.test-helpers.js';
import { LiveFixtureRoot } from '../common/live-root.test-helpers.js';
import { HostRoot } from '../../../core/host-root.js';
import { effectiveMountOptions, parseMountTable, systemdEscapePath } from '../../../host/mounts.js';
import { mountCheck } from './index.js';

const fstab = [
  '# /etc/fstab: static file system information.',
  'UUID=1234-abcd /               ext4    errors=remount-ro 0       1',
  'UUID=5678      /home           ext4    defaults,nodev    0       2',
  'tmpfs          /tmp            tmpfs   defaults,rw,nosuid,nodev,noexec,relatime,size=2G 0 0',
  '/dev/vg/var    /var/log/audit/ ext4    nodev,nosuid,noexec 0 2',
  '/swapfile      none            swap    sw                0       0',
  '/dev/sdb1      /srv\\040data    xfs     nosuid            0       2',
].join('\n') + '\n';
const tree: FixtureTree = { '/etc/fstab': fstab };

runCheckConformance(mountCheck, {
  pass: [
    { name: '/tmp with nodev,nosuid,noexec in fstab', tree, spec: { path: '/tmp', options: ['nodev', 'nosuid', 'noexec'] }, mentions: '"line":4' },
    { name: 'trailing slash and escapes', tree, spec: { path: '/srv data', options: ['nosuid'] } },
    { name: 'missing with missing: pass', tree, spec: { path: '/var/tmp', missing: 'pass' } },
  ],
  fail: [
    { name: 'defaults means exec', tree, spec: { path: '/home', options: ['nodev'], forbidden_options: ['exec', 'suid'] }, mentions: 'has exec, has suid' },
    { name: 'lacks an option', tree, spec: { path: '/home', options: ['nosuid'] }, mentions: 'lacks nosuid' },
    { name: 'not a separate mount', tree, spec: { path: '/var/tmp', options: ['nodev'] }, mentions: 'not a separate mount' },
  ],
  not_applicable: [
    { name: '/dev/shm not in fstab with missing: not_applicable', tree, spec: { path: '/dev/shm', options: ['noexec'], missing: 'not_applicable' } },
    { name: 'runtime scope offline', tree, spec: { path: '/tmp', scope: 'runtime' }, mentions: 'not the live system' },
  ],
  error: [
    { name: 'fstab is a directory', tree: { '/etc/fstab/x': '' }, spec: { path: '/tmp' } },
  ],
});

test('mount: a tmp.mount unit counts when enabled or static, not when disabled', async () => {
  const unit = '[Unit]\nDescription=Temporary Directory /tmp\n[Mount]\nWhat=tmpfs\nWhere=/tmp\nType=tmpfs\nOptions=mode=1777,strictatime,nosuid,nodev,size=50%%\n';
  const enabled: FixtureTree = {
    '/etc/fstab': '# empty\n',
    '/etc/systemd/system/tmp.mount': unit + '[Install]\nWantedBy=local-fs.target\n',
    '/etc/systemd/system/local-fs.target.wants/tmp.mount': { symlink: '/etc/systemd/system/tmp.mount' },
  };
  const r = await evaluateOnFixture(mountCheck, enabled, { path: '/tmp', options: ['nodev', 'nosuid'] });
  assert.equal(r.status, 'pass', r.summary);
  assert.match(r.evidence[0]!.found!, /tmp.mount \(enabled\)/);
  const noexec = await evaluateOnFixture(mountCheck, enabled, { path: '/tmp', options: ['noexec'] });
  assert.equal(noexec.status, 'fail');
  const staticUnit = await evaluateOnFixture(mountCheck, { '/usr/lib/systemd/system/tmp.mount': unit }, { path: '/tmp', options: ['nodev'] });
  assert.equal(staticUnit.status, 'pass', staticUnit.summary);
  const disabled = await evaluateOnFixture(mountCheck, { '/usr/lib/systemd/system/tmp.mount': unit + '[Install]\nWantedBy=local-fs.target\n' }, { path: '/tmp' });
  assert.equal(disabled.status, 'fail');
  assert.match(disabled.summary + JSON.stringify(disabled.evidence), /tmp.mount is disabled/);
});

test('mount: on a live root /proc/self/mounts decides; scope both reads fstab too', async () => {
  const fx = await buildFixtureRoot({
    ...tree,
    '/proc/self/mounts': 'overlay / overlay rw,relatime 0 0\ntmpfs /tmp tmpfs rw,nosuid,nodev 0 0\ntmpfs /tmp tmpfs rw,nosuid,nodev,noexec 0 0\nshm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k 0 0\n',
  });
  try {
    const ctx = testCheckContext(new LiveFixtureRoot(fx.dir));
    const run = (spec: object) => mountCheck.evaluate(mountCheck.schema.parse(spec), ctx);
    const top = await run({ path: '/tmp', options: ['noexec'] });
    assert.equal(top.status, 'pass', 'the last (topmost) mount is in effect');
    assert.equal(top.evidence[0]!.line, 3);
    assert.equal((await run({ path: '/dev/shm', options: ['nodev', 'nosuid', 'noexec'] })).status, 'pass');
    const both = await run({ path: '/dev/shm', options: ['noexec'], scope: 'both' });
    assert.equal(both.status, 'fail', 'mounted now, but not in fstab');
    assert.equal((await run({ path: '/home', options: ['nodev'] })).status, 'fail', 'in fstab, not mounted now');
    assert.equal((await run({ path: '/home', options: ['nodev'], scope: 'persisted' })).status, 'pass');
  } finally { await fx.cleanup(); }
});

test('mount: parsing pieces', () => {
  assert.deepEqual([...effectiveMountOptions(['defaults', 'nodev'])].sort(), ['async', 'auto', 'exec', 'nodev', 'nouser', 'rw', 'suid'].sort());
  assert.ok(effectiveMountOptions(['noexec', 'exec']).has('exec'), 'later option wins');
  assert.deepEqual(['noexec', 'nosuid', 'nodev'].map((o) => effectiveMountOptions(['users']).has(o)), [true, true, true], 'users implies noexec,nosuid,nodev');
  assert.ok(effectiveMountOptions(['user', 'exec']).has('exec') && !effectiveMountOptions(['user', 'exec']).has('noexec'), 'unless overridden later');
  assert.deepEqual(['/', '/tmp', '/var/log/audit', '/srv/my-data', '/home/.x'].map(systemdEscapePath), ['-', 'tmp', 'var-log-audit', 'srv-my\\x2ddata', 'home-.x']);
  assert.deepEqual(parseMountTable('a /b\\040c ext4 ro 0 0\n').map((m) => m.target), ['/b c']);
});

test('mount: this machine\'s /proc/self/mounts parses to what findmnt reports', async () => {
  const text = await new HostRoot('/').readText('/proc/self/mounts');
  const ours = parseMountTable(text).map((m) => `${m.target} ${m.fstype}`);
  const theirs = execFileSync('findmnt', ['--kernel', '--noheadings', '--raw', '-o', 'TARGET,FSTYPE'], { encoding: 'utf8' })
    .trim().split('\n').map((l) => { const [t, f] = l.split(' '); return `${t!.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)))} ${f}`; });
  assert.deepEqual(ours.sort(), theirs.sort());
});
