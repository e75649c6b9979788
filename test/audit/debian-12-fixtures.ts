/**
 * Two Debian 12 root filesystems for auditing with the shipped profile: a hardened one that
 * satisfies every control, and a weak one that breaks every control (each in the way a real
 * neglected host does). Built by code with buildFixtureRoot; the expected status of every
 * control on each is listed in debian-12-profile.test.ts.
 */
import type { FixtureTree } from '../helpers/fixture-root.js';

const KERNEL = '6.1.0-18-amd64';
export const FS_MODULES: Record<string, string> = {
  cramfs: 'kernel/fs/cramfs/cramfs.ko',
  freevxfs: 'kernel/fs/freevxfs/freevxfs.ko',
  hfs: 'kernel/fs/hfs/hfs.ko',
  hfsplus: 'kernel/fs/hfsplus/hfsplus.ko',
  jffs2: 'kernel/fs/jffs2/jffs2.ko',
  udf: 'kernel/fs/udf/udf.ko',
  'usb-storage': 'kernel/drivers/usb/storage/usb-storage.ko',
};

function dpkgStatus(packages: string[]): string {
  return packages.map((p) => {
    const [name, version] = p.split('=');
    return `Package: ${name}\nStatus: install ok installed\nPriority: optional\nSection: misc\nArchitecture: amd64\nVersion: ${version ?? '1.0-1'}\nDescription: ${name}\n`;
  }).join('\n');
}

/** A unit file with an [Install] section, and (when enabled) its multi-user.target.wants link. */
function unit(name: string, enabled: boolean): FixtureTree {
  const tree: FixtureTree = {
    [`/usr/lib/systemd/system/${name}`]: `[Unit]\nDescription=${name}\n\n[Service]\nExecStart=/usr/sbin/${name.replace(/\.service$/, '')}\n\n[Install]\nWantedBy=multi-user.target\n`,
  };
  if (enabled) tree[`/etc/systemd/system/multi-user.target.wants/${name}`] = { symlink: `/usr/lib/systemd/system/${name}` };
  return tree;
}

const COMMON: FixtureTree = {
  '/etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n',
  [`/lib/modules/${KERNEL}/modules.dep`]: Object.values(FS_MODULES).map((m) => `${m}:\n`).join(''),
  [`/lib/modules/${KERNEL}/modules.builtin`]: 'kernel/fs/ext4/ext4.ko\n',
  '/usr/lib/sysctl.d/50-pid-max.conf': 'kernel.pid_max = 4194304\n',
  '/etc/cron.daily/dpkg': { content: '#!/bin/sh\n', mode: 0o755 },
};

const HARDENED_SSHD = `# hardened sshd_config
Include /etc/ssh/sshd_config.d/*.conf
LogLevel VERBOSE
UsePAM yes
PermitRootLogin no
HostbasedAuthentication no
PermitEmptyPasswords no
PermitUserEnvironment no
IgnoreRhosts yes
X11Forwarding no
Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr
MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512,hmac-sha2-256
KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group16-sha512
AllowTcpForwarding no
Banner /etc/issue.net
MaxAuthTries 4
MaxSessions 10
LoginGraceTime 60
ClientAliveInterval 15
ClientAliveCountMax 3
Subsystem sftp /usr/lib/openssh/sftp-server
`;

const WEAK_SSHD = `# weak sshd_config
LogLevel DEBUG3
UsePAM no
PermitRootLogin yes
HostbasedAuthentication yes
PermitEmptyPasswords yes
PermitUserEnvironment yes
IgnoreRhosts no
X11Forwarding yes
Ciphers aes128-cbc,aes256-ctr
MACs hmac-md5,hmac-sha2-256
KexAlgorithms diffie-hellman-group14-sha1,curve25519-sha256
AllowTcpForwarding yes
Banner none
MaxAuthTries 6
MaxSessions 20
LoginGraceTime 120
ClientAliveInterval 0
ClientAliveCountMax 3
`;

const HARDENED_SYSCTL = `# CIS network and kernel parameters
kernel.randomize_va_space = 2
kernel.yama.ptrace_scope = 1
fs.suid_dumpable = 0
net.ipv4.conf.all.send_redirects = 0
net.ipv4.conf.default.send_redirects = 0
net.ipv4.ip_forward = 0
net.ipv6.conf.all.forwarding = 0
net.ipv4.conf.all.accept_source_route = 0
net.ipv4.conf.default.accept_source_route = 0
net.ipv6.conf.all.accept_source_route = 0
net.ipv6.conf.default.accept_source_route = 0
net.ipv4.conf.all.accept_redirects = 0
net.ipv4.conf.default.accept_redirects = 0
net.ipv6.conf.all.accept_redirects = 0
net.ipv6.conf.default.accept_redirects = 0
net.ipv4.conf.all.log_martians = 1
net.ipv4.conf.default.log_martians = 1
net.ipv4.icmp_echo_ignore_broadcasts = 1
net.ipv4.conf.all.rp_filter = 1
net.ipv4.conf.default.rp_filter = 1
net.ipv4.tcp_syncookies = 1
net.ipv6.conf.all.accept_ra = 0
net.ipv6.conf.default.accept_ra = 0
`;

const WEAK_SYSCTL = `# a router someone turned into a server
kernel.randomize_va_space = 0
kernel.yama.ptrace_scope = 0
fs.suid_dumpable = 2
net.ipv4.conf.all.send_redirects = 1
net.ipv4.ip_forward = 1
net.ipv4.conf.all.accept_source_route = 1
net.ipv4.conf.all.accept_redirects = 1
net.ipv4.conf.all.log_martians = 0
net.ipv4.icmp_echo_ignore_broadcasts = 0
net.ipv4.conf.all.rp_filter = 0
net.ipv4.tcp_syncookies = 0
net.ipv6.conf.all.accept_ra = 1
`;

const HARDENED_LOGIN_DEFS = `MAIL_DIR /var/mail
UMASK 027
PASS_MAX_DAYS 365
PASS_MIN_DAYS 1
PASS_WARN_AGE 7
UID_MIN 1000
UID_MAX 60000
ENCRYPT_METHOD YESCRYPT
`;

const WEAK_LOGIN_DEFS = `MAIL_DIR /var/mail
UMASK 022
PASS_MAX_DAYS 99999
PASS_MIN_DAYS 0
PASS_WARN_AGE 3
UID_MIN 1000
ENCRYPT_METHOD MD5
`;

const BANNER = 'Authorized users only. All activity may be monitored and reported.\n';
const ROOT_FILE = (content: string, mode: number, gid = 0) => ({ content, mode, uid: 0, gid });

export function hardenedTree(): FixtureTree {
  const modprobe = Object.keys(FS_MODULES).map((m) => `install ${m} /bin/false\nblacklist ${m}\n`).join('');
  return {
    ...COMMON,
    '/etc/hostname': 'hardened\n',
    '/etc/modprobe.d/cis-filesystems.conf': modprobe,
    '/etc/fstab': [
      'UUID=1111 /         ext4  errors=remount-ro      0 1',
      'UUID=2222 /var      ext4  rw,nodev,relatime      0 2',
      'UUID=3333 /home     ext4  rw,nodev,nosuid        0 2',
      'tmpfs     /tmp      tmpfs rw,nosuid,nodev,noexec,size=2G 0 0',
      'tmpfs     /dev/shm  tmpfs rw,nosuid,nodev,noexec 0 0',
      '',
    ].join('\n'),
    '/etc/sysctl.d/60-cis.conf': HARDENED_SYSCTL,
    '/etc/security/limits.d/60-no-core.conf': '* hard core 0\n',
    '/var/lib/dpkg/status': dpkgStatus(['openssh-server=1:9.2p1-2+deb12u3', 'cron=3.0pl1-162', 'libpam-pwquality=1.4.5-1+b1', 'base-files=12.4+deb12u5']),
    '/etc/motd': ROOT_FILE(BANNER, 0o644),
    '/etc/issue': ROOT_FILE(BANNER, 0o644),
    '/etc/issue.net': ROOT_FILE(BANNER, 0o644),
    '/etc/crontab': ROOT_FILE('SHELL=/bin/sh\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\n', 0o600),
    '/etc/cron.hourly': { dir: true, mode: 0o700 },
    '/etc/cron.daily': { dir: true, mode: 0o700 },
    '/etc/cron.weekly': { dir: true, mode: 0o700 },
    '/etc/cron.monthly': { dir: true, mode: 0o700 },
    '/etc/cron.d': { dir: true, mode: 0o700 },
    '/etc/cron.allow': ROOT_FILE('root\n', 0o640),
    '/etc/ssh/sshd_config': ROOT_FILE(HARDENED_SSHD, 0o600),
    '/etc/ssh/sshd_config.d': { dir: true, mode: 0o755 },
    '/etc/ssh/ssh_host_ed25519_key': ROOT_FILE('-----BEGIN OPENSSH PRIVATE KEY-----\n(fixture)\n-----END OPENSSH PRIVATE KEY-----\n', 0o600),
    '/etc/ssh/ssh_host_ed25519_key.pub': ROOT_FILE('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixture root@hardened\n', 0o644),
    '/etc/pam.d/common-password': [
      'password requisite pam_pwquality.so retry=3',
      'password [success=1 default=ignore] pam_unix.so obscure use_authtok try_first_pass yescrypt',
      'password requisite pam_deny.so',
      'password required pam_permit.so',
      '',
    ].join('\n'),
    '/etc/pam.d/common-auth': 'auth [success=1 default=ignore] pam_unix.so\nauth requisite pam_deny.so\nauth required pam_permit.so\n',
    '/etc/login.defs': HARDENED_LOGIN_DEFS,
    '/etc/default/useradd': 'SHELL=/bin/sh\nINACTIVE=30\n',
    '/etc/passwd': ROOT_FILE([
      'root:x:0:0:root:/root:/bin/bash',
      'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
      'sync:x:4:65534:sync:/bin:/bin/sync',
      'sshd:x:100:65534::/run/sshd:/usr/sbin/nologin',
      'alice:x:1000:1000:Alice:/home/alice:/bin/bash',
      '',
    ].join('\n'), 0o644),
    '/etc/group': ROOT_FILE('root:x:0:\ndaemon:x:1:\nshadow:x:42:\nnogroup:x:65534:\nalice:x:1000:\n', 0o644),
    '/etc/shadow': ROOT_FILE([
      'root:$y$j9T$fixturesalt$fixturehashfixturehashfixturehashfixtureha:19700:1:365:7:30::',
      'daemon:*:19700:0:99999:7:::',
      'sync:*:19700:0:99999:7:::',
      'sshd:!:19700::::::',
      'alice:$y$j9T$fixturesalt$fixturehashfixturehashfixturehashfixtureha:19700:1:365:7:30::',
      '',
    ].join('\n'), 0o640, 42),
    '/etc/gshadow': ROOT_FILE('root:*::\ndaemon:*::\nshadow:*::\nnogroup:*::\nalice:!::\n', 0o640, 42),
    '/root': { dir: true, mode: 0o700 },
    '/root/.bashrc': ROOT_FILE('umask 027\n', 0o644),
    '/home/alice': { dir: true, mode: 0o750, uid: 1000, gid: 1000 },
    '/home/alice/.bashrc': { content: 'umask 027\n', mode: 0o644, uid: 1000, gid: 1000 },
    '/usr/bin/passwd': { content: '#!/bin/true\n', mode: 0o4755 },
    '/usr/bin/sync': { content: '#!/bin/true\n', mode: 0o755 },
    '/bin': { symlink: 'usr/bin' },
  };
}

export function weakTree(): FixtureTree {
  return {
    ...COMMON,
    '/etc/hostname': 'weak\n',
    // modules present in the kernel, nothing keeps them out
    '/etc/modprobe.d/local.conf': 'options snd_hda_intel power_save=1\n',
    '/etc/fstab': 'UUID=1111 /  ext4  errors=remount-ro 0 1\n',
    '/etc/sysctl.d/99-local.conf': WEAK_SYSCTL,
    '/var/lib/dpkg/status': dpkgStatus([
      'openssh-server=1:9.2p1-2+deb12u3', 'cron=3.0pl1-162', 'prelink=0.0.20131005-1+b10',
      'avahi-daemon=0.8-10', 'cups=2.4.2-3+deb12u5', 'vsftpd=3.0.3-13+b2', 'rpcbind=1.2.6-6+b1', 'snmpd=5.9.3+dfsg-2',
      'nis=4.4', 'xinetd=1:2.3.15.3-1+b1', 'rsh-client=0.17-24', 'talk=0.17-17', 'telnet=0.17+2.4-2+deb12u1', 'ldap-utils=2.5.13+dfsg-5',
    ]),
    ...unit('avahi-daemon.service', true),
    ...unit('cups.service', true),
    ...unit('vsftpd.service', true),
    ...unit('rpcbind.service', true),
    ...unit('snmpd.service', true),
    '/etc/motd': ROOT_FILE('Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY.\n', 0o666),
    '/etc/issue': ROOT_FILE('Debian GNU/Linux 12 \\n \\l\n', 0o644),
    '/etc/issue.net': ROOT_FILE('Debian GNU/Linux 12\n', 0o644),
    '/etc/crontab': ROOT_FILE('SHELL=/bin/sh\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\n', 0o644),
    '/etc/cron.hourly': { dir: true, mode: 0o755 },
    '/etc/cron.daily': { dir: true, mode: 0o755 },
    '/etc/cron.weekly': { dir: true, mode: 0o755 },
    '/etc/cron.monthly': { dir: true, mode: 0o755 },
    '/etc/cron.d': { dir: true, mode: 0o755 },
    '/etc/cron.deny': ROOT_FILE('', 0o644),
    '/etc/ssh/sshd_config': ROOT_FILE(WEAK_SSHD, 0o644),
    '/etc/ssh/ssh_host_ed25519_key': ROOT_FILE('-----BEGIN OPENSSH PRIVATE KEY-----\n(fixture)\n-----END OPENSSH PRIVATE KEY-----\n', 0o644),
    '/etc/ssh/ssh_host_ed25519_key.pub': { content: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixture root@weak\n', mode: 0o664, uid: 1000, gid: 1000 },
    '/etc/pam.d/common-password': 'password [success=1 default=ignore] pam_unix.so obscure md5\npassword requisite pam_deny.so\npassword required pam_permit.so\n',
    '/etc/pam.d/common-auth': 'auth [success=1 default=ignore] pam_unix.so nullok\nauth requisite pam_deny.so\nauth required pam_permit.so\n',
    '/etc/login.defs': WEAK_LOGIN_DEFS,
    '/etc/default/useradd': 'SHELL=/bin/sh\nINACTIVE=-1\n',
    '/etc/passwd': ROOT_FILE([
      'root:x:0:1:root:/root:/bin/bash',
      'toor:x:0:0:backdoor:/root:/bin/bash',
      'daemon:x:1:1:daemon:/usr/sbin:/bin/bash',
      'daemon:x:2:2:again:/usr/sbin:/usr/sbin/nologin',
      'alice:x:1000:1000:Alice:/home/alice:/bin/bash',
      'bob:x:1001:5000:Bob:/home/bob:/bin/bash',
      '',
    ].join('\n'), 0o666),
    '/etc/group': { content: 'root:x:0:\ndaemon:x:1:\nbin:x:2:\nshadow:x:42:alice\nalice:x:1000:\nstaff:x:50:\nstaff:x:51:\ndup:x:1000:\n', mode: 0o664, uid: 1000, gid: 0 },
    '/etc/shadow': ROOT_FILE([
      'root:$y$j9T$fixturesalt$fixturehashfixturehashfixturehashfixtureha:19700:0:99999:7:::',
      'toor:$y$j9T$fixturesalt$fixturehashfixturehashfixturehashfixtureha:19700:0:99999:7:::',
      'daemon:*:19700:0:99999:7:::',
      'alice:$1$fixture$md5hashmd5hashmd5hash:40000:0:99999:3:::',
      'bob::19700:0:99999:7:::',
      '',
    ].join('\n'), 0o644),
    '/etc/gshadow': ROOT_FILE('root:*::\nshadow:*::alice\nalice:!::\n', 0o644),
    '/root': { dir: true, mode: 0o755 },
    '/home/alice': { dir: true, mode: 0o777, uid: 0, gid: 0 },
    '/home/alice/.bashrc': { content: 'umask 000\n', mode: 0o666, uid: 1000, gid: 1000 },
    '/var/tmp/orphan.log': { content: 'left behind by a deleted user\n', mode: 0o644, uid: 4242, gid: 4242 },
    '/usr/local/bin/helper': { content: '#!/bin/sh\nexec /bin/sh "$@"\n', mode: 0o4755 },
  };
}
