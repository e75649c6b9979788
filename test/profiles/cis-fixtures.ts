/**
 * Root filesystems for the CIS profiles, built by code: a hardened one (what a host looks like
 * after following every remediation, with nftables as the firewall, journald as the only
 * logger and systemd-timesyncd for time) and a default one (a fresh server install: stock
 * sshd, login.defs, PAM and journald, one filesystem, no firewall or auditd). One tree serves
 * the three releases; only os-release differs.
 */
import type { FixtureTree } from '../helpers/fixture-root.js';

const KERNEL = '6.1.0-28-amd64';
const MODULES = ['kernel/fs/cramfs/cramfs.ko', 'kernel/fs/freevxfs/freevxfs.ko', 'kernel/fs/hfs/hfs.ko', 'kernel/fs/hfsplus/hfsplus.ko', 'kernel/fs/jffs2/jffs2.ko',
  'kernel/fs/overlayfs/overlay.ko', 'kernel/fs/squashfs/squashfs.ko', 'kernel/fs/udf/udf.ko', 'kernel/drivers/usb/storage/usb-storage.ko',
  'kernel/net/dccp/dccp.ko', 'kernel/net/tipc/tipc.ko', 'kernel/net/rds/rds.ko', 'kernel/net/sctp/sctp.ko'];
const MODULE_NAMES = MODULES.map((m) => m.split('/').pop()!.replace(/\.ko$/, ''));

export const RELEASES = {
  'debian-12': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n',
  'ubuntu-22.04': 'PRETTY_NAME="Ubuntu 22.04.5 LTS"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\n',
  'ubuntu-24.04': 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\n',
} as const;
export type Release = keyof typeof RELEASES;

/** A dpkg status file listing `packages` (name or name=version) as installed. */
export function dpkgStatus(packages: string[]): string {
  return packages.map((p) => {
    const [name, version] = p.split('=');
    return `Package: ${name}\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\nVersion: ${version ?? '1.0-1'}\nDescription: ${name}\n`;
  }).join('\n');
}

/** A unit with an [Install] section (or none: static), linked from a target's .wants when enabled. */
function unit(name: string, enabled: boolean, opts: { wantedBy?: string; static?: boolean } = {}): FixtureTree {
  const target = opts.wantedBy ?? 'multi-user.target';
  const tree: FixtureTree = {
    [`/usr/lib/systemd/system/${name}`]: `[Unit]\nDescription=${name}\n\n[Service]\nExecStart=/usr/sbin/${name.split('.')[0]}\n` + (opts.static ? '' : `\n[Install]\nWantedBy=${target}\n`),
  };
  if (enabled) tree[`/etc/systemd/system/${target}.wants/${name}`] = { symlink: `/usr/lib/systemd/system/${name}` };
  return tree;
}

const root = (content: string, mode = 0o644, gid = 0) => ({ content, mode, uid: 0, gid });

function accounts(hardened: boolean): FixtureTree {
  const day = Math.floor(Date.now() / 86_400_000) - 10;
  const passwd = ['root:x:0:0:root:/root:/bin/bash', 'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin', 'sync:x:4:65534:sync:/bin:/bin/sync',
    'sshd:x:100:65534::/run/sshd:/usr/sbin/nologin', 'alice:x:1000:1000:Alice:/home/alice:/bin/bash'].join('\n') + '\n';
  const group = 'root:x:0:\ndaemon:x:1:\nshadow:x:42:\nadm:x:4:\nsugroup:x:900:\nnogroup:x:65534:\nalice:x:1000:\n';
  const aging = hardened ? '1:365:7:45' : '0:99999:7:';
  // a hardened root has a password (Ubuntu 22.04's 5.4.2.4 asks for one; the others accept it) with the same aging as users
  const shadow = [hardened ? `root:$y$j9T$rootsalt$0123456789abcdefghijklmnopqrstuvwxyzABCDE:${day}:${aging}::` : `root:*:${day}:0:99999:7:::`, `daemon:*:${day}:0:99999:7:::`, `sync:*:${day}:0:99999:7:::`, `sshd:*:${day}:0:99999:7:::`,
    `alice:$y$j9T$abcdefgh$0123456789abcdefghijklmnopqrstuvwxyzABCDE:${day}:${aging}::`].join('\n') + '\n';
  const gshadow = 'root:*::\ndaemon:*::\nshadow:*::\nadm:*::\nsugroup:!::\nnogroup:*::\nalice:!::\n';
  return {
    '/etc/passwd': root(passwd), '/etc/passwd-': root(passwd), '/etc/group': root(group), '/etc/group-': root(group),
    '/etc/shadow': root(shadow, 0o640, 42), '/etc/shadow-': root(shadow, 0o640, 42), '/etc/gshadow': root(gshadow, 0o640, 42), '/etc/gshadow-': root(gshadow, 0o640, 42),
    '/etc/shells': root('# valid login shells\n/bin/sh\n/bin/bash\n/usr/bin/bash\n'),
    '/home/alice': { dir: true, mode: hardened ? 0o750 : 0o755, uid: 1000, gid: 1000 },
    '/home/alice/.bashrc': { content: 'alias ll="ls -l"\n', mode: 0o644, uid: 1000, gid: 1000 },
    '/root': { dir: true, mode: 0o700 },
    '/root/.bashrc': root(hardened ? 'umask 027\n' : 'export LS_OPTIONS="--color=auto"\n'),
  };
}

const COMMON: FixtureTree = {
  [`/lib/modules/${KERNEL}/modules.dep`]: MODULES.map((m) => `${m}:\n`).join(''),
  [`/lib/modules/${KERNEL}/modules.builtin`]: 'kernel/fs/ext4/ext4.ko\n',
  '/usr/lib/systemd/system/systemd-journald.service': '[Unit]\nDescription=Journal Service\n\n[Service]\nExecStart=/usr/lib/systemd/systemd-journald\n',
  '/var/log': { dir: true, mode: 0o755 },
  '/tmp': { dir: true, mode: 0o1777 },
};

const HARDENED_SSHD = `Include /etc/ssh/sshd_config.d/*.conf
LogLevel VERBOSE
UsePAM yes
PermitRootLogin no
HostbasedAuthentication no
PermitEmptyPasswords no
PermitUserEnvironment no
IgnoreRhosts yes
DisableForwarding yes
GSSAPIAuthentication no
AllowGroups alice
Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr
MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512,hmac-sha2-256
KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group16-sha512
Banner /etc/issue.net
MaxAuthTries 4
MaxSessions 10
MaxStartups 10:30:60
LoginGraceTime 60
ClientAliveInterval 15
ClientAliveCountMax 3
`;

const AUDIT_RULES = `-w /etc/sudoers -p wa -k scope
-w /etc/sudoers.d -p wa -k scope
-a always,exit -F arch=b64 -C euid!=uid -F auid!=unset -S execve -k user_emulation
-a always,exit -F arch=b32 -C euid!=uid -F auid!=unset -S execve -k user_emulation
-w /var/log/sudo.log -p wa -k sudo_log_file
-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k time-change
-a always,exit -F arch=b32 -S adjtimex,settimeofday,clock_settime -k time-change
-w /etc/localtime -p wa -k time-change
-a always,exit -F arch=b64 -S sethostname,setdomainname -k system-locale
-a always,exit -F arch=b32 -S sethostname,setdomainname -k system-locale
-w /etc/issue -p wa -k system-locale
-w /etc/issue.net -p wa -k system-locale
-w /etc/hosts -p wa -k system-locale
-w /etc/networks -p wa -k system-locale
-w /etc/network/ -p wa -k system-locale
${['sudo', 'su', 'passwd', 'chsh', 'mount', 'chcon', 'setfacl', 'chacl', 'kmod'].map((p) => `-a always,exit -F path=/usr/bin/${p} -F perm=x -F auid>=1000 -F auid!=unset -k privileged`).join('\n')}
-a always,exit -F path=/usr/sbin/usermod -F perm=x -F auid>=1000 -F auid!=unset -k usermod
${['b64', 'b32'].flatMap((a) => ['-EACCES', '-EPERM'].map((e) => `-a always,exit -F arch=${a} -S creat,open,openat,truncate,ftruncate -F exit=${e} -F auid>=1000 -F auid!=unset -k access`)).join('\n')}
${['/etc/group', '/etc/passwd', '/etc/gshadow', '/etc/shadow', '/etc/security/opasswd', '/etc/nsswitch.conf', '/etc/pam.conf', '/etc/pam.d'].map((p) => `-w ${p} -p wa -k identity`).join('\n')}
${['b64', 'b32'].map((a) => `-a always,exit -F arch=${a} -S chmod,fchmod,fchmodat,chown,fchown,lchown,fchownat,setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F auid>=1000 -F auid!=unset -k perm_mod`).join('\n')}
${['b64', 'b32'].map((a) => `-a always,exit -F arch=${a} -S mount -F auid>=1000 -F auid!=unset -k mounts`).join('\n')}
-w /var/run/utmp -p wa -k session
-w /var/log/wtmp -p wa -k session
-w /var/log/btmp -p wa -k session
-w /var/log/lastlog -p wa -k logins
-w /var/run/faillock -p wa -k logins
${['b64', 'b32'].map((a) => `-a always,exit -F arch=${a} -S unlink,unlinkat,rename,renameat -F auid>=1000 -F auid!=unset -k delete`).join('\n')}
-w /etc/apparmor/ -p wa -k MAC-policy
-w /etc/apparmor.d/ -p wa -k MAC-policy
${['b64', 'b32'].map((a) => `-a always,exit -F arch=${a} -S init_module,finit_module,delete_module -F auid>=1000 -F auid!=unset -k kernel_modules`).join('\n')}
`;

const NFTABLES = `#!/usr/sbin/nft -f
flush ruleset
table inet filter {
  chain input {
    type filter hook input priority 0; policy drop;
    iif "lo" accept
    ip saddr 127.0.0.0/8 counter drop
    ip6 saddr ::1 counter drop
    ct state established,related accept
    tcp dport 22 accept
  }
  chain forward {
    type filter hook forward priority 0; policy drop;
  }
  chain output {
    type filter hook output priority 0; policy drop;
    oif "lo" accept
    ct state new,established,related accept
  }
}
`;

export function hardenedTree(release: Release): FixtureTree {
  const sysctl = ['kernel.randomize_va_space = 2', 'kernel.yama.ptrace_scope = 1', 'fs.suid_dumpable = 0', 'net.ipv4.ip_forward = 0', 'net.ipv6.conf.all.forwarding = 0',
    ...['all', 'default'].flatMap((s) => [`net.ipv4.conf.${s}.send_redirects = 0`, `net.ipv4.conf.${s}.accept_redirects = 0`, `net.ipv6.conf.${s}.accept_redirects = 0`,
      `net.ipv4.conf.${s}.secure_redirects = 0`, `net.ipv4.conf.${s}.rp_filter = 1`, `net.ipv4.conf.${s}.accept_source_route = 0`, `net.ipv6.conf.${s}.accept_source_route = 0`,
      `net.ipv4.conf.${s}.log_martians = 1`, `net.ipv6.conf.${s}.accept_ra = 0`]),
    'net.ipv4.icmp_ignore_bogus_error_responses = 1', 'net.ipv4.icmp_echo_ignore_broadcasts = 1', 'net.ipv4.tcp_syncookies = 1'].join('\n') + '\n';
  const linux = 'linux /boot/vmlinuz-6.1.0-28-amd64 root=/dev/sda1 ro quiet apparmor=1 security=apparmor audit=1 audit_backlog_limit=8192';
  const tools = ['auditctl', 'aureport', 'ausearch', 'autrace', 'auditd', 'augenrules'];
  return {
    ...COMMON,
    ...accounts(true),
    '/etc/os-release': RELEASES[release],
    '/var/lib/dpkg/status': dpkgStatus(['apparmor', 'apparmor-utils', 'sudo', 'libpam-runtime=1.5.2-6+deb12u1', 'libpam-modules', 'libpam-pwquality', 'auditd', 'audispd-plugins',
      'aide', 'aide-common', 'nftables', 'openssh-server', 'cron', 'systemd-timesyncd', 'systemd-journal-remote']),
    '/etc/modprobe.d/cis.conf': MODULE_NAMES.map((m) => `install ${m} /bin/false\nblacklist ${m}\n`).join(''),
    '/etc/fstab': [
      'UUID=1 / ext4 rw,errors=remount-ro 0 1',
      'tmpfs /tmp tmpfs rw,nodev,nosuid,noexec,mode=1777 0 0',
      'tmpfs /dev/shm tmpfs rw,nodev,nosuid,noexec 0 0',
      'UUID=2 /home ext4 rw,nodev,nosuid 0 2',
      'UUID=3 /var ext4 rw,nodev,nosuid 0 2',
      'UUID=4 /var/tmp ext4 rw,nodev,nosuid,noexec 0 2',
      'UUID=5 /var/log ext4 rw,nodev,nosuid,noexec 0 2',
      'UUID=6 /var/log/audit ext4 rw,nodev,nosuid,noexec 0 2',
    ].join('\n') + '\n',
    '/boot/grub/grub.cfg': root(`set superusers="admin"\npassword_pbkdf2 admin grub.pbkdf2.sha512.10000.ABCDEF.0123456789\nmenuentry 'Linux' {\n  ${linux}\n}\nmenuentry 'Linux recovery' {\n  ${linux} single\n}\n`, 0o600),
    '/etc/apparmor.d/usr.sbin.chronyd': root('include <tunables/global>\n/usr/sbin/chronyd {\n  include <abstractions/base>\n}\n'),
    '/etc/apparmor.d/lsb_release': root('profile lsb_release {\n  /usr/bin/lsb_release r,\n}\n'),
    '/etc/default/grub': root('GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX="apparmor=1 security=apparmor audit=1 audit_backlog_limit=8192"\n'),
    '/etc/sysctl.d/60-cis.conf': sysctl,
    '/etc/security/limits.d/60-coredump.conf': '* hard core 0\n',
    '/etc/motd': root('Authorised use only. Activity is logged.\n'),
    '/etc/issue': root('Authorised use only. Activity is logged.\n'),
    '/etc/issue.net': root('Authorised use only. Activity is logged.\n'),
    ...unit('systemd-timesyncd.service', true, { wantedBy: 'sysinit.target' }),
    '/etc/systemd/timesyncd.conf': '[Time]\nNTP=time1.example.net time2.example.net\n',
    ...unit('cron.service', true),
    '/etc/crontab': root('SHELL=/bin/sh\n', 0o600),
    '/etc/cron.hourly': { dir: true, mode: 0o700 }, '/etc/cron.daily': { dir: true, mode: 0o700 }, '/etc/cron.weekly': { dir: true, mode: 0o700 },
    '/etc/cron.monthly': { dir: true, mode: 0o700 }, '/etc/cron.d': { dir: true, mode: 0o700 },
    '/etc/cron.allow': root('root\n', 0o640),
    ...unit('nftables.service', true, { wantedBy: 'sysinit.target' }),
    '/etc/nftables.conf': root(NFTABLES, 0o755),
    '/etc/ssh/sshd_config': root(HARDENED_SSHD, 0o600),
    '/etc/ssh/sshd_config.d': { dir: true, mode: 0o755 },
    '/etc/ssh/ssh_host_ed25519_key': root('-----BEGIN OPENSSH PRIVATE KEY-----\n', 0o600),
    '/etc/ssh/ssh_host_ed25519_key.pub': root('ssh-ed25519 AAAA host\n', 0o644),
    '/etc/sudoers': root('Defaults env_reset\nDefaults use_pty\nDefaults logfile="/var/log/sudo.log"\nDefaults timestamp_timeout=15\nroot ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n', 0o440),
    '/etc/sudoers.d/README': root('# drop-ins\n', 0o440),
    '/etc/pam.d/su': root('auth sufficient pam_rootok.so\nauth required pam_wheel.so use_uid group=sugroup\n'),
    '/etc/pam.d/common-auth': root('auth required pam_faillock.so preauth\nauth [success=1 default=ignore] pam_unix.so\nauth [default=die] pam_faillock.so authfail\nauth requisite pam_deny.so\nauth required pam_permit.so\n'),
    '/etc/pam.d/common-account': root('account [success=1 new_authtok_reqd=done default=ignore] pam_unix.so\naccount requisite pam_deny.so\naccount required pam_permit.so\naccount required pam_faillock.so\n'),
    '/etc/pam.d/common-password': root('password requisite pam_pwquality.so retry=3\npassword requisite pam_pwhistory.so remember=24 enforce_for_root try_first_pass use_authtok\npassword [success=1 default=ignore] pam_unix.so obscure use_authtok try_first_pass yescrypt\npassword requisite pam_deny.so\npassword required pam_permit.so\n'),
    '/etc/pam.d/common-session': root('session required pam_unix.so\n'),
    '/etc/security/faillock.conf': root('deny = 5\nunlock_time = 900\neven_deny_root\nroot_unlock_time = 60\n'),
    '/etc/security/pwquality.conf': root('difok = 2\nminlen = 14\nmaxrepeat = 3\nmaxsequence = 3\nenforce_for_root\n'),
    '/etc/security/opasswd': root('', 0o600),
    '/etc/login.defs': root('PASS_MAX_DAYS 365\nPASS_MIN_DAYS 1\nPASS_WARN_AGE 7\nENCRYPT_METHOD YESCRYPT\nUMASK 027\nUID_MIN 1000\n'),
    '/etc/default/useradd': root('SHELL=/bin/sh\nINACTIVE=45\n'),
    '/etc/profile': root('if [ -d /etc/profile.d ]; then for i in /etc/profile.d/*.sh; do . $i; done; fi\n'),
    '/etc/profile.d/60-cis.sh': root('readonly TMOUT=900\nexport TMOUT\numask 027\n'),
    '/etc/systemd/journald.conf': root('[Journal]\nStorage=persistent\nCompress=yes\nForwardToSyslog=no\n'),
    '/etc/systemd/journal-upload.conf': root('[Upload]\nURL=https://logs.example.net:19532\nServerKeyFile=/etc/ssl/private/journal-upload.pem\nServerCertificateFile=/etc/ssl/certs/journal-upload.pem\nTrustedCertificateFile=/etc/ssl/ca/trusted.pem\n'),
    ...unit('systemd-journal-upload.service', true),
    ...unit('auditd.service', true),
    '/etc/audit/auditd.conf': root('log_file = /var/log/audit/audit.log\nmax_log_file = 8\nmax_log_file_action = keep_logs\nspace_left_action = email\naction_mail_acct = root\nadmin_space_left_action = single\ndisk_full_action = halt\ndisk_error_action = halt\n', 0o640),
    '/etc/audit/rules.d/50-cis.rules': root(AUDIT_RULES, 0o640),
    '/etc/audit/rules.d/99-finalize.rules': root('-e 2\n', 0o640),
    '/var/log/audit': { dir: true, mode: 0o750 },
    '/var/log/audit/audit.log': root('', 0o600),
    // merged /usr, as Debian 12 and Ubuntu install: /sbin is a link to usr/sbin
    '/sbin': { symlink: 'usr/sbin' },
    ...Object.fromEntries(tools.map((t) => [`/usr/sbin/${t}`, root('#!/bin/true\n', 0o755)])),
    '/etc/aide/aide.conf': root(tools.map((t) => `/sbin/${t} p+i+n+u+g+s+b+acl+xattrs+sha512`).join('\n') + '\n'),
    ...unit('dailyaidecheck.timer', true, { wantedBy: 'timers.target' }),
  };
}

export function defaultTree(release: Release): FixtureTree {
  return {
    ...COMMON,
    ...accounts(false),
    '/etc/os-release': RELEASES[release],
    '/var/lib/dpkg/status': dpkgStatus(['openssh-server', 'cron', 'sudo', 'libpam-runtime=1.5.2-6', 'libpam-modules', 'systemd-timesyncd', 'apparmor', 'nftables', 'exim4-daemon-light']),
    '/etc/fstab': 'UUID=1 / ext4 rw,errors=remount-ro 0 1\nUUID=9 none swap sw 0 0\n',
    '/boot/grub/grub.cfg': root(`menuentry 'Linux' {\n  linux /boot/vmlinuz-6.1.0-28-amd64 root=/dev/sda1 ro quiet\n}\n`, 0o444),
    '/usr/lib/sysctl.d/50-pid-max.conf': 'kernel.pid_max = 4194304\n',
    '/etc/default/grub': root('GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX=""\n'),
    '/etc/apparmor.d/usr.sbin.chronyd': root('include <tunables/global>\n/usr/sbin/chronyd {\n  include <abstractions/base>\n}\n'),
    '/etc/apparmor.d/nvidia_modprobe': root('profile nvidia_modprobe flags=(complain) {\n  /usr/bin/nvidia-modprobe rix,\n}\n'),
    '/etc/motd': root('\nThe programs included with the Debian GNU/Linux system are free software;\n'),
    '/etc/issue': root('Debian GNU/Linux 12 \\n \\l\n'),
    '/etc/issue.net': root('Debian GNU/Linux 12\n'),
    ...unit('systemd-timesyncd.service', true, { wantedBy: 'sysinit.target' }),
    '/etc/systemd/timesyncd.conf': '[Time]\n#NTP=\n',
    ...unit('cron.service', true),
    '/etc/crontab': root('SHELL=/bin/sh\n'),
    '/etc/cron.hourly': { dir: true, mode: 0o755 }, '/etc/cron.daily': { dir: true, mode: 0o755 }, '/etc/cron.weekly': { dir: true, mode: 0o755 },
    '/etc/cron.monthly': { dir: true, mode: 0o755 }, '/etc/cron.d': { dir: true, mode: 0o755 },
    ...unit('nftables.service', false, { wantedBy: 'sysinit.target' }),
    '/etc/nftables.conf': root('#!/usr/sbin/nft -f\nflush ruleset\ntable inet filter {\n  chain input {\n    type filter hook input priority filter;\n  }\n}\n', 0o755),
    '/etc/exim4/update-exim4.conf.conf': root("dc_eximconfig_configtype='local'\ndc_local_interfaces='127.0.0.1 ; ::1'\n"),
    '/etc/ssh/sshd_config': root('Include /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\nUsePAM yes\nX11Forwarding yes\nPrintMotd no\nAcceptEnv LANG LC_*\nSubsystem sftp /usr/lib/openssh/sftp-server\n'),
    '/etc/ssh/ssh_host_ed25519_key': root('-----BEGIN OPENSSH PRIVATE KEY-----\n', 0o600),
    '/etc/ssh/ssh_host_ed25519_key.pub': root('ssh-ed25519 AAAA host\n', 0o644),
    '/etc/sudoers': root('Defaults env_reset\nDefaults mail_badpass\nroot ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n', 0o440),
    '/etc/pam.d/su': root('auth sufficient pam_rootok.so\n# auth required pam_wheel.so\n'),
    '/etc/pam.d/common-auth': root('auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\nauth required pam_permit.so\n'),
    '/etc/pam.d/common-account': root('account [success=1 new_authtok_reqd=done default=ignore] pam_unix.so\naccount requisite pam_deny.so\naccount required pam_permit.so\n'),
    '/etc/pam.d/common-password': root('password [success=1 default=ignore] pam_unix.so obscure yescrypt\npassword requisite pam_deny.so\npassword required pam_permit.so\n'),
    '/etc/pam.d/common-session': root('session required pam_unix.so\n'),
    '/etc/login.defs': root('PASS_MAX_DAYS 99999\nPASS_MIN_DAYS 0\nPASS_WARN_AGE 7\nENCRYPT_METHOD SHA512\nUMASK 022\nUID_MIN 1000\n'),
    '/etc/default/useradd': root('SHELL=/bin/sh\n# INACTIVE=-1\n'),
    '/etc/profile': root('if [ "$(id -u)" -eq 0 ]; then PATH=/usr/local/sbin:/usr/sbin:/sbin:$PATH; fi\nexport PATH\n'),
    '/etc/bash.bashrc': root('[ -z "$PS1" ] && return\n'),
    '/etc/systemd/journald.conf': root('[Journal]\n#Storage=auto\n#Compress=yes\n#ForwardToSyslog=no\n'),
  };
}
