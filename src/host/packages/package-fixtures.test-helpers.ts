/**
 * Generated package databases for tests: a dpkg status file of a few hundred packages (with
 * Source: fields, multi-binary sources, removed packages), and an apk installed database.
 */

export interface FixtureDeb {
  name: string;
  version: string;
  arch?: string;
  /** "src" or "src (version)" as dpkg writes Source: */
  source?: string;
  status?: string;
}

export function dpkgStatusText(packages: FixtureDeb[]): string {
  return packages.map((p) => [
    `Package: ${p.name}`,
    `Status: ${p.status ?? 'install ok installed'}`,
    'Priority: optional',
    'Section: libs',
    'Installed-Size: 123',
    'Maintainer: Fixture Maintainers <fixture@example.org>',
    `Architecture: ${p.arch ?? 'amd64'}`,
    'Multi-Arch: same',
    ...(p.source ? [`Source: ${p.source}`] : []),
    `Version: ${p.version}`,
    'Depends: libc6 (>= 2.34)',
    'Description: fixture package',
    ' A longer description line,',
    ' .',
    ' and another.',
  ].join('\n')).join('\n\n') + '\n';
}

/**
 * A few hundred generated packages plus the named ones given: `filler` sources named
 * fixture-src-N with 1-3 binaries each, versions like "1.N.0-1+deb12u1".
 */
export function generatedDebianPackages(count: number, extra: FixtureDeb[] = []): FixtureDeb[] {
  const out: FixtureDeb[] = [...extra];
  for (let n = 0; out.length < count; n++) {
    const src = `fixture-src-${n}`;
    const version = `1.${n}.0-${1 + (n % 3)}${n % 4 === 0 ? '+deb12u1' : ''}`;
    const binaries = 1 + (n % 3);
    for (let b = 0; b < binaries && out.length < count; b++) {
      const name = b === 0 ? src : `lib${src}-${b}`;
      // a binNMU binary has its own version; dpkg then writes "Source: name (version)"
      const binNmu = n % 7 === 0 && b > 0;
      out.push({ name, version: binNmu ? `${version}+b1` : version, source: b === 0 ? undefined : binNmu ? `${src} (${version})` : src });
    }
  }
  return out;
}

export interface FixtureApk {
  name: string;
  version: string;
  origin?: string;
  arch?: string;
}

export function apkInstalledText(packages: FixtureApk[]): string {
  return packages.map((p) => [
    'C:Q1abcdefghijklmnopqrstuvwxyz0123=',
    `P:${p.name}`,
    `V:${p.version}`,
    `A:${p.arch ?? 'x86_64'}`,
    'S:12345',
    'I:45678',
    'T:fixture package',
    'U:https://example.org',
    'L:MIT',
    ...(p.origin ? [`o:${p.origin}`] : []),
    'm:Fixture <fixture@example.org>',
    't:1700000000',
    'c:0123456789abcdef',
    'D:so:libc.musl-x86_64.so.1',
    'F:usr/lib',
    `R:lib${p.name}.so.1`,
    'a:0:0:755',
    'Z:Q1abcdefghijklmnopqrstuvwxyz0123=',
  ].join('\n')).join('\n\n') + '\n\n';
}
