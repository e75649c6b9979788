/**
 * One test root per content case of the CIS profiles (issue 16): each case starts from the
 * hardened root of cis-fixtures.ts, changes the files the case is about, and audits only the
 * numbered control. Every case comes with its opposite, so a control that cannot fail (or
 * cannot pass) shows here. Numbers are those of the release's benchmark.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { formatError } from '../../src/core/errors.js';
import { HostRoot } from '../../src/core/host-root.js';
import { runAudit } from '../../src/audit/engine.js';
import { loadProfile, type LoadedProfile } from '../../src/audit/profile/load-profile.js';
import { shippedProfilesDir } from '../../src/audit/profile/shipped-profiles.js';
import type { ControlStatus } from '../../src/audit/result.js';
import type { FixtureTree } from '../helpers/fixture-root.js';
import { buildFixtureRoot } from '../helpers/fixture-root.js';
import { dpkgStatus, hardenedTree, type Release } from './cis-fixtures.js';
import { LiveFixtureRoot } from '../../src/audit/checks/common/live-root.test-helpers.js';

const PROFILE_FILES: Record<Release, string> = { 'debian-12': 'cis-debian-12.yaml', 'ubuntu-22.04': 'cis-ubuntu-22.04.yaml', 'ubuntu-24.04': 'cis-ubuntu-24.04.yaml' };
const profiles = new Map<Release, LoadedProfile>();

before(async () => {
  for (const [release, file] of Object.entries(PROFILE_FILES) as [Release, string][]) {
    const loaded = await loadProfile(path.join(shippedProfilesDir(), file));
    assert.deepEqual(loaded.errors.map(formatError), []);
    profiles.set(release, loaded.profile!);
  }
});

/** A change to the hardened tree: new or replaced files, and `null` for a file that must not exist. */
type Change = Record<string, FixtureTree[string] | null>;

const root = (content: string, mode = 0o644) => ({ content, mode, uid: 0, gid: 0 });

/** Audits one numbered control of a release on the hardened root with `change` applied. */
async function statusOf(release: Release, control: string, change: Change, live = false): Promise<{ status: ControlStatus; why: string }> {
  const tree: FixtureTree = { ...hardenedTree(release) };
  for (const [p, entry] of Object.entries(change)) {
    if (entry === null) delete tree[p];
    else tree[p] = entry;
  }
  const fx = await buildFixtureRoot(tree);
  try {
    const result = await runAudit({ profiles: [profiles.get(release)!], root: live ? new LiveFixtureRoot(fx.dir) : new HostRoot(fx.dir), filters: { controls: [control] } });
    assert.equal(result.controls.length, 1, `${release} has control ${control}`);
    const c = result.controls[0]!;
    return { status: c.status, why: `${release} ${control}: ${c.status}: ${c.summary} ${JSON.stringify(c.checks.map((k) => k.summary))}` };
  } finally { await fx.cleanup(); }
}

async function expectStatus(release: Release, control: string, change: Change, expected: ControlStatus, live = false): Promise<void> {
  const { status, why } = await statusOf(release, control, change, live);
  assert.equal(status, expected, why);
}

// 1. A module built into the kernel is inherently met; a loadable one still needs the configuration.
test('case 1: squashfs built into the kernel passes without configuration; loadable and unconfigured fails', async () => {
  const noConfig = { '/etc/modprobe.d/cis.conf': root('install cramfs /bin/false\nblacklist cramfs\n') };
  const builtin = { ...noConfig, '/lib/modules/6.1.0-28-amd64/modules.builtin': 'kernel/fs/ext4/ext4.ko\nkernel/fs/squashfs/squashfs.ko\n',
    '/lib/modules/6.1.0-28-amd64/modules.dep': 'kernel/fs/cramfs/cramfs.ko:\n' };
  await expectStatus('ubuntu-24.04', '1.1.1.7', builtin, 'pass');
  await expectStatus('ubuntu-22.04', '1.1.1.6', builtin, 'pass');
  await expectStatus('ubuntu-24.04', '1.1.1.7', noConfig, 'fail');
  await expectStatus('ubuntu-22.04', '1.1.1.6', noConfig, 'fail');
});

// 2. pwquality.conf.d is read, as the remediation says to write there.
test('case 2: pwquality settings in pwquality.conf.d pass 5.3.3.2.1/.2/.4/.5; a weaker main file or PAM argument fails them', async () => {
  const dropin = {
    '/etc/security/pwquality.conf': root('# see pwquality.conf.d\n'),
    '/etc/security/pwquality.conf.d/60-pwquality.conf': root('difok = 2\nminlen = 14\nmaxrepeat = 3\nmaxsequence = 3\nenforce_for_root\n'),
  };
  for (const n of ['5.3.3.2.1', '5.3.3.2.2', '5.3.3.2.4', '5.3.3.2.5', '5.3.3.2.8']) await expectStatus('debian-12', n, dropin, 'pass');
  const weakMain = { ...dropin, '/etc/security/pwquality.conf': root('difok = 1\nminlen = 8\nmaxrepeat = 0\nmaxsequence = 0\n') };
  for (const n of ['5.3.3.2.1', '5.3.3.2.2', '5.3.3.2.4', '5.3.3.2.5']) await expectStatus('debian-12', n, weakMain, 'fail');
  const weakPam = { ...dropin, '/etc/pam.d/common-password': root('password requisite pam_pwquality.so retry=3 minlen=8\npassword [success=1 default=ignore] pam_unix.so obscure use_authtok yescrypt\n') };
  await expectStatus('ubuntu-24.04', '5.3.3.2.2', weakPam, 'fail');
  await expectStatus('ubuntu-24.04', '5.3.3.2.6', { ...dropin, '/etc/security/pwquality.conf.d/70-dict.conf': root('dictcheck = 0\n') }, 'fail');
  await expectStatus('ubuntu-24.04', '5.3.3.2.6', dropin, 'pass');
});

/** The hardened root's dpkg status with more packages installed. */
function withPackages(release: Release, ...names: string[]): Change {
  const status = hardenedTree(release)['/var/lib/dpkg/status'];
  const text = typeof status === 'string' ? status : (status as { content: string }).content;
  return { '/var/lib/dpkg/status': `${text}\n${dpkgStatus(names)}` };
}

/** A unit with [Install] WantedBy=multi-user.target, enabled. */
function enabledUnit(name: string): Change {
  return {
    [`/usr/lib/systemd/system/${name}`]: `[Unit]\nDescription=${name}\n\n[Service]\nExecStart=/usr/sbin/${name.split('.')[0]}\n\n[Install]\nWantedBy=multi-user.target\n`,
    [`/etc/systemd/system/multi-user.target.wants/${name}`]: { symlink: `/usr/lib/systemd/system/${name}` },
  };
}

// 3. Ubuntu 22.04 ships rsyslog; its journald controls apply anyway. Debian keeps "journald is the only logger".
test('case 3: 22.04 journald controls are evaluated with rsyslog installed; Debian 12 leaves them out', async () => {
  const rsyslog = withPackages('ubuntu-22.04', 'rsyslog');
  for (const n of ['6.2.1.1.4', '6.2.1.1.5', '6.2.1.1.6', '6.2.1.2.1', '6.2.1.2.2', '6.2.1.2.3']) await expectStatus('ubuntu-22.04', n, rsyslog, 'pass');
  await expectStatus('ubuntu-22.04', '6.2.1.2.2', { ...rsyslog, '/etc/systemd/journal-upload.conf': root('[Upload]\nURL=http://logs.example.net\n') }, 'fail');
  await expectStatus('ubuntu-22.04', '6.2.1.1.4', { ...rsyslog, '/etc/systemd/journald.conf': root('[Journal]\nStorage=persistent\nCompress=yes\nForwardToSyslog=yes\n') }, 'fail');
  for (const n of ['6.1.2.1.1', '6.1.2.2']) await expectStatus('debian-12', n, withPackages('debian-12', 'rsyslog'), 'not_applicable');
});

// 4. One firewall utility, not two.
test('case 4: 4.1.1 passes with nftables alone and fails with ufw and nftables both enabled', async () => {
  await expectStatus('debian-12', '4.1.1', {}, 'pass');
  await expectStatus('debian-12', '4.1.1', enabledUnit('ufw.service'), 'fail');
  await expectStatus('ubuntu-24.04', '4.1.1', enabledUnit('ufw.service'), 'fail');
  await expectStatus('ubuntu-24.04', '4.1.1', { '/etc/systemd/system/sysinit.target.wants/nftables.service': null }, 'fail');
});

// 5. TMOUT readonly and exported, and not overridden with a longer value.
test('case 5: 5.4.3.2 needs TMOUT readonly and exported; a bare TMOUT=900 or a second, longer TMOUT fails', async () => {
  await expectStatus('debian-12', '5.4.3.2', {}, 'pass');
  await expectStatus('debian-12', '5.4.3.2', { '/etc/profile.d/60-cis.sh': root('TMOUT=900\numask 027\n') }, 'fail');
  await expectStatus('debian-12', '5.4.3.2', { '/etc/profile.d/60-cis.sh': root('readonly TMOUT=900\numask 027\n') }, 'fail');
  await expectStatus('debian-12', '5.4.3.2', { '/etc/profile.d/60-cis.sh': root('TMOUT=600 ; readonly TMOUT ; export TMOUT\n') }, 'pass');
  await expectStatus('debian-12', '5.4.3.2', { '/etc/profile.d/60-cis.sh': root('declare -xr TMOUT=900\n') }, 'pass');
  await expectStatus('ubuntu-22.04', '5.4.3.2', { '/etc/bash.bashrc': root('TMOUT=3600\n') }, 'fail');
  await expectStatus('ubuntu-22.04', '5.4.3.2', { '/etc/profile': root('export TMOUT=0\n') }, 'fail');
});

// 6. A scoped Defaults line.
test('case 6: 5.2.5 fails on "Defaults:alice !authenticate" as on a global one', async () => {
  const sudoers = (extra: string) => ({ '/etc/sudoers.d/90-alice': root(`${extra}\n`, 0o440) });
  await expectStatus('debian-12', '5.2.5', sudoers('Defaults:alice !authenticate'), 'fail');
  await expectStatus('debian-12', '5.2.5', sudoers('Defaults !authenticate'), 'fail');
  await expectStatus('debian-12', '5.2.5', sudoers('Defaults:alice timestamp_timeout=5'), 'pass');
});

// 9. pam_wheel as the benchmark writes it.
test('case 9: 5.2.7 accepts "auth required pam_wheel.so use_uid group=" and refuses sufficient or trust', async () => {
  const su = (line: string) => ({ '/etc/pam.d/su': root(`auth sufficient pam_rootok.so\n${line}\n`) });
  await expectStatus('debian-12', '5.2.7', su('auth required pam_wheel.so use_uid group=sugroup'), 'pass');
  await expectStatus('debian-12', '5.2.7', su('auth sufficient pam_wheel.so trust use_uid group=sugroup'), 'fail');
  await expectStatus('debian-12', '5.2.7', su('auth required pam_wheel.so trust use_uid group=sugroup'), 'fail');
  await expectStatus('ubuntu-24.04', '5.2.7', su('auth required pam_wheel.so use_uid'), 'fail');
});

// 10. umac-128-etm is on the benchmark's weak list.
test('case 10: 5.1.15 fails when sshd offers umac-128-etm@openssh.com', async () => {
  const sshd = hardenedTree('debian-12')['/etc/ssh/sshd_config'] as { content: string };
  const withMacs = (macs: string) => ({ '/etc/ssh/sshd_config': root(sshd.content.replace(/^MACs .*$/m, `MACs ${macs}`), 0o600) });
  await expectStatus('debian-12', '5.1.15', withMacs('hmac-sha2-512-etm@openssh.com,umac-128-etm@openssh.com'), 'fail');
  await expectStatus('debian-12', '5.1.15', withMacs('hmac-sha2-512-etm@openssh.com,hmac-sha2-256'), 'pass');
});

// 11. Ubuntu 22.04 asks for a root password, not a lock.
test('case 11: 22.04 5.4.2.4 fails on a locked root; Debian 12 and 24.04 accept the lock', async () => {
  const shadow = hardenedTree('ubuntu-22.04')['/etc/shadow'] as { content: string; mode: number; gid: number };
  const locked = { '/etc/shadow': { ...shadow, content: shadow.content.replace(/^root:[^:]*:/m, 'root:!$y$j9T$rootsalt$0123:') } };
  const star = { '/etc/shadow': { ...shadow, content: shadow.content.replace(/^root:[^:]*:/m, 'root:*:') } };
  await expectStatus('ubuntu-22.04', '5.4.2.4', {}, 'pass');
  await expectStatus('ubuntu-22.04', '5.4.2.4', locked, 'fail');
  await expectStatus('ubuntu-22.04', '5.4.2.4', star, 'fail');
  await expectStatus('debian-12', '5.4.2.4', star, 'pass');
  await expectStatus('ubuntu-24.04', '5.4.2.4', locked, 'pass');
});

// 12. A module argument overrides faillock.conf.
test('case 12: 5.3.3.1.1 fails when a pam_faillock line says deny=10 over faillock.conf deny = 3', async () => {
  const conf = { '/etc/security/faillock.conf': root('deny = 3\nunlock_time = 900\neven_deny_root\n') };
  await expectStatus('debian-12', '5.3.3.1.1', conf, 'pass');
  const auth = (args: string) => ({ ...conf, '/etc/pam.d/common-auth': root(`auth required pam_faillock.so preauth\nauth [success=1 default=ignore] pam_unix.so\nauth [default=die] pam_faillock.so authfail ${args}\nauth requisite pam_deny.so\n`) });
  await expectStatus('debian-12', '5.3.3.1.1', auth('deny=10'), 'fail');
  await expectStatus('debian-12', '5.3.3.1.1', auth('deny=4'), 'pass');
  await expectStatus('debian-12', '5.3.3.1.1', { '/etc/security/faillock.conf': root('# deny = 3\n') }, 'fail');
  await expectStatus('debian-12', '5.3.3.1.2', auth('unlock_time=60'), 'fail');
  await expectStatus('debian-12', '5.3.3.1.2', auth('unlock_time=0'), 'pass');
});

// 7. AIDE must check the audit tools with the benchmark's attributes, not merely list them.
test('case 7: 6.3.3 (22.04: 6.1.3) wants p+i+n+u+g+s+b+acl+xattrs+sha512 for each audit tool, through groups and includes', async () => {
  const tools = ['auditctl', 'auditd', 'ausearch', 'aureport', 'autrace', 'augenrules'];
  const debianLayout = (attrs: string) => ({
    '/etc/aide/aide.conf': root('# Debian layout\n@@x_include /etc/aide/aide.conf.d ^[a-zA-Z0-9_-]+$\n'),
    '/etc/aide/aide.conf.d/31_aide_audit-tools': root(`Audittools = ${attrs}\n${tools.map((t) => `/usr/sbin/${t}$ Audittools`).join('\n')}\n`),
  });
  await expectStatus('debian-12', '6.3.3', debianLayout('p+i+n+u+g+s+b+acl+xattrs+sha512'), 'pass');
  await expectStatus('ubuntu-22.04', '6.1.3', debianLayout('p+i+n+u+g+s+b+acl+xattrs+sha512'), 'pass');
  await expectStatus('debian-12', '6.3.3', debianLayout('p+i+n+u+g'), 'fail');
  await expectStatus('ubuntu-24.04', '6.3.3', debianLayout('R+b+sha512-acl'), 'fail');
  await expectStatus('ubuntu-24.04', '6.3.3', debianLayout('R+b+sha512'), 'pass');
  await expectStatus('debian-12', '6.3.3', { '/etc/aide/aide.conf': root(tools.map((t) => `/sbin/${t}`).join('\n') + '\n') }, 'fail');
});

// 8. The six ufw loopback rules, in ufw's user rules (what `ufw status` shows), not the stock before.rules.
test('case 8: 4.2.4 (22.04: 4.1.4) needs all six loopback rules in user.rules and user6.rules', async () => {
  const v4 = ['### tuple ### allow any any 0.0.0.0/0 any 0.0.0.0/0 in_lo', '-A ufw-user-input -i lo -j ACCEPT',
    '### tuple ### allow any any 0.0.0.0/0 any 0.0.0.0/0 out_lo', '-A ufw-user-output -o lo -j ACCEPT',
    '### tuple ### deny any any 0.0.0.0/0 any 127.0.0.0/8 in', '-A ufw-user-input -s 127.0.0.0/8 -j DROP'];
  const v6 = ['-A ufw6-user-input -i lo -j ACCEPT', '-A ufw6-user-output -o lo -j ACCEPT', '-A ufw6-user-input -s ::1 -j DROP'];
  const stockBefore = root('*filter\n-A ufw-before-input -i lo -j ACCEPT\n-A ufw-before-output -o lo -j ACCEPT\nCOMMIT\n');
  const ufw = (user: string[], user6: string[]) => ({
    ...withPackages('ubuntu-24.04', 'ufw'), '/etc/ufw/before.rules': stockBefore,
    '/etc/ufw/user.rules': root(`*filter\n${user.join('\n')}\nCOMMIT\n`), '/etc/ufw/user6.rules': root(`*filter\n${user6.join('\n')}\nCOMMIT\n`),
  });
  await expectStatus('ubuntu-24.04', '4.2.4', ufw(v4, v6), 'pass');
  await expectStatus('ubuntu-24.04', '4.2.4', ufw(v4.filter((l) => !l.includes('output')), v6), 'fail');
  await expectStatus('ubuntu-24.04', '4.2.4', ufw(v4, []), 'fail');
  await expectStatus('ubuntu-24.04', '4.2.4', ufw(['-A ufw-user-input -s 127.0.0.0/8 -j DROP'], []), 'fail');
  await expectStatus('ubuntu-22.04', '4.1.4', { ...ufw(v4, v6), ...withPackages('ubuntu-22.04', 'ufw') }, 'pass');
});

// 13. Every SUID/SGID program, not a fixed list of five.
test('case 13: 6.2.3.6 (22.04: 6.3.3.6) wants a rule for every SUID/SGID program found on the root', async () => {
  const program = (mode: number) => ({ content: '\x7fELF', mode, uid: 0, gid: 0 });
  const rule = (p: string) => `-a always,exit -F path=${p} -F perm=x -F auid>=1000 -F auid!=unset -k privileged`;
  const programs = { '/usr/bin/sudo': program(0o4755), '/usr/bin/passwd': program(0o4755), '/usr/bin/crontab': program(0o2755) };
  const rules = (paths: string[]) => ({ '/etc/audit/rules.d/60-privileged.rules': root(paths.map(rule).join('\n') + '\n', 0o640) });
  await expectStatus('debian-12', '6.2.3.6', { ...programs, ...rules(['/usr/bin/sudo', '/usr/bin/passwd', '/usr/bin/crontab']) }, 'pass');
  await expectStatus('debian-12', '6.2.3.6', { ...programs, '/usr/local/bin/newtool': program(0o4755), ...rules(['/usr/bin/sudo', '/usr/bin/passwd', '/usr/bin/crontab']) }, 'fail');
  await expectStatus('ubuntu-22.04', '6.3.3.6', { ...programs, ...rules(['/usr/bin/sudo', '/usr/bin/passwd']) }, 'fail');
});

// Automated where the references automate: every listening port has a firewall rule (live host only).
test('automated: 4.2.6 / 4.4.2.4 / 4.4.3.4 compare the live sockets with the persisted rules', async () => {
  const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  const listen = (hex: string, port: number) => `   0: ${hex}:${port.toString(16).toUpperCase().padStart(4, '0')} ${'0'.repeat(hex.length)}:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4711 1 0 100 0 0 10 0\n`;
  const sockets = { '/proc/net/tcp': header + listen('00000000', 22), '/proc/net/tcp6': header + listen('0'.repeat(32), 22), '/proc/net/udp': header, '/proc/net/udp6': header };
  const ufw = (rule: string) => ({ ...withPackages('ubuntu-24.04', 'ufw'), ...sockets,
    '/etc/ufw/user.rules': root(`*filter\n${rule}\nCOMMIT\n`), '/etc/ufw/user6.rules': root('*filter\n-A ufw6-user-input -p tcp --dport 22 -j ACCEPT\nCOMMIT\n') });
  await expectStatus('ubuntu-24.04', '4.2.6', ufw('-A ufw-user-input -p tcp --dport 22 -j ACCEPT'), 'pass', true);
  await expectStatus('ubuntu-24.04', '4.2.6', ufw('-A ufw-user-input -p tcp --dport 80 -j ACCEPT'), 'fail', true);
  await expectStatus('ubuntu-24.04', '4.2.6', ufw('-A ufw-user-input -p tcp --dport 22 -j ACCEPT'), 'not_applicable');
  const ipt = (v4: string) => ({ ...withPackages('debian-12', 'iptables-persistent'), ...sockets,
    '/etc/iptables/rules.v4': root(`*filter\n:INPUT DROP [0:0]\n${v4}\nCOMMIT\n`), '/etc/iptables/rules.v6': root('*filter\n:INPUT DROP [0:0]\nCOMMIT\n') });
  await expectStatus('debian-12', '4.4.2.4', ipt('-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT'), 'pass', true);
  await expectStatus('debian-12', '4.4.2.4', ipt(''), 'fail', true);
  await expectStatus('debian-12', '4.4.3.4', ipt('-A INPUT -p tcp --dport 22 -j ACCEPT'), 'fail', true);
});

test('automated: 5.4.2.5 checks every directory root\'s PATH can hold, from login.defs and the shell start-up files', async () => {
  const dirs = { '/usr/local/sbin': { dir: true as const, mode: 0o755 }, '/usr/bin': { dir: true as const, mode: 0o755 } };
  const profile = (line: string) => ({ ...dirs, '/etc/profile': root(`if [ "$(id -u)" -eq 0 ]; then ${line}; fi\nexport PATH\n`) });
  await expectStatus('debian-12', '5.4.2.5', profile('PATH="/usr/local/sbin:/usr/bin"'), 'pass');
  await expectStatus('debian-12', '5.4.2.5', profile('PATH="/usr/local/sbin:/usr/bin:."'), 'fail');
  await expectStatus('debian-12', '5.4.2.5', { ...profile('PATH="/usr/local/sbin:/usr/bin"'), '/usr/local/sbin': { dir: true, mode: 0o777 } }, 'fail');
  await expectStatus('ubuntu-24.04', '5.4.2.5', { ...dirs, '/etc/login.defs': root('ENV_SUPATH PATH=/usr/local/sbin:/opt/missing\n') }, 'fail');
  await expectStatus('ubuntu-22.04', '5.4.2.5', { ...dirs, '/root/.profile': root('PATH="$HOME/bin:$PATH"\n'), '/root/bin': { dir: true, mode: 0o700 } }, 'pass');
});
