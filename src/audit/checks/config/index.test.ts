/** Tests of the `config` check type: the conformance suite and each format through the check. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostRoot } from '../../../core/host-root.js';
import { runCheckConformance, evaluateOnFixture, testCheckContext } from '../common/conformance.test-helpers.js';
import { buildFixtureRoot } from '../../../../test/helpers/fixture-root.js';
import { configCheck } from './index.js';

const SSHD = {
  '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\nX11Forwarding yes\nCiphers aes256-gcm@openssh.com,aes128-ctr\n',
  '/etc/ssh/sshd_config.d/50-cis.conf': 'PermitRootLogin no\nMaxAuthTries 4\nLoginGraceTime 1m\nMatch Group admins\n  X11Forwarding no\n',
  '/etc/passwd': 'root:x:0:0::/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/bash\n',
  '/etc/group': 'root:x:0:\nalice:x:1000:\nbob:x:1001:\nadmins:x:2000:alice\n',
};

runCheckConformance(configCheck, {
  pass: [
    { name: 'sshd first value wins through Include', tree: SSHD, spec: { format: 'sshd', key: 'PermitRootLogin', value: 'no' }, mentions: '50-cis.conf' },
    { name: 'sshd built-in default', tree: SSHD, spec: { format: 'sshd', key: 'PermitEmptyPasswords', value: 'no' }, mentions: 'built-in default' },
    { name: 'login.defs numeric', tree: { '/etc/login.defs': 'PASS_MAX_DAYS 99999\nPASS_MAX_DAYS 365\n' }, spec: { format: 'login_defs', key: 'PASS_MAX_DAYS', op: 'le', value: 365 } },
  ],
  fail: [
    { name: 'sshd value wrong', tree: SSHD, spec: { format: 'sshd', key: 'x11forwarding', value: 'no' }, mentions: 'sshd_config' },
    { name: 'ini key not set', tree: { '/etc/systemd/journald.conf': '[Journal]\n#Storage=auto\n' }, spec: { format: 'ini', path: '/etc/systemd/journald.conf', section: 'Journal', key: 'Storage', value: 'persistent' }, mentions: 'not set' },
  ],
  not_applicable: [
    { name: 'sshd not installed', tree: {}, spec: { format: 'sshd', key: 'PermitRootLogin', value: 'no' }, mentions: 'openssh-server not configured' },
  ],
  error: [
    { name: 'sshd invalid value (sshd would refuse to start)', tree: { '/etc/ssh/sshd_config': 'PermitRootLogin maybe\n' }, spec: { format: 'sshd', key: 'PermitRootLogin', value: 'no' }, mentions: 'sshd_config:1' },
    { name: 'PAM line without a module', tree: { '/etc/pam.d/common-password': 'password requisite\n' }, spec: { format: 'pam', path: '/etc/pam.d/common-password', key: 'pam_pwquality.so', op: 'present' }, mentions: 'common-password:1' },
  ],
});

async function run(tree: Parameters<typeof evaluateOnFixture>[1], spec: Record<string, unknown>) {
  return evaluateOnFixture(configCheck, tree, spec);
}

test('config sshd: values compared as sshd -T prints them; list ops; Match evaluation with groups from the root', async () => {
  assert.equal((await run(SSHD, { format: 'sshd', key: 'PermitRootLogin', op: 'one_of', value: ['no', 'prohibit-password'] })).status, 'pass');
  assert.equal((await run(SSHD, { format: 'sshd', key: 'LoginGraceTime', op: 'le', value: 60 })).status, 'pass');
  assert.equal((await run(SSHD, { format: 'sshd', key: 'PermitRootLogin', value: false })).status, 'pass', 'a YAML boolean is yes/no');
  assert.equal((await run(SSHD, { format: 'sshd', key: 'LoginGraceTime', value: '1m' })).status, 'pass');
  assert.equal((await run(SSHD, { format: 'sshd', key: 'maxauthtries', op: 'le', value: 4 })).status, 'pass');
  const ciphers = await run(SSHD, { format: 'sshd', key: 'Ciphers', op: 'subset', value: ['aes256-gcm@openssh.com', 'aes128-gcm@openssh.com', 'chacha20-poly1305@openssh.com'] });
  assert.equal(ciphers.status, 'fail');
  assert.match(ciphers.summary, /not allowed: aes128-ctr/);
  const defaults = await run({ '/etc/ssh/sshd_config': '' }, { format: 'sshd', key: 'Ciphers', op: 'not_contains', value: ['3des-cbc', 'aes128-cbc'] });
  assert.equal(defaults.status, 'pass');
  assert.equal((await run(SSHD, { format: 'sshd', key: 'X11Forwarding', value: 'no', match: { user: 'alice', host: 'h', addr: '192.0.2.1' } })).status, 'pass', 'alice is in admins');
  assert.equal((await run(SSHD, { format: 'sshd', key: 'X11Forwarding', value: 'no', match: { user: 'bob', host: 'h', addr: '192.0.2.1' } })).status, 'fail');
  assert.equal((await run(SSHD, { format: 'sshd', key: 'Banner', op: 'not_equals', value: 'none' })).status, 'fail', 'built-in default: none');
  const pinned = await run(SSHD, { format: 'sshd', key: 'Banner', op: 'not_equals', value: 'none', default: '/etc/issue.net' });
  assert.equal(pinned.status, 'pass', 'a control default replaces the built-in one when the keyword is unset');
  assert.match(pinned.summary, /control's default/);
});

test('config: the control default applies when unset', async () => {
  const r = await run({ '/etc/default/useradd': 'SHELL=/bin/sh\n' }, { format: 'keyvalue', path: '/etc/default/useradd', key: 'INACTIVE', op: 'le', value: 30, default: -1 });
  assert.equal(r.status, 'pass');
  assert.match(r.summary, /control's default/);
});

test('config login_defs: last value wins, quotes, trailing comments are part of the value (as shadow reads it)', async () => {
  const tree = { '/etc/login.defs': '# comment\nUMASK\t\t022\nUMASK 027\nENCRYPT_METHOD "SHA512"\nPASS_MIN_DAYS 1 # one day\nLONELY\n' };
  const umask = await run(tree, { format: 'login_defs', key: 'UMASK', value: '027' });
  assert.equal(umask.status, 'pass');
  assert.equal(umask.evidence[0]!.line, 3);
  assert.equal((await run(tree, { format: 'login_defs', key: 'ENCRYPT_METHOD', op: 'one_of', value: ['SHA512', 'YESCRYPT'] })).status, 'pass');
  const min = await run(tree, { format: 'login_defs', key: 'PASS_MIN_DAYS', op: 'ge', value: 1 });
  assert.equal(min.status, 'fail');
  assert.match(min.summary, /not a number/);
  assert.equal((await run(tree, { format: 'login_defs', key: 'LONELY', op: 'absent' })).status, 'pass');
  assert.equal((await run(tree, { format: 'login_defs', key: 'umask', op: 'present' })).status, 'fail', 'names are case-sensitive');
});

test('config keyvalue: quotes, export, inline comments, last wins, list ops', async () => {
  const tree = { '/etc/default/grub': 'GRUB_TIMEOUT=5\nexport GRUB_CMDLINE_LINUX="audit=1 audit_backlog_limit=8192 apparmor=1" # set by CIS\nGRUB_TIMEOUT=0\nGRUB_X=\'a b\'\n' };
  assert.equal((await run(tree, { format: 'keyvalue', path: '/etc/default/grub', key: 'GRUB_CMDLINE_LINUX', op: 'contains', value: ['audit=1', 'apparmor=1'] })).status, 'pass');
  assert.equal((await run(tree, { format: 'keyvalue', path: '/etc/default/grub', key: 'GRUB_CMDLINE_LINUX', op: 'matches', value: 'audit_backlog_limit=(8192|[1-9]\\d{4,})' })).status, 'pass');
  const t = await run(tree, { format: 'keyvalue', path: '/etc/default/grub', key: 'GRUB_TIMEOUT', value: 0 });
  assert.equal(t.status, 'pass');
  assert.equal(t.evidence[0]!.line, 3);
  assert.equal((await run(tree, { format: 'keyvalue', path: '/etc/default/grub', key: 'GRUB_X', value: 'a b' })).status, 'pass');
  assert.equal((await run({ '/etc/default/x': 'A="open\n' }, { format: 'keyvalue', path: '/etc/default/x', key: 'A', op: 'present' })).status, 'error');
});

test('config ini: sections, drop-ins in systemd order, masking by name', async () => {
  const tree = {
    '/etc/systemd/journald.conf': '[Journal]\nStorage=volatile\nCompress=yes\n',
    '/usr/lib/systemd/journald.conf.d/10-vendor.conf': '[Journal]\nStorage=auto\nForwardToSyslog=no\n',
    '/etc/systemd/journald.conf.d/10-vendor.conf': '[Journal]\nForwardToSyslog=yes\n', // masks the /usr/lib file of the same name
    '/run/systemd/journald.conf.d/20-cis.conf': '[Journal]\nStorage=persistent\n',
  };
  const storage = await run(tree, { format: 'ini', path: '/etc/systemd/journald.conf', section: 'Journal', key: 'Storage', value: 'persistent' });
  assert.equal(storage.status, 'pass');
  assert.equal(storage.evidence[0]!.source, '/run/systemd/journald.conf.d/20-cis.conf');
  assert.equal((await run(tree, { format: 'ini', path: '/etc/systemd/journald.conf', section: 'Journal', key: 'ForwardToSyslog', value: 'yes' })).status, 'pass');
  assert.equal((await run(tree, { format: 'ini', path: '/etc/systemd/journald.conf', section: 'Journal', key: 'Storage', value: 'volatile', dropins: false })).status, 'pass');
  assert.equal((await run(tree, { format: 'ini', path: '/etc/systemd/journald.conf', key: 'Storage', op: 'absent' })).status, 'pass', 'no section: keys before any header');
  const onlyDropin = await run({ '/etc/systemd/journald.conf.d/60.conf': '[Journal]\nCompress=yes\n' }, { format: 'ini', path: '/etc/systemd/journald.conf', section: 'Journal', key: 'Compress', value: 'yes' });
  assert.equal(onlyDropin.status, 'pass', 'drop-ins apply without the main file');
  assert.equal((await run({}, { format: 'ini', path: '/etc/systemd/journald.conf', section: 'Journal', key: 'Compress', value: 'yes' })).status, 'not_applicable');
});

test('config pam: module lines through @include, arguments and flags', async () => {
  const tree = {
    '/etc/pam.d/passwd': '@include common-password\n',
    '/etc/pam.d/common-password': [
      '# here are the per-package modules (the "Primary" block)',
      'password\trequisite\t\t\tpam_pwquality.so retry=3 minlen=14',
      'password\t[success=1 default=ignore]\tpam_unix.so obscure use_authtok try_first_pass yescrypt remember=5',
      'password\trequisite\t\t\tpam_deny.so',
    ].join('\n') + '\n',
    '/etc/pam.d/common-auth': 'auth required pam_faillock.so preauth\n-auth [default=die] pam_faillock.so authfail deny=5 unlock_time=900\n',
  };
  const P = { format: 'pam', path: '/etc/pam.d/passwd' };
  const present = await run(tree, { ...P, key: 'pam_pwquality.so', pam_type: 'password', op: 'present' });
  assert.equal(present.status, 'pass');
  assert.deepEqual([present.evidence[0]!.source, present.evidence[0]!.line], ['/etc/pam.d/common-password', 2]);
  assert.equal((await run(tree, { ...P, key: 'pam_pwquality', argument: 'retry', op: 'le', value: 3 })).status, 'pass');
  assert.equal((await run(tree, { ...P, key: 'pam_unix.so', argument: 'remember', op: 'ge', value: 5 })).status, 'pass');
  assert.equal((await run(tree, { ...P, key: 'pam_unix.so', op: 'contains', value: ['use_authtok', 'yescrypt'] })).status, 'pass');
  assert.equal((await run(tree, { ...P, key: 'pam_unix.so', op: 'not_contains', value: ['nullok'] })).status, 'pass');
  assert.equal((await run(tree, { ...P, key: 'pam_unix.so', pam_control: '[success=1 default=ignore]', argument: 'use_authtok', op: 'present' })).status, 'pass');
  assert.equal((await run(tree, { ...P, key: 'pam_unix.so', pam_control: 'required', op: 'present' })).status, 'fail');
  assert.equal((await run(tree, { ...P, key: 'pam_faillock.so', op: 'absent' })).status, 'pass');
  const missing = await run(tree, { ...P, key: 'pam_faillock.so', op: 'present' });
  assert.equal(missing.status, 'fail');
  assert.match(missing.summary, /pam_faillock\.so has no module line in \/etc\/pam\.d\/passwd, \/etc\/pam\.d\/common-password/);
  const noArg = await run(tree, { ...P, key: 'pam_pwquality.so', argument: 'dcredit', op: 'le', value: -1 });
  assert.equal(noArg.status, 'fail');
  assert.match(noArg.summary, /has no argument dcredit at \/etc\/pam\.d\/common-password:2/);
  const deny = await run(tree, { format: 'pam', path: '/etc/pam.d/common-auth', key: 'pam_faillock.so', pam_control: '[default=die]', argument: 'deny', op: 'le', value: 5 });
  assert.equal(deny.status, 'pass');
});

test('config pwquality: drop-ins, then pwquality.conf, then the pam_pwquality arguments, as libpwquality and pam_pwquality apply them', async () => {
  const P = { format: 'pwquality' };
  const dropinOnly = { '/etc/security/pwquality.conf': '# minlen = 9\n', '/etc/security/pwquality.conf.d/60-pwquality.conf': 'minlen = 14\ndifok=2\nenforce_for_root\n' };
  const fromDropin = await run(dropinOnly, { ...P, key: 'minlen', op: 'ge', value: 14 });
  assert.equal(fromDropin.status, 'pass', 'the remediation Spyglass prints (a .d file) is read');
  assert.equal(fromDropin.evidence[0]!.source, '/etc/security/pwquality.conf.d/60-pwquality.conf');
  assert.equal((await run(dropinOnly, { ...P, key: 'enforce_for_root', op: 'present' })).status, 'pass', 'a bare flag is set');
  const mainWins = await run({ ...dropinOnly, '/etc/security/pwquality.conf': 'minlen = 8\n' }, { ...P, key: 'minlen', op: 'ge', value: 14 });
  assert.equal(mainWins.status, 'fail', 'pwquality.conf is read after the drop-ins and overrides them');
  assert.match(mainWins.summary, /8/);
  const pamWins = await run({ ...dropinOnly, '/etc/pam.d/common-password': 'password requisite pam_pwquality.so retry=3 minlen=6\n' }, { ...P, key: 'minlen', op: 'ge', value: 14 });
  assert.equal(pamWins.status, 'fail', 'the module argument overrides the files');
  assert.equal(pamWins.evidence[0]!.source, '/etc/pam.d/common-password');
  const otherPam = await run({ ...dropinOnly, '/etc/pam.d/system-password': 'password requisite pam_pwquality.so minlen=6\n' }, { ...P, key: 'minlen', op: 'ge', value: 14, pam_file: '/etc/pam.d/system-password' });
  assert.equal(otherPam.status, 'fail');
  assert.equal((await run(dropinOnly, { ...P, key: 'dictcheck', op: 'not_one_of', value: ['0'], default: '1' })).status, 'pass', 'libpwquality default');
  assert.equal((await run({ ...dropinOnly, '/etc/security/pwquality.conf.d/99.conf': 'dictcheck = 0\n' }, { ...P, key: 'dictcheck', op: 'not_one_of', value: ['0'], default: '1' })).status, 'fail');
  assert.equal((await run({ '/etc/security/pwquality.conf.d/a.txt': 'minlen = 14\n' }, { ...P, key: 'minlen', op: 'ge', value: 14, missing_file: 'fail' })).status, 'fail', 'only *.conf drop-ins count');
  assert.equal((await run({}, { ...P, key: 'minlen', op: 'ge', value: 14 })).status, 'not_applicable');
  assert.throws(() => configCheck.schema.parse({ format: 'keyvalue', path: '/etc/x', key: 'a', pam_file: '/etc/pam.d/x' }), /pam_file applies to format pwquality only/);
});

test('config sysctl format: one file, or the whole persisted set', async () => {
  const tree = { '/etc/sysctl.d/60-a.conf': 'kernel.sysrq=0\n', '/etc/sysctl.d/70-b.conf': 'kernel.sysrq=1\n' };
  assert.equal((await run(tree, { format: 'sysctl', path: '/etc/sysctl.d/60-a.conf', key: 'kernel.sysrq', value: 0 })).status, 'pass');
  const all = await run(tree, { format: 'sysctl', key: 'kernel/sysrq', value: 0 });
  assert.equal(all.status, 'fail');
  assert.equal(all.evidence[0]!.source, '/etc/sysctl.d/70-b.conf');
});

test('config: a file read by many controls is parsed once per audit (memo)', async () => {
  const fx = await buildFixtureRoot(SSHD);
  try {
    const ctx = testCheckContext(new HostRoot(fx.dir));
    const keys: string[] = [];
    const memo = ctx.memo;
    ctx.memo = <T>(key: string, compute: () => Promise<T>) => memo(key, () => { keys.push(key); return compute(); });
    for (const key of ['PermitRootLogin', 'MaxAuthTries', 'X11Forwarding', 'Ciphers']) {
      await configCheck.evaluate(configCheck.schema.parse({ format: 'sshd', key, op: 'present' }), ctx);
    }
    assert.deepEqual(keys, ['config:sshd:/etc/ssh/sshd_config']);
  } finally {
    await fx.cleanup();
  }
});

test('config: schema problems are clear', () => {
  const msg = (spec: unknown) => {
    const r = configCheck.schema.safeParse(spec);
    assert.equal(r.success, false, JSON.stringify(spec));
    return r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  };
  assert.match(msg({ format: 'ini', key: 'Storage', value: 'x' }), /path: format "ini" needs a path/);
  assert.match(msg({ format: 'sshd', key: 'Banner', op: 'matches', value: '(' }), /value: invalid regular expression/);
  assert.match(msg({ format: 'sshd', key: 'Banner', section: 'a', value: 1 }), /section: section applies to format ini only/);
  assert.match(msg({ format: 'sshd', key: 'Banner', value: 1, colour: 'red' }), /colour/);
  assert.match(msg({ format: 'yaml', key: 'X', value: 1 }), /format/);
  assert.match(msg({ format: 'sshd', key: 'Banner', op: 'present', value: 1 }), /takes no value/);
  assert.match(msg({ format: 'sshd', key: 'PermitRootLogn', value: 'no' }), /key: "PermitRootLogn" is not an sshd_config keyword \(did you mean PermitRootLogin/);
  assert.equal(configCheck.schema.safeParse({ format: 'sshd', key: 'permitrootlogin', value: 'no' }).success, true, 'keywords are case-insensitive');
});

test('config aide: selection lines with groups, removals, includes in name order; merged /usr', async () => {
  const tree = {
    '/etc/aide/aide.conf': '# main\nMyGroup = p+u+g\n@@include /etc/aide/extra.conf\n@@x_include /etc/aide/aide.conf.d ^[0-9a-z_-]+$\n!/var/log/.*\n',
    '/etc/aide/extra.conf': '/usr/bin/sudo MyGroup+sha512\n',
    '/etc/aide/aide.conf.d/10_first': '/usr/sbin/auditctl p+i\n',
    '/etc/aide/aide.conf.d/20_second': '=/usr/sbin/auditctl$ R-md5+sha512\n',
    '/etc/aide/aide.conf.d/30_skipped.bak': '/usr/sbin/auditctl E\n',
    '/usr/sbin/auditctl': '',
    '/sbin': { symlink: 'usr/sbin' },
  };
  const A = { format: 'aide' };
  const sudo = await run(tree, { ...A, key: '/usr/bin/sudo', op: 'contains', value: ['p', 'u', 'g', 'sha512'] });
  assert.equal(sudo.status, 'pass', sudo.summary);
  assert.equal(sudo.evidence[0]!.source, '/etc/aide/extra.conf');
  const ctl = await run(tree, { ...A, key: '/usr/sbin/auditctl', op: 'contains', value: ['i', 'sha512', 'acl'] });
  assert.equal(ctl.status, 'pass', `the last line for the path wins; R expands: ${ctl.summary}`);
  assert.equal((await run(tree, { ...A, key: '/usr/sbin/auditctl', op: 'contains', value: ['md5'] })).status, 'fail', '-md5 removes it');
  assert.equal((await run(tree, { ...A, key: '/sbin/auditctl', op: 'contains', value: ['sha512'] })).status, 'pass', 'merged /usr: the same file');
  assert.equal((await run(tree, { ...A, key: '/usr/sbin/ausearch', op: 'present' })).status, 'fail');
  assert.equal((await run({}, { ...A, key: '/usr/sbin/ausearch', op: 'present' })).status, 'not_applicable');
  const loop = await run({ '/etc/aide/aide.conf': '@@include /etc/aide/aide.conf\n' }, { ...A, key: '/x', op: 'present' });
  assert.equal(loop.status, 'error');
  assert.match(loop.summary, /nested more than/);
});
