/** Parses dpkg's status database (/var/lib/dpkg/status): one stanza per package. */
import type { HostRoot } from '../../core/host-root.js';

export interface DpkgPackage {
  name: string;
  version: string;
  architecture: string;
  /** Source package name; the binary name when the stanza has no Source: field. */
  source: string;
  /** Source version; from "Source: name (version)", else the binary version. */
  sourceVersion: string;
  /** The whole Status: field, e.g. "install ok installed". */
  status: string;
  /** True when the package's state (third word of Status) is "installed". */
  installed: boolean;
  maintainer: string;
  section: string;
  priority: string;
  installedSize: number | undefined;
  provides: string[];
  /** every field of the stanza, keys as written (continuation lines joined with "\n") */
  fields: Record<string, string>;
}

export const DPKG_STATUS_PATH = '/var/lib/dpkg/status';

/** Parses the text of a dpkg status file (or any deb822 package list). */
export function parseDpkgStatus(text: string): DpkgPackage[] {
  const packages: DpkgPackage[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields: Record<string, string> = {};
    let lastKey: string | undefined;
    for (const line of stanza.split('\n')) {
      if (!line) continue;
      if ((line.startsWith(' ') || line.startsWith('\t')) && lastKey) {
        fields[lastKey] += '\n' + line.slice(1);
        continue;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      lastKey = line.slice(0, colon);
      fields[lastKey] = line.slice(colon + 1).trim();
    }
    const name = fields.Package;
    if (!name) continue;
    const version = fields.Version ?? '';
    const status = fields.Status ?? '';
    let source = name;
    let sourceVersion = version;
    if (fields.Source) {
      const m = /^(\S+)(?:\s+\((.+)\))?/.exec(fields.Source);
      if (m) {
        source = m[1]!;
        if (m[2]) sourceVersion = m[2];
      }
    }
    const size = fields['Installed-Size'] ? Number.parseInt(fields['Installed-Size'], 10) : undefined;
    packages.push({
      name,
      version,
      architecture: fields.Architecture ?? '',
      source,
      sourceVersion,
      status,
      installed: status.split(/\s+/)[2] === 'installed',
      maintainer: fields.Maintainer ?? '',
      section: fields.Section ?? '',
      priority: fields.Priority ?? '',
      installedSize: Number.isFinite(size) ? size : undefined,
      provides: (fields.Provides ?? '').split(',').map((p) => p.trim().split(/\s/)[0]!).filter(Boolean),
      fields,
    });
  }
  return packages;
}

/** The packages of a root's dpkg database; undefined when the root has no dpkg database. */
export async function readDpkgStatus(root: HostRoot): Promise<DpkgPackage[] | undefined> {
  const text = await root.readTextIfExists(DPKG_STATUS_PATH, 256 * 1024 * 1024);
  return text === undefined ? undefined : parseDpkgStatus(text);
}
