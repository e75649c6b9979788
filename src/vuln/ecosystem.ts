/**
 * Which security data applies to a host, and how its versions are ordered. The host's
 * os-release decides the OSV ecosystem ("Debian:12", "Ubuntu:22.04:LTS", "Alpine:v3.20",
 * "AlmaLinux:9"...) and the Debian security tracker release ("bookworm"); the ecosystem's
 * prefix decides the version order (dpkg, rpm or apk) and which package database it covers.
 */
import type { OsRelease } from '../host/os-release.js';
import { SpyglassError } from '../core/errors.js';
import type { PackageFormat } from '../host/packages/installed-packages.js';
import { compareDpkgVersions } from '../host/packages/dpkg-version.js';
import { compareRpmVersions } from '../host/packages/rpm-version.js';
import { compareApkVersions } from '../host/packages/apk-version.js';

export type VersionCompare = (a: string, b: string) => number;

export interface EcosystemFamily {
  /** OSV ecosystem name before the first ':' */
  prefix: string;
  format: PackageFormat;
  compare: VersionCompare;
}

/** OSV ecosystems of Linux distributions whose packages we can read, by prefix. */
const FAMILIES: EcosystemFamily[] = [
  { prefix: 'Debian', format: 'deb', compare: compareDpkgVersions },
  { prefix: 'Ubuntu', format: 'deb', compare: compareDpkgVersions },
  { prefix: 'Alpine', format: 'apk', compare: compareApkVersions },
  { prefix: 'AlmaLinux', format: 'rpm', compare: compareRpmVersions },
  { prefix: 'Rocky Linux', format: 'rpm', compare: compareRpmVersions },
  { prefix: 'Red Hat', format: 'rpm', compare: compareRpmVersions },
  { prefix: 'openSUSE', format: 'rpm', compare: compareRpmVersions },
  { prefix: 'SUSE', format: 'rpm', compare: compareRpmVersions },
  { prefix: 'Mageia', format: 'rpm', compare: compareRpmVersions },
  { prefix: 'openEuler', format: 'rpm', compare: compareRpmVersions },
  { prefix: 'Photon OS', format: 'rpm', compare: compareRpmVersions },
];

/** The family of an OSV ecosystem string, or undefined when it is not a distribution we know. */
export function ecosystemFamily(ecosystem: string): EcosystemFamily | undefined {
  const prefix = ecosystem.split(':')[0]!;
  return FAMILIES.find((f) => f.prefix === prefix);
}

export interface HostTarget {
  /** e.g. "Debian GNU/Linux 12 (bookworm)" */
  os: string;
  /** OSV ecosystem strings that describe this host (usually one) */
  osvEcosystems: string[];
  /** Debian security tracker release name, for Debian hosts */
  debianRelease: string | undefined;
}

export interface TargetOverrides {
  /** OSV ecosystems to use instead of the one os-release implies (e.g. "Ubuntu:22.04:LTS"
   * and "Ubuntu:Pro:22.04:LTS" for an Ubuntu Pro host) */
  ecosystems?: string[];
  /** Debian tracker release (codename) to use instead of VERSION_CODENAME */
  release?: string;
}

/** The OSV ecosystem os-release implies, or undefined for an OS we have no mapping for. */
export function osvEcosystemFor(os: OsRelease): string | undefined {
  const major = os.versionId.split('.')[0] ?? '';
  switch (os.id) {
    case 'debian': return os.versionId ? `Debian:${major}` : undefined;
    case 'ubuntu': return os.versionId ? `Ubuntu:${os.versionId}${/LTS/.test(os.fields.VERSION ?? '') ? ':LTS' : ''}` : undefined;
    case 'alpine': {
      const m = /^(\d+)\.(\d+)/.exec(os.versionId);
      return m ? `Alpine:v${m[1]}.${m[2]}` : undefined;
    }
    case 'almalinux': return major ? `AlmaLinux:${major}` : undefined;
    case 'rocky': return major ? `Rocky Linux:${major}` : undefined;
    case 'mageia': return major ? `Mageia:${major}` : undefined;
  }
  return undefined;
}

/**
 * The target for a host. An explicit ecosystem must be one we know how to order, else
 * 'unknown_ecosystem'; a host with no mapping gets an empty list (each feed then decides
 * whether that is an error for it).
 */
export function hostTarget(os: OsRelease | undefined, overrides: TargetOverrides = {}): HostTarget {
  const unknown = overrides.ecosystems?.find((e) => !ecosystemFamily(e));
  if (unknown !== undefined) {
    throw new SpyglassError('unknown_ecosystem', `unknown ecosystem "${unknown}": expected a Linux distribution ecosystem such as ${FAMILIES.slice(0, 4).map((f) => `"${f.prefix}:…"`).join(', ')} (${FAMILIES.map((f) => f.prefix).join(', ')})`);
  }
  const implied = os ? osvEcosystemFor(os) : undefined;
  const ecosystems = overrides.ecosystems?.length ? [...new Set(overrides.ecosystems)] : implied ? [implied] : [];
  return {
    os: os?.prettyName ?? 'unknown (no os-release)',
    osvEcosystems: ecosystems,
    debianRelease: overrides.release ?? (os?.id === 'debian' ? os.versionCodename : undefined),
  };
}
