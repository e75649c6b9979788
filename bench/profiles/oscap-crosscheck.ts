/**
 * Cross-check against OpenSCAP (a tool no one here wrote): the ssg-debian11 rules that test
 * the same thing as a cis-debian-12 control, evaluated by `oscap xccdf eval` (datastream
 * patched to accept Debian 12, as bench/audit/run.sh does) and by Spyglass in the same run, on
 * the live host and on the hardened and default fixture roots of test/profiles (oscap through
 * OSCAP_PROBE_ROOT); prints the agreement tables (markdown) for bench/profiles/RESULTS.md.
 *
 *   node --import tsx bench/profiles/oscap-crosscheck.ts      (root; oscap + ssg-debian installed)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HostRoot } from '../../src/core/host-root.js';
import { runAudit } from '../../src/audit/engine.js';
import { loadProfile } from '../../src/audit/profile/load-profile.js';
import { shippedProfilesDir } from '../../src/audit/profile/shipped-profiles.js';
import { buildFixtureRoot } from '../../test/helpers/fixture-root.js';
import { defaultTree, hardenedTree } from '../../test/profiles/cis-fixtures.js';

/** ssg rule (short name) -> cis-debian-12 library id whose verdict it should equal. */
const RULES: Record<string, string> = {
  sshd_disable_root_login: 'sshd-no-root-login', sshd_disable_empty_passwords: 'sshd-no-empty-passwords', sshd_do_not_permit_user_env: 'sshd-no-user-environment',
  disable_host_auth: 'sshd-hostbased-off', sshd_disable_rhosts: 'sshd-ignore-rhosts', sshd_set_max_auth_tries: 'sshd-max-auth-tries', sshd_enable_warning_banner_net: 'sshd-banner',
  sshd_set_loglevel_info: 'sshd-log-level', sshd_disable_gssapi_auth: 'sshd-gssapi-off', sshd_enable_pam: 'sshd-use-pam', sshd_set_max_sessions: 'sshd-max-sessions',
  file_permissions_sshd_config: 'sshd-config-permissions',
  sysctl_kernel_randomize_va_space: 'aslr-enabled', sysctl_fs_suid_dumpable: 'core-dumps-restricted', sysctl_net_ipv4_ip_forward: 'ip-forwarding-off',
  sysctl_net_ipv4_conf_all_send_redirects: 'send-redirects-off', sysctl_net_ipv4_tcp_syncookies: 'tcp-syncookies', sysctl_net_ipv4_icmp_echo_ignore_broadcasts: 'icmp-broadcast-ignored',
  sysctl_net_ipv4_icmp_ignore_bogus_error_responses: 'icmp-bogus-errors-ignored', sysctl_net_ipv4_conf_all_accept_redirects: 'icmp-redirects-refused',
  sysctl_net_ipv4_conf_all_secure_redirects: 'secure-redirects-refused', sysctl_net_ipv4_conf_all_rp_filter: 'reverse-path-filter',
  sysctl_net_ipv4_conf_all_accept_source_route: 'source-route-refused', sysctl_net_ipv4_conf_all_log_martians: 'log-martians', sysctl_net_ipv6_conf_all_accept_ra: 'ipv6-router-advertisements-refused',
  file_permissions_etc_passwd: 'file-passwd-permissions', file_permissions_etc_shadow: 'file-shadow-permissions', file_permissions_etc_group: 'file-group-permissions',
  file_permissions_etc_gshadow: 'file-gshadow-permissions', file_permissions_crontab: 'cron-crontab-permissions', file_permissions_cron_hourly: 'cron-hourly-permissions',
  file_permissions_cron_daily: 'cron-daily-permissions', file_permissions_cron_weekly: 'cron-weekly-permissions', file_permissions_cron_monthly: 'cron-monthly-permissions',
  file_permissions_cron_d: 'cron-d-permissions', package_telnet_removed: 'client-telnet-client-absent', package_rsh_removed: 'client-rsh-client-absent',
  package_nis_removed: 'client-nis-client-absent', package_talk_removed: 'client-talk-client-absent', package_prelink_removed: 'prelink-absent',
  accounts_maximum_age_login_defs: 'password-max-age', accounts_minimum_age_login_defs: 'password-min-age', accounts_password_warn_age_login_defs: 'password-warn-age',
  accounts_no_uid_except_zero: 'root-only-uid-0', no_empty_passwords_etc_shadow: 'no-empty-passwords', kernel_module_cramfs_disabled: 'kmod-cramfs-disabled',
  kernel_module_freevxfs_disabled: 'kmod-freevxfs-disabled', kernel_module_hfs_disabled: 'kmod-hfs-disabled', kernel_module_hfsplus_disabled: 'kmod-hfsplus-disabled',
  kernel_module_jffs2_disabled: 'kmod-jffs2-disabled', kernel_module_udf_disabled: 'kmod-udf-disabled', 'kernel_module_usb-storage_disabled': 'kmod-usb-storage-disabled',
  kernel_module_dccp_disabled: 'kmod-dccp-disabled', kernel_module_sctp_disabled: 'kmod-sctp-disabled', kernel_module_rds_disabled: 'kmod-rds-disabled', kernel_module_tipc_disabled: 'kmod-tipc-disabled',
  partition_for_tmp: 'mount-tmp-separate', partition_for_var: 'mount-var-separate', partition_for_home: 'mount-home-separate', partition_for_var_log: 'mount-var-log-separate',
  partition_for_var_log_audit: 'mount-var-log-audit-separate', package_audit_installed: 'auditd-installed', service_auditd_enabled: 'auditd-enabled', package_aide_installed: 'aide-installed',
  grub2_password: 'grub-password', file_permissions_grub2_cfg: 'grub-cfg-permissions', package_sudo_installed: 'sudo-installed', sudo_add_use_pty: 'sudo-use-pty',
  sudo_custom_logfile: 'sudo-logfile', package_apparmor_installed: 'apparmor-installed', grub2_audit_argument: 'audit-early-boot', service_cron_enabled: 'cron-enabled',
  no_shelllogin_for_systemaccounts: 'system-accounts-no-shell', accounts_root_gid_zero: 'root-gid-0', banner_etc_issue: 'banner-issue', package_xinetd_removed: 'service-xinetd-not-in-use',
  package_avahi_removed: 'service-avahi-not-in-use', package_cups_removed: 'service-print-server-not-in-use', package_rsync_removed: 'service-rsync-server-not-in-use',
  package_squid_removed: 'service-web-proxy-not-in-use', package_samba_removed: 'service-samba-not-in-use', 'package_net-snmp_removed': 'service-snmp-not-in-use',
  package_vsftpd_removed: 'service-ftp-server-not-in-use', package_bind_removed: 'service-dns-server-not-in-use', package_dhcp_removed: 'service-dhcp-server-not-in-use',
};
const PREFIX = 'xccdf_org.ssgproject.content_rule_';
const DS = '/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'spyglass-oscap-'));
try {
  const ds = readFileSync(DS, 'utf8').replaceAll('^11.[0-9]+$', '^1[12].[0-9]+$')
    .replaceAll('<unix:filepath datatype="string">/.dockerenv</unix:filepath>', '<unix:filepath datatype="string">/.spyglass-not-a-container</unix:filepath>')
    .replaceAll('<unix:filepath datatype="string">/run/.containerenv</unix:filepath>', '<unix:filepath datatype="string">/run/.spyglass-not-a-container</unix:filepath>');
  const patched = path.join(tmp, 'ds.xml');
  writeFileSync(patched, ds);
  const present = Object.keys(RULES).filter((r) => ds.includes(`id="${PREFIX}${r}"`));
  const targets: Array<[string, string, (() => Promise<void>) | undefined]> = [['live host', '/', undefined]];
  for (const [label, tree] of [['hardened fixture', hardenedTree('debian-12')], ['default fixture', defaultTree('debian-12')]] as const) {
    const f = await buildFixtureRoot({ ...tree, '/etc/debian_version': '12.8\n' });
    targets.push([label, f.dir, f.cleanup]);
  }
  for (const [label, rootDir, cleanup] of targets) {
    await crossCheck(label, rootDir);
    await cleanup?.();
  }

  async function crossCheck(label: string, rootDir: string): Promise<void> {
    const results = path.join(tmp, `results-${label}.xml`);
    const t0 = performance.now();
    try {
      execFileSync('oscap', ['xccdf', 'eval', '--profile', 'xccdf_org.ssgproject.content_profile_anssi_np_nt28_high', ...present.flatMap((r) => ['--rule', PREFIX + r]), '--results', results, patched], { stdio: 'ignore', env: rootDir === '/' ? process.env : { ...process.env, OSCAP_PROBE_ROOT: rootDir } });
    } catch { /* oscap exits 2 when a rule fails */ }
    const oscapMs = performance.now() - t0;
    const xml = readFileSync(results, 'utf8');
    const oscap = new Map<string, string>();
    for (const m of xml.matchAll(/<rule-result[^>]*idref="([^"]+)"[\s\S]*?<result>([a-z]+)<\/result>/g)) oscap.set(m[1]!.slice(PREFIX.length), m[2]!);

    const p = (await loadProfile(path.join(shippedProfilesDir(), 'cis-debian-12.yaml'))).profile!;
    const t1 = performance.now();
    const ours = await runAudit({ profiles: [p], root: new HostRoot(rootDir) });
    const spyMs = performance.now() - t1;
    const byLib = new Map(ours.controls.map((c) => [p.controls.find((x) => x.id === c.id)!.tags.at(-1)!, c]));

    const rows: string[] = [];
    let agree = 0; let compared = 0;
    for (const r of present) {
      const o = oscap.get(r) ?? 'not evaluated';
      const c = byLib.get(RULES[r]!);
      if (!c) continue;
      const same = (o === 'pass' && c.status === 'pass') || (o === 'fail' && c.status === 'fail') || (o === 'notapplicable' && c.status === 'not_applicable');
      if (o === 'pass' || o === 'fail' || o === 'notapplicable') compared++;
      if (same) agree++;
      rows.push(`| ${r} | ${o} | ${c.id} ${RULES[r]} | ${c.status} | ${same ? 'agree' : '**differ**'} | ${same ? '' : c.summary.replace(/\|/g, '/').slice(0, 140)} |`);
    }
    console.log(`\n### ${label}\n\noscap (${present.length} mapped rules of ${Object.keys(RULES).length} in the datastream, --rule): ${(oscapMs / 1000).toFixed(1)} s; spyglass cis-debian-12 (${ours.controls.length} controls): ${(spyMs / 1000).toFixed(1)} s`);
    console.log(`agreement: ${agree} of ${compared} rules with a verdict\n`);
    console.log('| ssg rule | oscap | spyglass control | spyglass | | spyglass evidence where they differ |\n|---|---|---|---|---|---|');
    for (const r of rows) console.log(r);

  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
