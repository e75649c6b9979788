/**
 * The installed-package view the `package` check reads, parsed once per audit and indexed by
 * name and by what each package Provides: the root's dpkg status database, else its rpm
 * database (rpmdb.sqlite, src/packages/rpm-db.ts), else Alpine's apk database — the first one
 * present is the system's package manager (a Debian host with the rpm tool installed is still
 * a dpkg system). Versions compare in that database's own order. dpkg states are
 * sorted into "configured" (installed, triggers-pending, triggers-awaited: dpkg itself counts
 * these as satisfying dependencies), "files present but not configured" (unpacked,
 * half-installed, half-configured) and "not installed" (not-installed, config-files).
 */
import type { HostRoot } from '../../../core/host-root.js';
import { DPKG_STATUS_PATH, parseDpkgStatus, type DpkgPackage } from '../../../host/packages/dpkg-status.js';
import { compareDpkgVersions } from '../../../host/packages/dpkg-version.js';
import { readRpmDatabase, RPMDB_DIRS, type RpmPackage } from '../../../host/packages/rpm-db.js';
import { compareRpmVersions } from '../../../host/packages/rpm-version.js';
import { APK_INSTALLED_PATH, readApkInstalled, type ApkPackage } from '../../../host/packages/apk-db.js';
import { compareApkVersions } from '../../../host/packages/apk-version.js';
import type { CheckContext } from '../../check.js';

export type InstallState = 'configured' | 'unconfigured' | 'not_installed';

export interface InstalledPackage {
  name: string;
  architecture: string;
  version: string;
  /** the database's state word: dpkg's (third word of Status:, e.g. "installed", "config-files"); "installed" for rpm and apk */
  dpkgState: string;
  state: InstallState;
  /** Provides entries with their version when the relation gives one ("foo (= 1.2)") */
  provides: { name: string; version?: string }[];
}

export type PackageDatabaseKind = 'dpkg' | 'rpm' | 'apk';

export interface PackageDatabase {
  kind: PackageDatabaseKind;
  /** host path of the database file */
  source: string;
  /** the database's version order: negative, zero, positive */
  compare(a: string, b: string): number;
  packages: InstalledPackage[];
  byName: Map<string, InstalledPackage[]>;
  providers: Map<string, { pkg: InstalledPackage; version?: string }[]>;
}

export function installState(dpkgState: string): InstallState {
  switch (dpkgState) {
    case 'installed': case 'triggers-pending': case 'triggers-awaited': return 'configured';
    case 'unpacked': case 'half-installed': case 'half-configured': return 'unconfigured';
    default: return 'not_installed';
  }
}

function parseProvides(field: string | undefined): { name: string; version?: string }[] {
  const out: { name: string; version?: string }[] = [];
  for (const item of (field ?? '').split(',')) {
    const m = /^\s*([^\s(]+)\s*(?:\(\s*=\s*([^)\s]+)\s*\))?\s*$/.exec(item);
    if (m) out.push(m[2] ? { name: m[1]!, version: m[2] } : { name: m[1]! });
  }
  return out;
}

function indexPackages(kind: PackageDatabaseKind, source: string, compare: (a: string, b: string) => number, packages: InstalledPackage[]): PackageDatabase {
  const byName = new Map<string, InstalledPackage[]>();
  const providers = new Map<string, { pkg: InstalledPackage; version?: string }[]>();
  for (const pkg of packages) {
    byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
    for (const pr of pkg.provides) providers.set(pr.name, [...(providers.get(pr.name) ?? []), pr.version ? { pkg, version: pr.version } : { pkg }]);
  }
  return { kind, source, compare, packages, byName, providers };
}

export function buildPackageDatabase(stanzas: DpkgPackage[], source = DPKG_STATUS_PATH): PackageDatabase {
  return indexPackages('dpkg', source, compareDpkgVersions, stanzas.map((p) => {
    const dpkgState = p.status.split(/\s+/)[2] ?? '';
    return { name: p.name, architecture: p.architecture, version: p.version, dpkgState, state: installState(dpkgState), provides: parseProvides(p.fields.Provides) };
  }));
}

/** rpm packages: every row of the database is installed; Provides are not read (virtual names match nothing). */
export function buildRpmDatabase(rpms: RpmPackage[], source: string): PackageDatabase {
  return indexPackages('rpm', source, compareRpmVersions, rpms.map((p) => ({ name: p.name, architecture: p.arch, version: p.evr, dpkgState: 'installed', state: 'configured' as const, provides: [] })));
}

export function buildApkDatabase(apks: ApkPackage[], source = APK_INSTALLED_PATH): PackageDatabase {
  return indexPackages('apk', source, compareApkVersions, apks.map((p) => ({ name: p.name, architecture: p.arch, version: p.version, dpkgState: 'installed', state: 'configured' as const, provides: [] })));
}

/**
 * The root's package database (dpkg, else rpm, else apk), or undefined when it has none. A
 * database that exists but cannot be read (an rpm BerkeleyDB, a damaged file) throws
 * SpyglassError naming it.
 */
export async function readPackageDatabase(root: HostRoot): Promise<{ db?: PackageDatabase }> {
  const text = await root.readTextIfExists(DPKG_STATUS_PATH, 256 * 1024 * 1024);
  if (text !== undefined) return { db: buildPackageDatabase(parseDpkgStatus(text)) };
  const rpms = await readRpmDatabase(root);
  if (rpms !== undefined) {
    let source = `${RPMDB_DIRS[0]}/rpmdb.sqlite`;
    for (const dir of RPMDB_DIRS) if (await root.exists(`${dir}/rpmdb.sqlite`)) { source = `${dir}/rpmdb.sqlite`; break; }
    return { db: buildRpmDatabase(rpms, source) };
  }
  const apks = await readApkInstalled(root);
  if (apks !== undefined) return { db: buildApkDatabase(apks) };
  return {};
}

export function memoPackageDatabase(ctx: CheckContext): Promise<{ db?: PackageDatabase }> {
  return ctx.memo('package:database', () => readPackageDatabase(ctx.root));
}
