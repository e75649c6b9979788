/**
 * A real Debian 12 root (debootstrap --variant=minbase from Debian's mirror), audited with the
 * cis-debian-12 profile as shipped, then hardened the way the controls' remediations say
 * (packages installed with apt in the chroot, configuration files written, units enabled by
 * link as systemctl enable does), and audited again. Run by hand (needs root and the mirror):
 *
 *   node --import tsx bench/profiles/real-root.ts [WORKDIR]     (default /var/tmp/spyglass-bench)
 *
 * Prints the status counts before and after, every control that did not turn to pass with the
 * reason, and the audit times; the figures go to bench/profiles/RESULTS.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { HostRoot } from '../../src/core/host-root.js';
import { runAudit } from '../../src/audit/engine.js';
import { loadProfile } from '../../src/audit/profile/load-profile.js';
import { shippedProfilesDir } from '../../src/audit/profile/shipped-profiles.js';
import type { AuditResult } from '../../src/audit/result.js';
import { hardenedTree } from '../../test/profiles/cis-fixtures.js';

const work = process.argv[2] ?? '/var/tmp/spyglass-bench';
const shipped = path.join(work, 'bookworm');
const hardened = path.join(work, 'bookworm-hardened');

function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): void {
  execFileSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...opts.env } });
}

/** Files of the hardened fixture that are not configuration a remediation writes. */
function isRemediationFile(p: string): boolean {
  return !(p.startsWith('/usr/lib/systemd/system/') || p.startsWith('/lib/modules/') || p === '/sbin' || p.startsWith('/sbin/') || p.startsWith('/usr/sbin/') || p === '/var/lib/dpkg/status' || p === '/etc/os-release'
    || /^\/etc\/(passwd|group|shadow|gshadow)-?$/.test(p) || p.startsWith('/home/') || p === '/var/log/audit/audit.log' || p === '/etc/ssh/ssh_host_ed25519_key' || p === '/etc/ssh/ssh_host_ed25519_key.pub');
}

async function harden(root: string): Promise<void> {
  // packages the remediations install (apt in the chroot, services not started)
  await fsp.writeFile(path.join(root, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  run('chroot', [root, 'apt-get', 'update', '-qq']);
  run('chroot', [root, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'apparmor', 'apparmor-utils', 'sudo', 'libpam-pwquality', 'auditd', 'audispd-plugins',
    'aide', 'aide-common', 'nftables', 'openssh-server', 'cron', 'systemd-timesyncd', 'systemd-journal-remote', 'grub-common'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  await fsp.rm(path.join(root, 'usr/sbin/policy-rc.d'));
  // configuration files as the remediations write them (the hardened fixture's files)
  for (const [p, entry] of Object.entries(hardenedTree('debian-12'))) {
    if (!isRemediationFile(p)) continue;
    const target = path.join(root, p);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    if (typeof entry === 'string') await fsp.writeFile(target, entry);
    else if ('symlink' in entry) {
      await fsp.rm(target, { force: true });
      // enable: link to the unit where the package installed it
      const unit = path.basename(entry.symlink);
      const real = ['/usr/lib/systemd/system', '/lib/systemd/system'].map((d) => `${d}/${unit}`).find((u) => existsSync(path.join(root, u)));
      if (real) await fsp.symlink(real, target);
    } else if ('dir' in entry) {
      await fsp.mkdir(target, { recursive: true });
      if (entry.mode !== undefined) await fsp.chmod(target, entry.mode);
    } else {
      await fsp.writeFile(target, entry.content);
      if (entry.mode !== undefined) await fsp.chmod(target, entry.mode);
    }
  }
  // remediations that change existing files rather than write new ones
  run('chroot', [root, 'chmod', 'og-rwx', '/etc/ssh/sshd_config']);
  run('chroot', [root, 'sh', '-c', 'for u in $(awk -F: \'$3>=1000 && $7!~/nologin|false/ {print $1}\' /etc/passwd); do chage --maxdays 365 --mindays 1 --warndays 7 --inactive 45 $u; done; true']);
  run('chroot', [root, 'sh', '-c', 'groupadd -f sugroup; chmod 0640 /var/log/audit/* 2>/dev/null; true']);
  // 6.2.3.6: one rule per SUID/SGID program of this root, as the remediation lists them
  run('chroot', [root, 'sh', '-c', "find / -xdev -perm /6000 -type f 2>/dev/null | sort | sed 's|.*|-a always,exit -F path=& -F perm=x -F auid>=1000 -F auid!=unset -k privileged|' > /etc/audit/rules.d/51-privileged.rules; chmod 0640 /etc/audit/rules.d/51-privileged.rules"]);
}

async function audit(root: string): Promise<{ result: AuditResult; ms: number }> {
  const p = (await loadProfile(path.join(shippedProfilesDir(), 'cis-debian-12.yaml'))).profile!;
  const t0 = performance.now();
  const result = await runAudit({ profiles: [p], root: new HostRoot(root) });
  return { result, ms: performance.now() - t0 };
}

function counts(r: AuditResult): string {
  const c: Record<string, number> = {};
  for (const x of r.controls) c[x.status] = (c[x.status] ?? 0) + 1;
  return Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ') + `; score ${r.summary.score}`;
}

if (!existsSync(path.join(shipped, 'etc/os-release'))) {
  const t0 = performance.now();
  run('debootstrap', ['--variant=minbase', 'bookworm', shipped, 'http://deb.debian.org/debian']);
  console.log(`debootstrap: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
const before = await audit(shipped);
console.log(`as shipped: ${counts(before.result)} (${before.ms.toFixed(0)} ms)`);
await fsp.rm(hardened, { recursive: true, force: true });
run('cp', ['-a', shipped, hardened]);
await harden(hardened);
const after = await audit(hardened);
console.log(`hardened:   ${counts(after.result)} (${after.ms.toFixed(0)} ms)`);
for (const c of after.result.controls) {
  if (c.status === 'pass') continue;
  const was = before.result.controls.find((x) => x.id === c.id)!.status;
  console.log(`  ${c.id.padEnd(11)} ${was.padEnd(14)} -> ${c.status.padEnd(14)} ${c.summary.slice(0, 160)}`);
}
