/**
 * `package` check type: a package is installed (optionally within a version constraint) or
 * absent, from the root's dpkg status database (else rpm, else apk), in that database's version order. Virtual names
 * match their providers. Evidence: each matching package with its version and dpkg state.
 */
import { SpyglassError, toSpyglassError } from '../../../core/errors.js';
import { compareDpkgVersions } from '../../../host/packages/dpkg-version.js';
import { outcome, type CheckContext, type CheckOutcome, type CheckType, type Evidence } from '../../check.js';
import { packageSchema, VERSION_CONSTRAINT, type PackageSpec } from './schema.js';
import { installState, memoPackageDatabase, type InstalledPackage, type PackageDatabase } from './package-database.js';

export interface VersionConstraint { op: string; version: string }

export function parseVersionConstraint(text: string): VersionConstraint {
  const m = VERSION_CONSTRAINT.exec(text);
  if (!m) throw new SpyglassError('invalid_version_constraint', `not a version constraint: ${JSON.stringify(text)}`);
  return { op: m[1]!, version: m[2]! };
}

/** Whether a version satisfies a constraint in a database's order (dpkg's unless given). */
export function satisfies(version: string, c: VersionConstraint, compare: (a: string, b: string) => number = compareDpkgVersions): boolean {
  const cmp = compare(version, c.version);
  switch (c.op) {
    case '<<': case '<': return cmp < 0;
    case '<=': return cmp <= 0;
    case '=': case '==': return cmp === 0;
    case '!=': return cmp !== 0;
    case '>=': return cmp >= 0;
    default: return cmp > 0; // >> and >
  }
}

/** A package (or provider) that matches the spec's name, with the version the constraint applies to. */
interface Candidate { pkg: InstalledPackage; via?: string; version?: string }

function candidates(db: PackageDatabase, spec: PackageSpec): Candidate[] {
  const [name, arch] = spec.name.split(':') as [string, string | undefined];
  const archOk = (p: InstalledPackage) => arch === undefined || p.arch === arch || p.arch === 'all';
  const out: Candidate[] = (db.byName.get(name) ?? []).filter(archOk).map((pkg) => ({ pkg, version: pkg.version }));
  if (spec.match_provides) {
    for (const pr of db.providers.get(name) ?? []) {
      if (pr.pkg.name === name || !archOk(pr.pkg)) continue;
      out.push(pr.version ? { pkg: pr.pkg, via: name, version: pr.version } : { pkg: pr.pkg, via: name });
    }
  }
  return out;
}

function describe(c: Candidate): string {
  const p = c.pkg;
  const base = `${p.name}:${p.arch} ${p.version} (${p.state})`;
  return c.via ? `${base}, provides ${c.via}${c.version ? ` (= ${c.version})` : ''}` : base;
}

async function evaluatePackage(spec: PackageSpec, ctx: CheckContext): Promise<CheckOutcome> {
  let found: Awaited<ReturnType<typeof memoPackageDatabase>>;
  try {
    found = await memoPackageDatabase(ctx);
  } catch (err) {
    return outcome.error(toSpyglassError(err, 'package_db_unreadable'));
  }
  if (!found.db) {
    return outcome.notApplicable('the root has no package database (no /var/lib/dpkg/status, no rpmdb.sqlite, no /lib/apk/db/installed)', [{ source: '/var/lib/dpkg/status', found: 'absent' }]);
  }
  const db = found.db;
  const constraint = spec.version ? parseVersionConstraint(spec.version) : undefined;
  const all = candidates(db, spec);
  const present = all.filter((c) => installState(c.pkg.state) !== 'not_installed');
  const configured = present.filter((c) => installState(c.pkg.state) === 'configured');
  const inRange = (c: Candidate) => !constraint || (c.version !== undefined && satisfies(c.version, constraint, db.compare));
  const want = `${spec.name}${spec.version ? ` ${spec.version}` : ''}`;
  const ev = (c: Candidate, expected: string, note?: string): Evidence => ({ source: db.source, found: describe(c), expected, ...(note ? { note } : {}) });

  if (spec.state === 'installed') {
    const expected = `${want} installed`;
    const good = configured.filter(inRange);
    if (good.length > 0) return outcome.pass(`${describe(good[0]!)} is installed`, good.map((c) => ev(c, expected)));
    if (present.length === 0) {
      const leftovers = all.map((c) => ev(c, expected, c.pkg.state === 'config-files' ? 'removed; only configuration files remain' : 'not installed'));
      return outcome.fail(`${spec.name} is not installed`, leftovers.length ? leftovers : [{ source: db.source, found: `${spec.name} not installed`, expected }]);
    }
    const evidence = present.map((c) => ev(c, expected,
      installState(c.pkg.state) === 'unconfigured' ? `dpkg state ${c.pkg.state}: unpacked but not configured`
        : c.version === undefined ? 'unversioned Provides cannot satisfy a version constraint' : `version ${c.version} does not satisfy ${spec.version}`));
    return outcome.fail(`${spec.name} is not installed ${constraint ? `in version ${spec.version}` : 'and configured'}: ${describe(present[0]!)}`, evidence);
  }

  // absent: files of a package in any state but not-installed / config-files count as present
  const expected = constraint ? `no installed ${spec.name} ${spec.version}` : `${spec.name} absent`;
  // with a constraint, only a known version inside it offends (an unversioned provider is not counted)
  const offending = constraint ? present.filter((c) => c.version !== undefined && inRange(c)) : present;
  if (offending.length > 0) {
    return outcome.fail(`${offending.map((c) => describe(c)).join('; ')} ${offending.length === 1 ? 'is' : 'are'} installed`, offending.map((c) => ev(c, expected)));
  }
  const evidence = present.length ? present.map((c) => ev(c, expected, c.version === undefined ? 'unversioned Provides: version unknown, not counted' : 'outside the constraint'))
    : all.length ? all.map((c) => ev(c, expected, 'not installed'))
      : [{ source: db.source, found: `no package ${spec.name}`, expected }];
  return outcome.pass(constraint && present.length ? `no installed ${spec.name} satisfies ${spec.version}` : `${spec.name} is not installed`, evidence);
}

export const packageCheck: CheckType<typeof packageSchema> = {
  type: 'package',
  description: 'A package is installed (optionally within a version constraint) or absent, from the dpkg status database (else rpm, else apk) in its own version order.',
  schema: packageSchema,
  evaluate: evaluatePackage,
};
