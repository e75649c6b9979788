/**
 * The installed-package view the `package` check reads: the dpkg status database of the root,
 * parsed once per audit, indexed by name and by what each package Provides. dpkg states are
 * sorted into "configured" (installed, triggers-pending, triggers-awaited: dpkg itself counts
 * these as satisfying dependencies), "files present but not configured" (unpacked,
 * half-installed, half-configured) and "not installed" (not-installed, config-files).
 */
import type { HostRoot } from '../../../core/host-root.js';
import { DPKG_STATUS_PATH, parseDpkgStatus, type DpkgPackage } from '../../../packages/dpkg-status.js';
import type { CheckContext } from '../../check.js';

export type InstallState = 'configured' | 'unconfigured' | 'not_installed';

export interface InstalledPackage {
  name: string;
  architecture: string;
  version: string;
  /** dpkg's state word (third word of Status:), e.g. "installed", "config-files" */
  dpkgState: string;
  state: InstallState;
  /** Provides entries with their version when the relation gives one ("foo (= 1.2)") */
  provides: { name: string; version?: string }[];
}

export interface PackageDatabase {
  kind: 'dpkg';
  source: string;
  packages: InstalledPackage[];
  byName: Map<string, InstalledPackage[]>;
  providers: Map<string, { pkg: InstalledPackage; version?: string }[]>;
}

/** Paths whose presence means an rpm database (which this check type cannot read yet). */
export const RPM_DATABASE_PATHS = ['/var/lib/rpm/rpmdb.sqlite', '/var/lib/rpm/Packages', '/usr/lib/sysimage/rpm/rpmdb.sqlite', '/usr/lib/sysimage/rpm/Packages'];

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

export function buildPackageDatabase(stanzas: DpkgPackage[], source = DPKG_STATUS_PATH): PackageDatabase {
  const packages: InstalledPackage[] = stanzas.map((p) => {
    const dpkgState = p.status.split(/\s+/)[2] ?? '';
    return { name: p.name, architecture: p.architecture, version: p.version, dpkgState, state: installState(dpkgState), provides: parseProvides(p.fields.Provides) };
  });
  const byName = new Map<string, InstalledPackage[]>();
  const providers = new Map<string, { pkg: InstalledPackage; version?: string }[]>();
  for (const pkg of packages) {
    byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
    for (const pr of pkg.provides) providers.set(pr.name, [...(providers.get(pr.name) ?? []), pr.version ? { pkg, version: pr.version } : { pkg }]);
  }
  return { kind: 'dpkg', source, packages, byName, providers };
}

/**
 * The root's package database, memoised per audit. undefined with `rpm: true` when only an
 * rpm database is there, undefined with `rpm: false` when there is none at all.
 */
export async function readPackageDatabase(root: HostRoot): Promise<{ db?: PackageDatabase; rpmPath?: string }> {
  const text = await root.readTextIfExists(DPKG_STATUS_PATH, 256 * 1024 * 1024);
  if (text !== undefined) return { db: buildPackageDatabase(parseDpkgStatus(text)) };
  for (const p of RPM_DATABASE_PATHS) if (await root.lstatIfExists(p)) return { rpmPath: p };
  return {};
}

export function memoPackageDatabase(ctx: CheckContext): Promise<{ db?: PackageDatabase; rpmPath?: string }> {
  return ctx.memo('package:database', () => readPackageDatabase(ctx.root));
}
