/**
 * osquery's `rpm_packages`: packages in the RPM database of the root, read from rpm's
 * SQLite backend (rpmdb.sqlite in /var/lib/rpm or /usr/lib/sysimage/rpm: RHEL 9, Fedora
 * 33+, SUSE) by decoding each stored header (src/host/packages/rpm-db.ts, the reader the
 * audit and the vulnerability scanner use). The older BerkeleyDB (Packages) and ndb
 * (Packages.db) backends are not read: a warning says so. No RPM database: no rows.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { isRpmSigningKey, readRpmDatabaseSync, type RpmPackage } from '../../host/packages/rpm-db.js';

const spec = osqueryTableSpec('rpm_packages');

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
