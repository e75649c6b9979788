/**
 * The installed-package view the `package` check reads, parsed once per audit and indexed by
 * name and by what each package Provides: the root's package manager database as
 * src/host/packages/installed-packages.ts reads it (dpkg, else rpm, else apk: the first one
 * present), with versions compared in that database's own order. dpkg states are sorted into
 * "configured" (installed, triggers-pending, triggers-awaited: dpkg itself counts these as
 * satisfying dependencies), "files present but not configured" (unpacked, half-installed,
 * half-configured) and "not installed" (not-installed, config-files).
 */
import type { HostRoot } from '../../../core/host-root.js';
import { readSystemPackageDatabase, VERSION_ORDER, type InstalledPackage, type PackageFormat } from '../../../host/packages/installed-packages.js';
import type { CheckContext } from '../../check.js';

export type { InstalledPackage } from '../../../host/packages/installed-packages.js';

export type InstallState = 'configured' | 'unconfigured' | 'not_installed';

export interface PackageDatabase {
  format: PackageFormat;
  /** host path of the database file */
  source: string;
  /** the database's version order: negative, zero, positive */
  compare(a: string, b: string): number;
  packages: InstalledPackage[];
  byName: Map<string, InstalledPackage[]>;
  providers: Map<string, { pkg: InstalledPackage; version?: string }[]>;
}

export function installState(state: string): InstallState {
  switch (state) {
    case 'installed': case 'triggers-pending': case 'triggers-awaited': return 'configured';
    case 'unpacked': case 'half-installed': case 'half-configured': return 'unconfigured';
    default: return 'not_installed';
  }
}

export function indexPackages(format: PackageFormat, source: string, packages: InstalledPackage[]): PackageDatabase {
  const byName = new Map<string, InstalledPackage[]>();
  const providers = new Map<string, { pkg: InstalledPackage; version?: string }[]>();
  for (const pkg of packages) {
    byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
    for (const pr of pkg.provides) providers.set(pr.name, [...(providers.get(pr.name) ?? []), pr.version ? { pkg, version: pr.version } : { pkg }]);
  }
  return { format, source, compare: VERSION_ORDER[format], packages, byName, providers };
}

/**
 * The root's package database, or undefined when it has none. A database that exists but
 * cannot be read (an rpm BerkeleyDB, a damaged file) throws SpyglassError naming it.
 */
export async function readPackageDatabase(root: HostRoot): Promise<{ db?: PackageDatabase }> {
  const found = await readSystemPackageDatabase(root);
  return found ? { db: indexPackages(found.format, found.path, found.packages) } : {};
}

export function memoPackageDatabase(ctx: CheckContext): Promise<{ db?: PackageDatabase }> {
  return ctx.memo('package:database', () => readPackageDatabase(ctx.root));
}
