/** Tests of the `sysctl` check type: conformance suite, systemd-sysctl precedence, live runtime values. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HostRoot } from '../../../core/host-root.js';
import { runCheckConformance, evaluateOnFixture, testCheckContext } from '../common/conformance.test-helpers.js';
import { buildFixtureRoot } from '../../../../test/helpers/fixture-root.js';
import { normalizeSysctlKey, parseSysctlFile, effectiveSysctl, sysctlFilesSync } from '../../../host/sysctl.js';
import { sysctlCheck } from './index.js';

runCheckConformance(sysctlCheck, {
  pass: [
    { name: 'persisted value decides offline', tree: { '/etc/sysctl.d/60-net.conf': 'net.ipv4.ip_forward = 0\n' }, spec: { key: 'net.ipv4.ip_forward', value: 0 }, mentions: '60-net.conf' },
    { name: 'numeric comparison', tree: { '/etc/sysctl.conf': 'kernel.randomize_va_space=2\n' }, spec: { key: 'kernel/randomize_va_space', op: 'ge', value: 2, scope: 'persisted' } },
  ],
  fail: [
    { name: 'persisted value wrong', tree: { '/etc/sysctl.d/60-net.conf': 'net.ipv4.ip_forward = 1\n' }, spec: { key: 'net.ipv4.ip_forward', value: 0 }, mentions: '60-net.conf' },
    { name: 'not persisted anywhere', tree: { '/etc/sysctl.d/10-other.conf': 'kernel.sysrq = 0\n' }, spec: { key: 'net.ipv4.ip_forward', value: 0 }, mentions: 'not set' },
  ],
  not_applicable: [
    { name: 'runtime only, offline root', tree: { '/etc/sysctl.d/60-net.conf': 'net.ipv4.ip_forward = 0\n' }, spec: { key: 'net.ipv4.ip_forward', value: 0, scope: 'runtime' }, mentions: 'not the live root' },
  ],
  error: [
    { name: 'unreadable sysctl.d entry (symlink loop)', tree: { '/etc/sysctl.d/60-loop.conf': { symlink: '/etc/sysctl.d/60-loop.conf' } }, spec: { key: 'net.ipv4.ip_forward', value: 0 } },
  ],
});

test('sysctl: keys with dots or slashes are the same key (sysctl.d(5) normalisation)', () => {
  assert.equal(normalizeSysctlKey('net.ipv4.ip_forward'), 'net/ipv4/ip_forward');
  assert.equal(normalizeSysctlKey('net/ipv4/ip_forward'), 'net/ipv4/ip_forward');
  assert.equal(normalizeSysctlKey('net.ipv4.conf.enp3s0/200.forwarding'), 'net/ipv4/conf/enp3s0.200/forwarding');
  assert.equal(normalizeSysctlKey('net/ipv4/conf/enp3s0.200/forwarding'), 'net/ipv4/conf/enp3s0.200/forwarding');
});

test('sysctl: file precedence: masking by name, lexical order across directories, sysctl.conf last and once', async () => {
  const fx = await buildFixtureRoot({
    '/usr/lib/sysctl.d/50-default.conf': 'kernel.sysrq = 16\nnet.ipv4.conf.all.rp_filter = 2\n',
    '/etc/sysctl.d/50-default.conf': 'kernel.sysrq = 0\n', // masks the vendor file of the same name
    '/run/sysctl.d/10-early.conf': 'net.ipv4.conf.all.rp_filter = 0\nfs.suid_dumpable = 2\n',
    '/usr/lib/sysctl.d/70-late.conf': 'fs.suid_dumpable = 0\n',
    '/lib/sysctl.d/70-late.conf': 'fs.suid_dumpable = 1\n', // masked by /usr/lib's 70-late.conf
    '/usr/lib/sysctl.d/80-masked.conf': 'kernel.kptr_restrict = 0\n',
    '/etc/sysctl.d/80-masked.conf': { symlink: '/dev/null' },
    '/etc/sysctl.d/README': 'kernel.kptr_restrict = 0\n', // not *.conf: ignored
    '/etc/sysctl.conf': 'kernel.dmesg_restrict = 1\n',
    '/etc/sysctl.d/99-sysctl.conf': { symlink: '../sysctl.conf' },
    '/etc/sysctl.d/99-zz.conf': 'kernel.dmesg_restrict = 0\n',
  });
  try {
    const root = new HostRoot(fx.dir);
    assert.deepEqual(sysctlFilesSync(root), [
      '/run/sysctl.d/10-early.conf', '/etc/sysctl.d/50-default.conf', '/usr/lib/sysctl.d/70-late.conf', '/etc/sysctl.d/99-sysctl.conf', '/etc/sysctl.d/99-zz.conf',
    ]);
    const ctx = testCheckContext(root);
    const check = async (key: string, value: string | number) => sysctlCheck.evaluate(sysctlCheck.schema.parse({ key, value, scope: 'persisted' }), ctx);
    assert.equal((await check('kernel.sysrq', 0)).status, 'pass');
    const rp = await check('net.ipv4.conf.all.rp_filter', 0);
    assert.equal(rp.status, 'pass', 'the vendor 50-default.conf is masked, so 10-early.conf decides');
    assert.equal(rp.evidence[0]!.source, '/run/sysctl.d/10-early.conf');
    assert.equal((await check('fs.suid_dumpable', 0)).status, 'pass');
    assert.equal((await check('kernel.kptr_restrict', 0)).status, 'fail', 'masked and non-.conf files set nothing');
    const dmesg = await check('kernel.dmesg_restrict', 0);
    assert.equal(dmesg.status, 'pass', '99-zz.conf comes after 99-sysctl.conf, and sysctl.conf is not applied twice');
    assert.equal(dmesg.evidence[0]!.source, '/etc/sysctl.d/99-zz.conf');
  } finally {
    await fx.cleanup();
  }
});

test('sysctl: globs, exclusions and explicit keys (systemd semantics)', () => {
  const a = parseSysctlFile([
    '; comment', '# comment', 'net.ipv4.conf.default.rp_filter = 1',
    'net.ipv4.conf.all.accept_redirects = 0',
    'net.ipv4.conf.*.rp_filter = 2', '-net.ipv4.conf.all.rp_filter',
    'net.ipv4.conf.*.accept_redirects = 1',
    '-net.ipv4.conf.lo.forwarding = 1', 'not an assignment',
  ].join('\n'), '/etc/sysctl.d/x.conf');
  assert.equal(a.length, 6, "comments and the non-assignment line are skipped");
  assert.equal(effectiveSysctl(a, 'net.ipv4.conf.eth0.rp_filter')?.value, '2');
  assert.equal(effectiveSysctl(a, 'net.ipv4.conf.default.rp_filter')?.value, '1', 'explicit beats the glob even when the glob is later');
  assert.equal(effectiveSysctl(a, 'net.ipv4.conf.all.rp_filter'), undefined, 'excluded from the glob');
  assert.equal(effectiveSysctl(a, 'net.ipv4.conf.all.accept_redirects')?.line, 4);
  assert.equal(effectiveSysctl(a, 'net.ipv4.conf.eth1.accept_redirects')?.value, '1');
  const lo = effectiveSysctl(a, 'net/ipv4/conf/lo/forwarding');
  assert.equal(lo?.value, '1');
  assert.equal(lo?.ignoreErrors, true);
});

test('sysctl: multi-value parameters compare with whitespace collapsed', async () => {
  const r = await evaluateOnFixture(sysctlCheck, { '/etc/sysctl.conf': 'net.ipv4.ip_local_port_range =  32768\t60999 \n' },
    { key: 'net.ipv4.ip_local_port_range', value: '32768 60999' });
  assert.equal(r.status, 'pass', r.summary);
});

test('sysctl: live root reads the runtime value from /proc/sys', async () => {
  const ctx = testCheckContext(new HostRoot('/'));
  const pass = await sysctlCheck.evaluate(sysctlCheck.schema.parse({ key: 'kernel.ostype', value: 'Linux', scope: 'runtime' }), ctx);
  assert.equal(pass.status, 'pass', pass.summary);
  assert.equal(pass.evidence[0]!.source, '/proc/sys/kernel/ostype');
  assert.equal(pass.evidence[0]!.found, 'Linux');
  const fail = await sysctlCheck.evaluate(sysctlCheck.schema.parse({ key: 'kernel/ostype', value: 'Plan9', scope: 'runtime' }), ctx);
  assert.equal(fail.status, 'fail');
  const none = await sysctlCheck.evaluate(sysctlCheck.schema.parse({ key: 'kernel.no_such_parameter_here', value: 1, scope: 'runtime' }), ctx);
  assert.equal(none.status, 'not_applicable');
});

test('sysctl: schema', () => {
  assert.equal(sysctlCheck.schema.safeParse({ key: 'net.ipv4.ip_forward', value: 0, scop: 'runtime' }).success, false);
  assert.equal(sysctlCheck.schema.safeParse({ key: 'net.ipv4.ip_forward', op: 'ge', value: 'abc' }).success, false);
  assert.equal(sysctlCheck.schema.safeParse({ key: 'net ipv4', value: 1 }).success, false);
  assert.deepEqual(sysctlCheck.schema.parse({ key: 'a.b', value: 1 }), { key: 'a.b', value: 1, op: 'equals', ignore_case: false, scope: 'both' });
});

const SYSTEMD_SYSCTL = ['/usr/lib/systemd/systemd-sysctl', '/lib/systemd/systemd-sysctl'].find((p) => existsSync(p));

test('sysctl: this machine\'s files come in the order systemd-sysctl --cat-config reads them', { skip: SYSTEMD_SYSCTL ? false : 'systemd-sysctl is not installed' }, async () => {
  const out = execFileSync(SYSTEMD_SYSCTL!, ['--cat-config'], { encoding: 'utf8' });
  const theirs = out.split('\n').map((l) => /^# (\/\S+)$/.exec(l)?.[1]).filter((p): p is string => p !== undefined);
  const ours = sysctlFilesSync(new HostRoot('/'));
  // /etc/sysctl.conf comes last in ours (procps reads it) unless a sysctl.d link already brought it in (as on Debian)
  const expected = ours.at(-1) === '/etc/sysctl.conf' && !theirs.includes('/etc/sysctl.conf') ? ours.slice(0, -1) : ours;
  if (expected.length) assert.ok(theirs.length > 0, 'systemd-sysctl listed its files');
  assert.deepEqual(theirs, expected);
});

test('sysctl: runtime values are what sysctl(8) reports on this machine', async () => {
  const ctx = testCheckContext(new HostRoot('/'));
  for (const key of ['kernel.ostype', 'net.ipv4.ip_local_port_range', 'kernel.pid_max', 'fs.protected_symlinks']) {
    let expected: string;
    try {
      expected = execFileSync('sysctl', ['-n', key], { encoding: 'utf8' }).trim().split(/\s+/).join(' ');
    } catch {
      continue; // a container may hide a parameter: nothing to compare
    }
    const r = await sysctlCheck.evaluate(sysctlCheck.schema.parse({ key, value: expected, scope: 'runtime' }), ctx);
    assert.equal(r.status, 'pass', `${key}: ${r.summary}`);
  }
});
