/** Tests of the `grub` check type: the conformance suite plus grub.cfg parsing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheckConformance } from '../common/conformance.test-helpers.js';
import { argSatisfies, parseArgRule, parseGrubCfg } from './grub-config.js';
import { grubCheck } from './index.js';

const CFG = (args: string, extra = '') => `### BEGIN /etc/grub.d/10_linux ###
${extra}menuentry 'Debian GNU/Linux' --class debian {
\tload_video
\tlinux\t/boot/vmlinuz-6.1.0-28-amd64 root=UUID=abc ro ${args} $vt_handoff
\tinitrd\t/boot/initrd.img-6.1.0-28-amd64
}
submenu 'Advanced options' {
\tmenuentry 'Debian, recovery mode' {
\t\tlinux\t/boot/vmlinuz-6.1.0-28-amd64 root=UUID=abc ro single ${args}
\t}
}
`;
const PW = 'set superusers="admin"\npassword_pbkdf2 admin grub.pbkdf2.sha512.10000.AA.BB\n';

runCheckConformance(grubCheck, {
  pass: [
    { name: 'audit args in every entry and in /etc/default/grub', tree: { '/boot/grub/grub.cfg': CFG('audit=1 audit_backlog_limit=8192'), '/etc/default/grub': 'GRUB_CMDLINE_LINUX="audit=1 audit_backlog_limit=16384"\n' },
      spec: { kernel_args: ['audit=1', 'audit_backlog_limit>=8192'] }, mentions: 'Debian' },
    { name: 'password', tree: { '/boot/grub/grub.cfg': CFG('quiet', PW) }, spec: { password: true } },
    { name: 'forbidden arg absent', tree: { '/boot/grub/grub.cfg': CFG('apparmor=1') }, spec: { forbidden_args: ['apparmor=0'] } },
  ],
  fail: [
    { name: 'recovery entry lacks the arg', tree: { '/boot/grub/grub.cfg': CFG('quiet').replace('ro quiet', 'ro quiet audit=1') }, spec: { kernel_args: ['audit=1'] }, mentions: 'recovery' },
    { name: 'later override wins', tree: { '/boot/grub/grub.cfg': CFG('audit=1 audit=0') }, spec: { kernel_args: ['audit=1'] } },
    { name: 'backlog too small', tree: { '/boot/grub/grub.cfg': CFG('audit_backlog_limit=64') }, spec: { kernel_args: ['audit_backlog_limit>=8192'] } },
    { name: 'grub.cfg fine but /etc/default/grub would drop it', tree: { '/boot/grub/grub.cfg': CFG('audit=1'), '/etc/default/grub': 'GRUB_CMDLINE_LINUX=""\n' }, spec: { kernel_args: ['audit=1'] }, mentions: 'GRUB_CMDLINE_LINUX' },
    { name: 'plain-text password only', tree: { '/boot/grub/grub.cfg': CFG('quiet', 'set superusers="admin"\npassword admin secret\n') }, spec: { password: true }, mentions: 'plain text' },
    { name: 'commented password does not count', tree: { '/boot/grub/grub.cfg': CFG('quiet', '# set superusers="admin"\n# password_pbkdf2 admin grub.pbkdf2.sha512.1.A.B\n') }, spec: { password: true } },
    { name: 'forbidden arg present', tree: { '/boot/grub/grub.cfg': CFG('apparmor=0') }, spec: { forbidden_args: ['apparmor=0'] } },
  ],
  not_applicable: [
    { name: 'no grub.cfg (container)', tree: {}, spec: { kernel_args: ['audit=1'] } },
  ],
  error: [
    { name: 'grub.cfg is a symlink loop', tree: { '/boot/grub/grub.cfg': { symlink: '/boot/grub/grub.cfg' } }, spec: { kernel_args: ['audit=1'] } },
  ],
});

test('parseGrubCfg: entries, nesting, superusers, variables dropped', () => {
  const cfg = parseGrubCfg(CFG('quiet', PW));
  assert.deepEqual(cfg.kernels.map((k) => k.entry), ['Debian GNU/Linux', 'Advanced options > Debian, recovery mode']);
  assert.ok(!cfg.kernels[0]!.args.includes('$vt_handoff'));
  assert.deepEqual(cfg.superusers, ['admin']);
  assert.deepEqual(cfg.passwords.map((p) => [p.user, p.pbkdf2]), [['admin', true]]);
});

test('argument rules', () => {
  assert.equal(argSatisfies(['nosmt'], parseArgRule('nosmt')), true);
  assert.equal(argSatisfies(['audit=1'], parseArgRule('audit=10')), false);
  assert.equal(argSatisfies(['audit_backlog_limit=abc'], parseArgRule('audit_backlog_limit>=1')), false);
  assert.throws(() => parseArgRule('a<=3'));
  assert.equal(grubCheck.schema.safeParse({ kernel_args: ['a b'] }).success, false);
});
