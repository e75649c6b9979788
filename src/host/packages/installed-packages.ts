/**
 * One view of installed packages for every consumer (the audit's `package` check, the
 * vulnerability scanner): whichever of dpkg (/var/lib/dpkg/status), rpm (rpmdb.sqlite) and
 * apk (/lib/apk/db/installed) a root has, mapped to `InstalledPackage`. Each package carries
 * its source package and source version, the unit distributions publish security data for,
 * its database state and what it Provides. A database that exists but cannot be read is
 * reported in `problems`: callers must treat the list as incomplete then, never as the whole
 * truth. The SQL tables (deb_packages, rpm_packages) read the same per-format parsers for the
 * columns only one format has.
 */
import type { HostRoot } from '../../core/host-root.js';
import { SpyglassError, toSpyglassError } from '../../core/errors.js';
import { DPKG_STATUS_PATH, dpkgState, readDpkgStatus, type DpkgPackage, type DpkgProvide } from './dpkg-status.js';
import { findRpmSqlite, isRpmSigningKey, readRpmDatabase, RPMDB_DIRS, type RpmPackage } from './rpm-db.js';
import { APK_INSTALLED_PATH, readApkInstalled, type ApkPackage } from './apk-db.js';
import { compareDpkgVersions } from './dpkg-version.js';
import { compareRpmVersions } from './rpm-version.js';
import { compareApkVersions } from './apk-version.js';

export type PackageFormat = 'deb' | 'rpm' | 'apk';

/** The order in which a root's databases name its package manager (a Debian host with the rpm tool installed is still a dpkg system). */
export const PACKAGE_FORMATS: readonly PackageFormat[] = ['deb', 'rpm', 'apk'];

/** Each format's own version order: negative, zero, positive. */
export const VERSION_ORDER: Record<PackageFormat, (a: string, b: string) => number> = {
  deb: compareDpkgVersions,
  rpm: compareRpmVersions,
  apk: compareApkVersions,
};

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
  /** the database's state word: dpkg's (third word of Status:, e.g. "installed", "config-files"); "installed" for rpm and apk */
  state: string;
  /** Provides entries (dpkg only; rpm and apk Provides are not read) */
  provides: DpkgProvide[];
}

/** dpkg states in which the package's files are not on disk. */
const ABSENT_STATES = new Set(['not-installed', 'config-files']);

/** True when the package's files are on disk (any dpkg state but not-installed and config-files). */
export function filesPresent(p: InstalledPackage): boolean {
  return !ABSENT_STATES.has(p.state);
}

export function fromDpkg(p: DpkgPackage): InstalledPackage {
  return { format: 'deb', name: p.name, version: p.version, arch: p.architecture, source: p.source, sourceVersion: p.sourceVersion, state: dpkgState(p.status), provides: p.provides };
}

export function fromRpm(p: RpmPackage): InstalledPackage {
  return { format: 'rpm', name: p.name, version: p.evr, arch: p.arch, source: p.source, sourceVersion: p.sourceVersion, state: 'installed', provides: [] };
}

export function fromApk(p: ApkPackage): InstalledPackage {
  return { format: 'apk', name: p.name, version: p.version, arch: p.arch, source: p.origin, sourceVersion: p.version, state: 'installed', provides: [] };
}

export interface PackageDatabaseContents {
  format: PackageFormat;
  /** host path of the database file */
  path: string;
  /** every entry of the database, in its order (dpkg: removed packages too, with their state) */
  packages: InstalledPackage[];
}

/**
 * One format's database of a root; undefined when the root has none. A database that exists
 * but cannot be read throws SpyglassError naming it.
 */
export async function readPackageDatabaseOf(root: HostRoot, format: PackageFormat): Promise<PackageDatabaseContents | undefined> {
  switch (format) {
    case 'deb': {
      const pkgs = await readDpkgStatus(root);
      return pkgs && { format, path: DPKG_STATUS_PATH, packages: pkgs.map(fromDpkg) };
    }
    case 'rpm': {
      const pkgs = await readRpmDatabase(root);
      return pkgs && { format, path: await rpmDatabasePath(root), packages: pkgs.map(fromRpm) };
    }
    case 'apk': {
      const pkgs = await readApkInstalled(root);
      return pkgs && { format, path: APK_INSTALLED_PATH, packages: pkgs.map(fromApk) };
    }
  }
}

/** Where a format's database is (or would be) on a root, for evidence and problems. */
async function databasePath(root: HostRoot, format: PackageFormat): Promise<string> {
  return format === 'deb' ? DPKG_STATUS_PATH : format === 'rpm' ? rpmDatabasePath(root) : APK_INSTALLED_PATH;
}

async function rpmDatabasePath(root: HostRoot): Promise<string> {
  return (await findRpmSqlite(root)) ?? `${RPMDB_DIRS[0]}/rpmdb.sqlite`;
}

/** A read error as a problem that names the database file. */
export function databaseProblem(err: unknown, path: string): SpyglassError {
  const e = toSpyglassError(err, 'package_db_unreadable', { file: path });
  return e.code === 'package_db_unreadable' || e.message.includes(path) ? e : new SpyglassError(e.code, `${path}: ${e.message}`, e.context, { cause: err });
}

/**
 * The root's package manager database: the first of dpkg, rpm, apk that is present. A
 * present database that cannot be read throws (the caller cannot fall back to another one).
 */
export async function readSystemPackageDatabase(root: HostRoot): Promise<PackageDatabaseContents | undefined> {
  for (const format of PACKAGE_FORMATS) {
    const db = await readPackageDatabaseOf(root, format);
    if (db) return db;
  }
  return undefined;
}

export interface PackageDatabase {
  format: PackageFormat;
  /** host path of the database file */
  path: string;
  packages: number;
}

export interface InstalledPackages {
  /** packages whose files are on disk, from every database (rpm signing keys left out) */
  packages: InstalledPackage[];
  databases: PackageDatabase[];
  /** databases that exist but could not be read: the package list is incomplete */
  problems: SpyglassError[];
}

/** The software installed on a root, from every package database it has. */
export async function readInstalledPackages(root: HostRoot): Promise<InstalledPackages> {
  const result: InstalledPackages = { packages: [], databases: [], problems: [] };
  for (const format of PACKAGE_FORMATS) {
    try {
      const db = await readPackageDatabaseOf(root, format);
      if (!db) continue;
      const present = db.packages.filter((p) => filesPresent(p) && !isRpmSigningKey(p));
      result.packages.push(...present);
      result.databases.push({ format, path: db.path, packages: present.length });
    } catch (err) {
      result.problems.push(databaseProblem(err, await databasePath(root, format)));
    }
  }
  return result;
}
