/**
 * osquery's `rpm_packages`: packages in the RPM database of the root, read from rpm's
 * SQLite backend (rpmdb.sqlite in /var/lib/rpm or /usr/lib/sysimage/rpm: RHEL 9, Fedora
 * 33+, SUSE) by decoding each stored header (src/host/packages/rpm-db.ts, the reader the
 * audit and the vulnerability scanner use). The older BerkeleyDB (Packages) and ndb
 * (Packages.db) backends are not read: a warning says so. No RPM database: no rows.
 */
import type { Row, Table, TableSpec } from '../table.js';
import { isRpmSigningKey, readRpmDatabaseSync, type RpmPackage } from '../../host/packages/rpm-db.js';

const spec: TableSpec = {
  name: "rpm_packages",
  description: "RPM packages that are currently installed on the host system.",
  columns: [
    { name: "name", type: "TEXT", description: "RPM package name", index: true },
    { name: "version", type: "TEXT", description: "Package version", index: true },
    { name: "release", type: "TEXT", description: "Package release", index: true },
    { name: "source", type: "TEXT", description: "Source RPM package name (optional)" },
    { name: "size", type: "BIGINT", description: "Package size in bytes" },
    { name: "sha1", type: "TEXT", description: "SHA1 hash of the package contents" },
    { name: "arch", type: "TEXT", description: "Architecture(s) supported", index: true },
    { name: "epoch", type: "INTEGER", description: "Package epoch value", index: true },
    { name: "install_time", type: "INTEGER", description: "When the package was installed" },
    { name: "vendor", type: "TEXT", description: "Package vendor" },
    { name: "package_group", type: "TEXT", description: "Package group" },
    { name: "pid_with_namespace", type: "INTEGER", description: "", hidden: true, index: true },
    { name: "mount_namespace_id", type: "TEXT", description: "", hidden: true },
  ],
  examples: ["select name, version, release, arch from rpm_packages where name = 'openssl'"],
};

export function packageRow(p: RpmPackage): Row {
  return {
    name: p.name, version: p.version, release: p.release, source: p.sourceRpm, size: p.size ?? null, sha1: p.sha1Header,
    arch: p.arch, epoch: p.epoch ?? null, install_time: p.installTime ?? null, vendor: p.vendor, package_group: p.group,
    pid_with_namespace: null, mount_namespace_id: '',
  };
}

export const table: Table = {
  spec,
  *generate(ctx) {
    let packages: RpmPackage[] | undefined;
    try {
      // a damaged header row is reported and skipped: the other packages are still listed
      packages = readRpmDatabaseSync(ctx.root, { onDamagedRow: (err) => ctx.warn(`rpm_packages: ${err.message}`) });
    } catch (err) {
      ctx.warn(`rpm_packages: ${(err as Error).message}`);
      return;
    }
    for (const p of packages ?? []) if (!isRpmSigningKey(p)) yield packageRow(p);
  },
};
