/** Tests of the `kernel_module` check type: conformance, modprobe.d precedence, name normalisation, presence, and the live-root loaded part. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FixtureTree } from '../../../../test/helpers/fixture-root.js';
import { buildFixtureRoot } from '../../../../test/helpers/fixture-root.js';
import { runCheckConformance, evaluateOnFixture, testCheckContext } from '../common/conformance.test-helpers.js';
import { LiveFixtureRoot } from '../common/live-root.test-helpers.js';
import { kernelModuleCheck } from './index.js';
import { fnmatch, installDisables, parseModprobeFile } from '../../../host/modprobe.js';

const kernel: FixtureTree = {
  '/lib/modules/6.1.0-18-amd64/modules.dep': 'kernel/fs/cramfs/cramfs.ko.xz:\nkernel/drivers/usb/storage/usb-storage.ko.xz: kernel/drivers/usb/common/usb-common.ko.xz\nkernel/fs/udf/udf.ko.xz: kernel/lib/crc-itu-t.ko.xz\n',
  '/lib/modules/6.1.0-18-amd64/modules.builtin': 'kernel/fs/squashfs/squashfs.ko\n',
};
const hardened: FixtureTree = {
  ...kernel,
  '/etc/modprobe.d/cis.conf': '# CIS 1.1.1\ninstall cramfs /bin/false\nblacklist cramfs\ninstall usb_storage /bin/true\nblacklist usb-storage\n',
};

runCheckConformance(kernelModuleCheck, {
  pass: [
    { name: 'install /bin/false and blacklist', tree: hardened, spec: { name: 'cramfs' }, mentions: '/etc/modprobe.d/cis.conf' },
    { name: 'dash and underscore are the same', tree: hardened, spec: { name: 'usb-storage', loaded: false }, mentions: 'not the live root' },
    { name: 'built into the kernel: inherently met', tree: kernel, spec: { name: 'squashfs' }, mentions: 'built into kernel 6.1.0-18-amd64' },
  ],
  fail: [
    { name: 'no configuration', tree: kernel, spec: { name: 'cramfs' }, mentions: 'no install line' },
    { name: 'install without blacklist', tree: { ...kernel, '/etc/modprobe.d/a.conf': 'install udf /bin/false\n' }, spec: { name: 'udf' }, mentions: 'not blacklisted' },
    { name: 'built into the kernel', tree: { ...kernel, '/etc/modprobe.d/a.conf': 'install squashfs /bin/false\nblacklist squashfs\n' }, spec: { name: 'squashfs', if_builtin: 'fail' }, mentions: 'built into' },
  ],
  not_applicable: [
    { name: 'built into the kernel, if_builtin not_applicable', tree: kernel, spec: { name: 'squashfs', if_builtin: 'not_applicable' }, mentions: 'nothing for modprobe' },
    { name: 'module no kernel has', tree: hardened, spec: { name: 'freevxfs' }, mentions: 'not available' },
    { name: 'only the loaded part, offline', tree: hardened, spec: { name: 'cramfs', state: 'any', loaded: false } },
  ],
  error: [
    { name: 'modprobe.d file is a symlink loop', tree: { ...kernel, '/etc/modprobe.d/x.conf': { symlink: '/etc/modprobe.d/x.conf' } }, spec: { name: 'cramfs' } },
  ],
});

test('kernel_module: precedence by file name across directories; first install wins; /dev/null masks', async () => {
  const tree: FixtureTree = {
    ...kernel,
    '/lib/modprobe.d/50-cramfs.conf': 'install cramfs /bin/false\nblacklist cramfs\n',
    '/etc/modprobe.d/50-cramfs.conf': 'blacklist cramfs\n', // hides the /lib file of the same name
  };
  const hidden = await evaluateOnFixture(kernelModuleCheck, tree, { name: 'cramfs' });
  assert.equal(hidden.status, 'fail', hidden.summary);
  const firstWins = await evaluateOnFixture(kernelModuleCheck, { ...tree, '/etc/modprobe.d/10-a.conf': 'install cramfs /sbin/modprobe --ignore-install cramfs\n', '/usr/lib/modprobe.d/20-b.conf': 'install cramfs /bin/false\n' }, { name: 'cramfs' });
  assert.equal(firstWins.status, 'fail');
  assert.ok(firstWins.evidence.some((e) => e.source === '/etc/modprobe.d/10-a.conf' && e.line === 1));
  const masked = await evaluateOnFixture(kernelModuleCheck, { ...kernel, '/usr/lib/modprobe.d/cis.conf': 'install cramfs /bin/false\nblacklist cramfs\n', '/etc/modprobe.d/cis.conf': { symlink: '/dev/null' } }, { name: 'cramfs' });
  assert.equal(masked.status, 'fail', 'a /dev/null link in /etc masks the vendor file');
  const glob = await evaluateOnFixture(kernelModuleCheck, { ...kernel, '/etc/modprobe.d/a.conf': 'install cram* /usr/bin/false\nblacklist cramfs\n' }, { name: 'cramfs' });
  assert.equal(glob.status, 'pass', glob.summary);
  const noBl = await evaluateOnFixture(kernelModuleCheck, { ...kernel, '/etc/modprobe.d/a.conf': 'install udf /bin/true\n' }, { name: 'udf', require_blacklist: false });
  assert.equal(noBl.status, 'pass');
  const ignored = await evaluateOnFixture(kernelModuleCheck, { ...kernel, '/etc/modprobe.d/a.conf.disabled': 'install udf /bin/true\nblacklist udf\n' }, { name: 'udf' });
  assert.equal(ignored.status, 'fail', 'only *.conf files count');
});

test('kernel_module: built into one kernel, a module in another: the loadable kernel decides', async () => {
  const tree: FixtureTree = {
    ...kernel,
    '/lib/modules/6.9.0/modules.dep': 'kernel/fs/squashfs/squashfs.ko.xz:\n',
  };
  const unconfigured = await evaluateOnFixture(kernelModuleCheck, tree, { name: 'squashfs' });
  assert.equal(unconfigured.status, 'fail', unconfigured.summary);
  const configured = await evaluateOnFixture(kernelModuleCheck, { ...tree, '/etc/modprobe.d/a.conf': 'install squashfs /bin/false\nblacklist squashfs\n' }, { name: 'squashfs' });
  assert.equal(configured.status, 'pass', configured.summary);
  assert.ok(configured.evidence.some((e) => /nothing to keep out there/.test(e.note ?? '')), JSON.stringify(configured.evidence));
  const strict = await evaluateOnFixture(kernelModuleCheck, { ...tree, '/etc/modprobe.d/a.conf': 'install squashfs /bin/false\nblacklist squashfs\n' }, { name: 'squashfs', if_builtin: 'fail' });
  assert.equal(strict.status, 'fail');
});

test('kernel_module: presence from .ko files when there is no modules.dep; if_not_present options', async () => {
  const tree: FixtureTree = { '/lib/modules/6.9.0/kernel/fs/hfs/hfs.ko.zst': '', '/etc/modprobe.d/a.conf': 'install hfs /bin/false\nblacklist hfs\n' };
  assert.equal((await evaluateOnFixture(kernelModuleCheck, tree, { name: 'hfs' })).status, 'pass');
  assert.equal((await evaluateOnFixture(kernelModuleCheck, tree, { name: 'jffs2', if_not_present: 'pass' })).status, 'pass');
  assert.equal((await evaluateOnFixture(kernelModuleCheck, tree, { name: 'jffs2', if_not_present: 'evaluate' })).status, 'fail');
});

test('kernel_module: on the live root the loaded part reads /proc/modules', async () => {
  const fx = await buildFixtureRoot({ ...hardened, '/proc/modules': 'cramfs 16384 0 - Live 0x0000000000000000\nusb_storage 81920 1 uas, Live 0x0000000000000000\n' });
  try {
    const ctx = testCheckContext(new LiveFixtureRoot(fx.dir));
    const loaded = await kernelModuleCheck.evaluate(kernelModuleCheck.schema.parse({ name: 'cramfs', loaded: false }), ctx);
    assert.equal(loaded.status, 'fail', 'disabled for loading, but loaded now');
    assert.ok(loaded.evidence.some((e) => e.source === '/proc/modules' && e.line === 1));
    const notLoaded = await kernelModuleCheck.evaluate(kernelModuleCheck.schema.parse({ name: 'udf', loaded: false, require_blacklist: false, if_not_present: 'evaluate' }), ctx);
    assert.equal(notLoaded.status, 'fail', 'udf is not configured');
    // a module absent from every kernel tree but loaded is present: evaluated, not not_applicable
    const onlyLoaded = await kernelModuleCheck.evaluate(kernelModuleCheck.schema.parse({ name: 'usb-storage', loaded: true, state: 'any' }), ctx);
    assert.equal(onlyLoaded.status, 'pass');
    await fx.add({ '/proc/modules': { content: '' } });
  } finally { await fx.cleanup(); }
  const noProc = await buildFixtureRoot(hardened);
  try {
    const r = await kernelModuleCheck.evaluate(kernelModuleCheck.schema.parse({ name: 'cramfs', loaded: false }), testCheckContext(new LiveFixtureRoot(noProc.dir)));
    assert.equal(r.status, 'pass', 'the configuration part decides');
    assert.match(r.summary, /\/proc\/modules does not exist/);
  } finally { await noProc.cleanup(); }
});

test('kernel_module: parser pieces', () => {
  const d = parseModprobeFile('install  foo-bar \\\n  /bin/false # why\n# c\nblacklist x\n', '/etc/modprobe.d/a.conf');
  assert.deepEqual(d.map((x) => [x.command, x.module, x.line]), [['install', 'foo_bar', 1], ['blacklist', 'x', 4]]);
  assert.ok(installDisables('/bin/false'));
  assert.ok(installDisables('/usr/bin/true --x'));
  assert.ok(!installDisables('/sbin/modprobe --ignore-install foo'));
  assert.ok(fnmatch('usb_*', 'usb_storage') && !fnmatch('usb_?', 'usb_storage') && fnmatch('[a-c]ramfs', 'cramfs'));
  assert.equal(kernelModuleCheck.schema.safeParse({ name: 'x', state: 'any' }).success, false);
});
