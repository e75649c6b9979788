/**
 * osquery's `rpm_packages`: packages in the RPM database of the root, read from rpm's
 * SQLite backend (rpmdb.sqlite in /var/lib/rpm or /usr/lib/sysimage/rpm: RHEL 9, Fedora
 * 33+, SUSE) by decoding each stored header. The older BerkeleyDB (Packages) and ndb
 * (Packages.db) backends are not read: a warning says so. No RPM database: no rows.
 */
import Database from 'better-sqlite3';
import type { HostRoot } from '../../core/host-root.js';
import type { Row, Table, TableSpec } from '../table.js';
import { resolveSync } from '../path-constraints.js';
import { statSync } from './host-files.js';
import { RPM_TAGS, decodeRpmHeader, type HeaderValue } from './rpm-header.js';

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

export const RPMDB_DIRS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];

const text = (v: HeaderValue | undefined) => (typeof v === 'string' ? v : Array.isArray(v) ? v[0] ?? '' : '');
const num = (v: HeaderValue | undefined) => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null);

export function packageRows(root: HostRoot, dbPath: string): Row[] {
  const db = new Database(resolveSync(root, dbPath), { readonly: true, fileMustExist: true });
  try {
    const rows: Row[] = [];
    for (const { blob } of db.prepare('SELECT blob FROM Packages ORDER BY hnum').all() as Array<{ blob: Buffer }>) {
      const h = decodeRpmHeader(blob);
      const name = text(h.get(RPM_TAGS.NAME));
      if (!name || name === 'gpg-pubkey') continue; // imported signing keys are pseudo-packages
      rows.push({
        name, version: text(h.get(RPM_TAGS.VERSION)), release: text(h.get(RPM_TAGS.RELEASE)), source: text(h.get(RPM_TAGS.SOURCERPM)),
        size: num(h.get(RPM_TAGS.LONGSIZE)) ?? num(h.get(RPM_TAGS.SIZE)), sha1: text(h.get(RPM_TAGS.SHA1HEADER)),
        arch: text(h.get(RPM_TAGS.ARCH)), epoch: num(h.get(RPM_TAGS.EPOCH)), install_time: num(h.get(RPM_TAGS.INSTALLTIME)),
        vendor: text(h.get(RPM_TAGS.VENDOR)), package_group: text(h.get(RPM_TAGS.GROUP)), pid_with_namespace: null, mount_namespace_id: '',
      });
    }
    return rows;
  } finally {
    db.close();
  }
}

export const table: Table = {
  spec,
  *generate(ctx) {
    for (const dir of RPMDB_DIRS) {
      if (statSync(ctx.root, `${dir}/rpmdb.sqlite`)?.isFile()) {
        try {
          yield* packageRows(ctx.root, `${dir}/rpmdb.sqlite`);
        } catch (err) {
          ctx.warn(`rpm_packages: ${dir}/rpmdb.sqlite: ${(err as Error).message}`);
        }
        return;
      }
      for (const legacy of ['Packages', 'Packages.db']) {
        if (statSync(ctx.root, `${dir}/${legacy}`)?.isFile()) {
          ctx.warn(`rpm_packages: ${dir}/${legacy} is a ${legacy === 'Packages' ? 'BerkeleyDB' : 'ndb'} RPM database, which is not read (only rpm's SQLite backend is)`);
          return;
        }
      }
    }
  },
};
