/**
 * One list of installed packages from whichever package databases a root has: dpkg
 * (/var/lib/dpkg/status), rpm (rpmdb.sqlite) and apk (/lib/apk/db/installed). Each package
 * carries its source package and source version, the unit distributions publish security
 * data for. A database that exists but cannot be read is reported in `problems`: callers
 * must treat the list as incomplete then, never as the whole truth.
 */
import type { HostRoot } from '../../core/host-root.js';
import { SpyglassError, toSpyglassError } from '../../core/errors.js';
import { DPKG_STATUS_PATH, readDpkgStatus } from './dpkg-status.js';
import { findRpmSqlite, readRpmDatabase, RPMDB_DIRS } from './rpm-db.js';
import { APK_INSTALLED_PATH, readApkInstalled } from './apk-db.js';

export type PackageFormat = 'deb' | 'rpm' | 'apk';

export interface InstalledPackage {
  format: PackageFormat;
  /** binary package name */
  name: string;
  /** binary version as the packaging system writes it (rpm: "E:V-R", epoch only when set) */
  version: string;
  arch: string;
  /** source package (dpkg Source:, rpm SOURCERPM name, apk origin) */
  source: string;
  /** source version (dpkg "Source: x (v)", rpm's source EVR, apk: the binary version) */
  sourceVersion: string;
}

export interface PackageDatabase {
  format: PackageFormat;
  /** host path of the database file */
  path: string;
  packages: number;
}

export interface InstalledPackages {
  packages: InstalledPackage[];
  databases: PackageDatabase[];
  /** databases that exist but could not be read: the package list is incomplete */
  problems: SpyglassError[];
}

/** dpkg states in which the package's files are on disk (everything but these two). */
const DPKG_ABSENT_STATES = new Set(['not-installed', 'config-files']);

export async function readInstalledPackages(root: HostRoot): Promise<InstalledPackages> {
  const result: InstalledPackages = { packages: [], databases: [], problems: [] };
  const attempt = async (format: PackageFormat, path: string, read: () => Promise<InstalledPackage[] | undefined>) => {
    try {
      const list = await read();
      if (list === undefined) return;
      result.packages.push(...list);
      result.databases.push({ format, path, packages: list.length });
    } catch (err) {
      const e = toSpyglassError(err, 'package_db_unreadable', { file: path });
      result.problems.push(e.code === 'package_db_unreadable' || e.message.includes(path) ? e : new SpyglassError(e.code, `${path}: ${e.message}`, e.context, { cause: err }));
    }
  };

  await attempt('deb', DPKG_STATUS_PATH, async () => {
    const pkgs = await readDpkgStatus(root);
    return pkgs
      ?.filter((p) => !DPKG_ABSENT_STATES.has(p.status.split(/\s+/)[2] ?? ''))
      .map((p) => ({ format: 'deb' as const, name: p.name, version: p.version, arch: p.architecture, source: p.source, sourceVersion: p.sourceVersion }));
  });
  await attempt('rpm', (await findRpmSqlite(root)) ?? `${RPMDB_DIRS[0]}/rpmdb.sqlite`, async () => {
    const pkgs = await readRpmDatabase(root);
    return pkgs
      ?.filter((p) => p.name !== 'gpg-pubkey') // imported signing keys, not software
      .map((p) => ({ format: 'rpm' as const, name: p.name, version: p.evr, arch: p.arch, source: p.source, sourceVersion: p.sourceVersion }));
  });
  await attempt('apk', APK_INSTALLED_PATH, async () => {
    const pkgs = await readApkInstalled(root);
    return pkgs?.map((p) => ({ format: 'apk' as const, name: p.name, version: p.version, arch: p.arch, source: p.origin, sourceVersion: p.version }));
  });
  return result;
}
