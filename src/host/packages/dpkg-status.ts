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
  /** Provides entries, with the version when the relation gives one ("foo (= 1.2)") */
  provides: DpkgProvide[];
  /** every field of the stanza, keys as written (continuation lines joined with "\n") */
  fields: Record<string, string>;
}

export interface DpkgProvide { name: string; version?: string }

/** dpkg's admin directory; `status` in it is the database. */
export const DPKG_ADMINDIR = '/var/lib/dpkg';
export const DPKG_STATUS_PATH = `${DPKG_ADMINDIR}/status`;
/** A status file is larger than any configuration file: the read cap is raised for it. */
const MAX_STATUS_BYTES = 256 * 1024 * 1024;

/** The state word of a Status: field ("install ok installed" → "installed"). */
export function dpkgState(status: string): string {
  return status.split(/\s+/)[2] ?? '';
}

/** "mail-transport-agent, foo (= 1.2)" → [{ name }, { name, version }]; malformed items are dropped. */
export function parseDpkgProvides(field: string | undefined): DpkgProvide[] {
  const out: DpkgProvide[] = [];
  for (const item of (field ?? '').split(',')) {
    const m = /^\s*([^\s(]+)\s*(?:\(\s*=\s*([^)\s]+)\s*\))?\s*$/.exec(item);
    if (m) out.push(m[2] ? { name: m[1]!, version: m[2] } : { name: m[1]! });
  }
  return out;
}

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
      installed: dpkgState(status) === 'installed',
      maintainer: fields.Maintainer ?? '',
      section: fields.Section ?? '',
      priority: fields.Priority ?? '',
      installedSize: Number.isFinite(size) ? size : undefined,
      provides: parseDpkgProvides(fields.Provides),
      fields,
    });
  }
  return packages;
}

/** The packages of a root's dpkg database (in `admindir`); undefined when the root has none. */
export function readDpkgStatusSync(root: HostRoot, admindir = DPKG_ADMINDIR): DpkgPackage[] | undefined {
  const text = root.readTextIfExistsSync(`${admindir}/status`, MAX_STATUS_BYTES);
  return text === undefined ? undefined : parseDpkgStatus(text);
}

export async function readDpkgStatus(root: HostRoot, admindir = DPKG_ADMINDIR): Promise<DpkgPackage[] | undefined> {
  const text = await root.readTextIfExists(`${admindir}/status`, MAX_STATUS_BYTES);
  return text === undefined ? undefined : parseDpkgStatus(text);
}
