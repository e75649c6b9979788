#!/usr/bin/env node
/**
 * `npm run package`: builds build/spyglass_<version>_<arch>.deb and a tarball that carry their
 * own Node.js runtime and every dependency, so a host needs nothing but glibc (and /bin/sh).
 * The system's Node, if any, is never touched: the runtime lives in /opt/spyglass/node and
 * finds its C++ runtime in /opt/spyglass/lib through an rpath set with patchelf.
 *
 *   /opt/spyglass/bin/spyglass        launcher (sh), linked from /usr/bin/spyglass
 *   /opt/spyglass/node/bin/node       the Node.js that built this package
 *   /opt/spyglass/lib/                libstdc++ and libgcc_s that node links against
 *   /opt/spyglass/app/                dist/, production node_modules, profiles/, package.json
 *   /lib/systemd/system/spyglass.service, /etc/spyglass/agent.yaml (conffile), /var/lib/spyglass
 *
 * Options: --fast (gzip -1 instead of xz, for tests), --out DIR (default build/).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync, readFileSync, copyFileSync, chmodSync, symlinkSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const fast = args.includes('--fast');
const outDir = path.resolve(args.includes('--out') ? args[args.indexOf('--out') + 1] : path.join(repo, 'build'));
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));
const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
if (!arch) throw new Error(`unsupported architecture ${process.arch}`);
const run = (cmd, argv, opts = {}) => execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'], ...opts }).toString();

const stage = path.join(outDir, 'stage');
rmSync(stage, { recursive: true, force: true });
const opt = path.join(stage, 'opt', 'spyglass');
const app = path.join(opt, 'app');
mkdirSync(app, { recursive: true });

// 1. The application: compiled code, shipped profiles, production dependencies only.
run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: repo });
for (const item of ['dist', 'profiles', 'packs', 'docs', 'bin', 'package.json', 'package-lock.json', 'README.md']) {
  if (existsSync(path.join(repo, item))) cpSync(path.join(repo, item), path.join(app, item), { recursive: true });
}
// Dereferenced: the FIM inotify binding is a file: dependency linked into src/, which is not shipped.
cpSync(path.join(repo, 'node_modules'), path.join(app, 'node_modules'), { recursive: true, dereference: true });
// Dev-only packages, as the lockfile marks them (npm prune would try to re-link the file: dependency).
const lock = JSON.parse(readFileSync(path.join(repo, 'package-lock.json'), 'utf8'));
for (const [where, info] of Object.entries(lock.packages ?? {})) {
  if (where && info.dev) rmSync(path.join(app, where), { recursive: true, force: true });
}
rmSync(path.join(app, 'node_modules', '.bin'), { recursive: true, force: true });
// Native modules keep only what loads at run time (their sources and build objects are ~25 MB).
for (const sub of ['better-sqlite3/deps', 'better-sqlite3/src', 'better-sqlite3/build/deps', 'better-sqlite3/build/Release/obj', 'better-sqlite3/build/Release/obj.target', 'better-sqlite3/build/Release/.deps', 'better-sqlite3/build/Release/test_extension.node', 'spyglass-inotify/build/Release/obj.target', 'spyglass-inotify/build/Release/.deps']) {
  rmSync(path.join(app, 'node_modules', sub), { recursive: true, force: true });
}
rmSync(path.join(app, 'dist'), { recursive: true, force: true });
cpSync(path.join(repo, 'dist'), path.join(app, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });

// 2. The runtime: this Node, with an rpath to its own libstdc++ / libgcc_s.
const nodeBin = path.join(opt, 'node', 'bin', 'node');
mkdirSync(path.dirname(nodeBin), { recursive: true });
copyFileSync(process.execPath, nodeBin);
chmodSync(nodeBin, 0o755);
const libDir = path.join(opt, 'lib');
mkdirSync(libDir, { recursive: true });
const glibc = /^(libc|libm|libdl|libpthread|librt|ld-linux[-\w.]*)\.so/;
for (const line of run('ldd', [process.execPath]).split('\n')) {
  const m = /^\s*(\S+) => (\/\S+)/.exec(line);
  if (m && !glibc.test(m[1])) copyFileSync(m[2], path.join(libDir, m[1]));
}
run('patchelf', ['--set-rpath', '$ORIGIN/../../lib', nodeBin]);

// 3. Launcher, service, configuration, state directory.
mkdirSync(path.join(opt, 'bin'), { recursive: true });
writeFileSync(path.join(opt, 'bin', 'spyglass'), '#!/bin/sh\n# Spyglass launcher: the bundled Node.js, never the system one.\nexec /opt/spyglass/node/bin/node /opt/spyglass/app/bin/spyglass.js "$@"\n', { mode: 0o755 });
mkdirSync(path.join(stage, 'usr', 'bin'), { recursive: true });
symlinkSync('/opt/spyglass/bin/spyglass', path.join(stage, 'usr', 'bin', 'spyglass'));
mkdirSync(path.join(stage, 'lib', 'systemd', 'system'), { recursive: true });
copyFileSync(path.join(repo, 'packaging', 'spyglass.service'), path.join(stage, 'lib', 'systemd', 'system', 'spyglass.service'));
mkdirSync(path.join(stage, 'etc', 'spyglass', 'agent.d'), { recursive: true });
copyFileSync(path.join(repo, 'packaging', 'agent.yaml'), path.join(stage, 'etc', 'spyglass', 'agent.yaml'));
copyFileSync(path.join(repo, 'packaging', 'fim.yaml'), path.join(stage, 'etc', 'spyglass', 'fim.yaml'));
mkdirSync(path.join(stage, 'var', 'lib', 'spyglass'), { recursive: true, mode: 0o700 });

// 4. The tarball (same tree, for hosts without dpkg).
const base = `spyglass_${pkg.version}_${arch}`;
const tarball = path.join(outDir, `spyglass-${pkg.version}-linux-${process.arch}.tar.gz`);
run('tar', ['-C', stage, '-czf', tarball, '--owner=0', '--group=0', 'opt', 'usr', 'lib', 'etc', 'var']);

// 5. The .deb.
const debian = path.join(stage, 'DEBIAN');
mkdirSync(debian);
const installedKb = Math.ceil(Number(run('du', ['-sk', '--exclude=DEBIAN', stage]).split('\t')[0]));
writeFileSync(path.join(debian, 'control'), [
  'Package: spyglass',
  `Version: ${pkg.version}`,
  `Architecture: ${arch}`,
  'Maintainer: Spyglass developers <spyglass@example.invalid>',
  `Installed-Size: ${installedKb}`,
  'Depends: libc6 (>= 2.28)',
  'Section: admin',
  'Priority: optional',
  'Description: host security compliance and monitoring agent',
  ' Audits the host against compliance profiles, answers osquery-compatible SQL,',
  ' watches files for integrity, finds vulnerable packages offline and ships',
  ' every result through a durable spool. Bundles its own Node.js runtime.',
  '',
].join('\n'));
writeFileSync(path.join(debian, 'conffiles'), '/etc/spyglass/agent.yaml\n/etc/spyglass/fim.yaml\n');
writeFileSync(path.join(debian, 'postinst'), `#!/bin/sh
set -e
# Shell builtins only: the package must configure on a root that has nothing but glibc and sh.
if [ "$1" = configure ]; then
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemctl daemon-reload || true
    systemctl enable spyglass.service || true
    systemctl restart spyglass.service || true
  fi
fi
exit 0
`, { mode: 0o755 });
writeFileSync(path.join(debian, 'prerm'), `#!/bin/sh
set -e
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  systemctl stop spyglass.service || true
  [ "$1" = remove ] && systemctl disable spyglass.service || true
fi
exit 0
`, { mode: 0o755 });
const deb = path.join(outDir, `${base}.deb`);
run('dpkg-deb', ['--root-owner-group', fast ? '-Zgzip' : '-Zxz', fast ? '-z1' : '-z6', '--build', stage, deb]);

const size = (f) => `${(statSync(f).size / 1024 / 1024).toFixed(1)} MB`;
process.stdout.write(`${deb} (${size(deb)})\n${tarball} (${size(tarball)})\n`);
