/**
 * Parses Alpine's installed-package database (/lib/apk/db/installed): one stanza per
 * package, lines "X:value" keyed by one letter (P name, V version, A arch, o origin = the
 * source package, m maintainer, t build time, ...; F/R/Z/a/M lines list files, skipped).
 */
import type { HostRoot } from '../../core/host-root.js';
import { SpyglassError } from '../../core/errors.js';

export interface ApkPackage {
  name: string;
  version: string;
  arch: string;
  /** the aport the package was built from ("o:"); the name when absent */
  origin: string;
  maintainer: string;
  /** first line of the stanza in the file, for error messages and evidence */
  line: number;
}

export const APK_INSTALLED_PATH = '/lib/apk/db/installed';

/** Parses the database text; a stanza without P: or V: is an error naming its line. */
export function parseApkInstalled(text: string, file = APK_INSTALLED_PATH): ApkPackage[] {
  const packages: ApkPackage[] = [];
  let current: Partial<ApkPackage> & { line: number } | undefined;
  const finish = () => {
    if (!current) return;
    if (!current.name || !current.version) {
      throw new SpyglassError('apkdb_invalid', `package entry without ${current.name ? 'V: (version)' : 'P: (name)'}`, { file, line: current.line });
    }
    packages.push({ name: current.name, version: current.version, arch: current.arch ?? '', origin: current.origin || current.name, maintainer: current.maintainer ?? '', line: current.line });
    current = undefined;
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      finish();
      continue;
    }
    if (line.length < 2 || line[1] !== ':') {
      throw new SpyglassError('apkdb_invalid', `expected "X:value", found ${JSON.stringify(line.slice(0, 40))}`, { file, line: i + 1 });
    }
    current ??= { line: i + 1 };
    const value = line.slice(2);
    switch (line[0]) {
      case 'P': current.name = value; break;
      case 'V': current.version = value; break;
      case 'A': current.arch = value; break;
      case 'o': current.origin = value; break;
      case 'm': current.maintainer = value; break;
    }
  }
  finish();
  return packages;
}

const MAX_DB_BYTES = 256 * 1024 * 1024;

/** The packages of a root's apk database; undefined when the root has none. */
export function readApkInstalledSync(root: HostRoot): ApkPackage[] | undefined {
  const text = root.readTextIfExistsSync(APK_INSTALLED_PATH, MAX_DB_BYTES);
  return text === undefined ? undefined : parseApkInstalled(text);
}

export async function readApkInstalled(root: HostRoot): Promise<ApkPackage[] | undefined> {
  const text = await root.readTextIfExists(APK_INSTALLED_PATH, MAX_DB_BYTES);
  return text === undefined ? undefined : parseApkInstalled(text);
}
