/**
 * The three CIS profiles on fixture roots built by code (cis-fixtures.ts): the expected status
 * of every control, by library id, on a hardened root and on a default install, for each
 * release. On the hardened root everything passes except what does not apply there (manual
 * recommendations, the firewalls, logger and time daemon not chosen, GDM, live-kernel-only
 * checks offline); on the default root the lists below say what already passes and what does
 * not apply; every other control fails, with evidence.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { formatError } from '../../src/core/errors.js';
import { HostRoot } from '../../src/core/host-root.js';
import { runAudit } from '../../src/audit/engine.js';
import { loadProfile, type LoadedProfile } from '../../src/audit/profile/load-profile.js';
import { shippedProfilesDir } from '../../src/audit/profile/shipped-profiles.js';
import type { AuditResult, ControlStatus } from '../../src/audit/result.js';
import { buildFixtureRoot, type FixtureRoot } from '../helpers/fixture-root.js';
import { defaultTree, hardenedTree, type Release } from './cis-fixtures.js';

/** Hardened root: controls that do not apply (every other control passes). */
const HARDENED_NOT_APPLICABLE = new Set([
  'kmod-unused-filesystems', 'apt-gpg-keys', 'apt-repositories', 'apt-updates-applied',
  'gdm-login-banner', 'gdm-disable-user-list', 'gdm-screen-lock-idle',
  'gdm-screen-lock-locked', 'gdm-automount-off', 'gdm-automount-locked', 'gdm-autorun-never', 'gdm-autorun-locked',
  'gdm-xdmcp-off', 'services-listening-approved', 'chrony-servers', 'chrony-user', 'chrony-enabled', 'at-restricted',
  'ipv6-status', 'wireless-disabled', 'ufw-installed', 'ufw-no-iptables-persistent', 'ufw-enabled', 'ufw-loopback',
  'ufw-outbound', 'ufw-open-ports', 'ufw-default-deny', 'nftables-iptables-flushed', 'nftables-outbound',
  'iptables-installed', 'iptables-no-nftables', 'iptables-no-ufw', 'iptables-default-deny', 'iptables-loopback',
  'iptables-outbound', 'iptables-open-ports', 'ip6tables-default-deny', 'ip6tables-loopback', 'ip6tables-outbound',
  'ip6tables-open-ports', 'pwquality-complexity',
  'journald-file-access', 'journald-rotation', 'rsyslog-enabled', 'journald-forward-to-rsyslog',
  'rsyslog-file-create-mode', 'rsyslog-rules', 'rsyslog-remote', 'rsyslog-not-receiving', 'logrotate-configured',
  'audit-running-matches-disk',
]);

/** Default install: controls that already pass. */
const DEFAULT_PASS = new Set([
  'apparmor-profiles-loaded',
  'prelink-absent', 'apport-disabled', 'banner-motd-permissions', 'banner-issue-permissions',
  'banner-issue-net-permissions', 'gdm-absent', 'service-autofs-not-in-use', 'service-avahi-not-in-use',
  'service-dhcp-server-not-in-use', 'service-dns-server-not-in-use', 'service-dnsmasq-not-in-use',
  'service-ftp-server-not-in-use', 'service-ldap-server-not-in-use', 'service-mail-access-server-not-in-use',
  'service-nfs-server-not-in-use', 'service-nis-server-not-in-use', 'service-print-server-not-in-use',
  'service-rpcbind-not-in-use', 'service-rsync-server-not-in-use', 'service-samba-not-in-use',
  'service-snmp-not-in-use', 'service-tftp-server-not-in-use', 'service-web-proxy-not-in-use',
  'service-web-server-not-in-use', 'service-xinetd-not-in-use', 'service-x-server-absent', 'mta-local-only',
  'client-nis-client-absent', 'client-rsh-client-absent', 'client-talk-client-absent', 'client-telnet-client-absent',
  'client-ldap-client-absent', 'client-ftp-client-absent', 'timesync-daemon-in-use', 'timesyncd-enabled',
  'cron-enabled', 'bluetooth-not-in-use', 'nftables-installed', 'sshd-private-host-keys', 'sshd-public-host-keys',
  'sshd-ciphers', 'sshd-gssapi-off', 'sshd-hostbased-off', 'sshd-ignore-rhosts', 'sshd-kex', 'sshd-log-level',
  'sshd-max-sessions', 'sshd-no-empty-passwords', 'sshd-no-user-environment', 'sshd-use-pam', 'sudo-installed',
  'sudo-password-required', 'sudo-reauthentication', 'sudo-timeout', 'pam-runtime-current', 'pam-modules-installed',
  'pam-unix-enabled', 'pam-unix-no-remember', 'pam-unix-strong-hash', 'password-warn-age', 'password-hash-algorithm',
  'password-change-in-past', 'root-only-uid-0', 'root-gid-0', 'group-root-only-gid-0', 'root-access-controlled',
  'root-umask', 'system-accounts-no-shell', 'nologin-not-in-shells', 'journald-enabled',
  'journal-remote-not-listening', 'journald-no-forward-to-syslog', 'journald-compress', 'log-file-access',
  'file-passwd-permissions', 'file-passwd-backup-permissions', 'file-group-permissions',
  'file-group-backup-permissions', 'file-shadow-permissions', 'file-shadow-backup-permissions',
  'file-gshadow-permissions', 'file-gshadow-backup-permissions', 'file-shells-permissions',
  'file-opasswd-permissions', 'no-world-writable', 'no-unowned-files', 'suid-sgid-reviewed', 'passwords-shadowed',
  'no-empty-passwords', 'passwd-groups-exist', 'shadow-group-empty', 'no-duplicate-uids', 'no-duplicate-gids',
  'no-duplicate-user-names', 'no-duplicate-group-names', 'dot-files', 'no-shell-accounts-locked',
]);

/** Default install: controls that do not apply (manual, live-only, the sections of tools not installed). */
const DEFAULT_NOT_APPLICABLE = new Set([
  'kmod-unused-filesystems', 'mount-tmp-nodev', 'mount-tmp-nosuid', 'mount-tmp-noexec', 'mount-dev-shm-nodev',
  'mount-dev-shm-nosuid', 'mount-dev-shm-noexec', 'mount-home-nodev', 'mount-home-nosuid', 'mount-var-nodev',
  'mount-var-nosuid', 'mount-var-tmp-nodev', 'mount-var-tmp-nosuid', 'mount-var-tmp-noexec', 'mount-var-log-nodev',
  'mount-var-log-nosuid', 'mount-var-log-noexec', 'mount-var-log-audit-nodev', 'mount-var-log-audit-nosuid',
  'mount-var-log-audit-noexec', 'apt-gpg-keys', 'apt-repositories', 'apt-updates-applied',
  'gdm-login-banner', 'gdm-disable-user-list',
  'gdm-screen-lock-idle', 'gdm-screen-lock-locked', 'gdm-automount-off', 'gdm-automount-locked', 'gdm-autorun-never',
  'gdm-autorun-locked', 'gdm-xdmcp-off', 'services-listening-approved', 'chrony-servers', 'chrony-user',
  'chrony-enabled', 'at-restricted', 'ipv6-status', 'wireless-disabled', 'ufw-no-iptables-persistent', 'ufw-enabled',
  'ufw-loopback', 'ufw-outbound', 'ufw-open-ports', 'ufw-default-deny', 'nftables-no-ufw',
  'nftables-iptables-flushed', 'nftables-table', 'nftables-base-chains', 'nftables-loopback', 'nftables-outbound',
  'nftables-default-deny', 'nftables-permanent', 'iptables-installed', 'iptables-no-nftables', 'iptables-no-ufw',
  'iptables-default-deny', 'iptables-loopback', 'iptables-outbound', 'iptables-open-ports', 'ip6tables-default-deny',
  'ip6tables-loopback', 'ip6tables-outbound', 'ip6tables-open-ports', 'pwquality-difok', 'pwquality-minlen',
  'pwquality-complexity', 'pwquality-maxrepeat', 'pwquality-maxsequence', 'pwquality-dictcheck',
  'pwquality-enforcing', 'pwquality-enforce-root',
  'journald-file-access', 'journald-rotation', 'journal-upload-configured', 'journal-upload-enabled',
  'rsyslog-enabled', 'journald-forward-to-rsyslog', 'rsyslog-file-create-mode', 'rsyslog-rules', 'rsyslog-remote',
  'rsyslog-not-receiving', 'logrotate-configured', 'auditd-enabled', 'audit-early-boot', 'audit-backlog-limit',
  'auditd-max-log-file', 'auditd-keep-logs', 'auditd-disk-full', 'auditd-space-warning', 'audit-sudoers',
  'audit-actions-as-other-user', 'audit-sudo-log', 'audit-time-change', 'audit-network-environment',
  'audit-privileged-commands', 'audit-access-denied', 'audit-identity', 'audit-permission-changes', 'audit-mounts',
  'audit-session', 'audit-logins', 'audit-deletions', 'audit-mac-changes', 'audit-chcon', 'audit-setfacl',
  'audit-chacl', 'audit-usermod', 'audit-kernel-modules', 'audit-immutable', 'audit-running-matches-disk',
  'audit-log-file-mode', 'audit-log-file-owner', 'audit-log-file-group', 'audit-log-dir-mode', 'audit-config-mode',
  'audit-config-owner', 'audit-config-group', 'audit-tools-mode', 'audit-tools-owner', 'audit-tools-group',
  'aide-scheduled', 'aide-audit-tools',
]);

const RELEASE_PROFILES: Array<[Release, string]> = [['debian-12', 'cis-debian-12.yaml'], ['ubuntu-22.04', 'cis-ubuntu-22.04.yaml'], ['ubuntu-24.04', 'cis-ubuntu-24.04.yaml']];

/** The library id of a profile control (kept as its last tag by `numbering`). */
const libraryId = (p: LoadedProfile, controlId: string) => p.controls.find((c) => c.id === controlId)!.tags.at(-1)!;

function explain(result: AuditResult, id: string): string {
  const c = result.controls.find((x) => x.id === id)!;
  return `${id}: ${c.status}: ${c.summary}`;
}

for (const [release, file] of RELEASE_PROFILES) {
  let profile: LoadedProfile;
  let roots: FixtureRoot[] = [];
  let hardened: AuditResult;
  let weak: AuditResult;
  before(async () => {
    const loaded = await loadProfile(path.join(shippedProfilesDir(), file));
    assert.deepEqual(loaded.errors.map(formatError), []);
    profile = loaded.profile!;
    roots = [await buildFixtureRoot(hardenedTree(release)), await buildFixtureRoot(defaultTree(release))];
    hardened = await runAudit({ profiles: [profile], root: new HostRoot(roots[0]!.dir) });
    weak = await runAudit({ profiles: [profile], root: new HostRoot(roots[1]!.dir) });
  });
  after(async () => {
    for (const r of roots) await r.cleanup();
  });

  test(`${release}: hardened root: every control passes except those that do not apply`, () => {
    assert.equal(hardened.controls.length, profile.controls.length);
    const wrong = hardened.controls.filter((c) => c.status !== (HARDENED_NOT_APPLICABLE.has(libraryId(profile, c.id)) ? 'not_applicable' : 'pass')).map((c) => explain(hardened, c.id));
    assert.deepEqual(wrong, []);
    assert.equal(hardened.summary.score, 100);
  });

  test(`${release}: default install: the expected status of every control`, () => {
    const expected = (id: string): ControlStatus => DEFAULT_PASS.has(id) ? 'pass' : DEFAULT_NOT_APPLICABLE.has(id) ? 'not_applicable' : 'fail';
    const wrong = weak.controls.filter((c) => c.status !== expected(libraryId(profile, c.id))).map((c) => `${explain(weak, c.id)} (expected ${expected(libraryId(profile, c.id))})`);
    assert.deepEqual(wrong, []);
    const failed = weak.controls.filter((c) => c.status === 'fail');
    assert.ok(failed.length >= 80, `${failed.length} failures on a default install`);
    assert.ok(failed.every((c) => c.checks.some((k) => k.status === 'fail' && (k.evidence.length > 0 || k.summary.length > 0))), 'every failure says why');
  });
}
