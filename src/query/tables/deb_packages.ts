/**
 * osquery's `deb_packages`: packages in dpkg's status database (every package dpkg knows
 * that is not "not-installed", as osquery lists them), from /var/lib/dpkg/status under the root.
 */
import type { Row, Table, TableSpec } from '../table.js';
import { parseDpkgStatus, type DpkgPackage } from '../../packages/dpkg-status.js';
import { readTextSync } from './host-files.js';

const spec: TableSpec = {
  name: "deb_packages",
  description: "The installed DEB package database.",
  columns: [
    { name: "name", type: "TEXT", description: "Package name" },
    { name: "version", type: "TEXT", description: "Package version" },
    { name: "source", type: "TEXT", description: "Package source" },
    { name: "size", type: "BIGINT", description: "Package size in bytes" },
    { name: "arch", type: "TEXT", description: "Package architecture" },
    { name: "revision", type: "TEXT", description: "Package revision" },
    { name: "status", type: "TEXT", description: "Package status" },
    { name: "maintainer", type: "TEXT", description: "Package maintainer" },
    { name: "section", type: "TEXT", description: "Package section" },
    { name: "priority", type: "TEXT", description: "Package priority" },
    { name: "admindir", type: "TEXT", description: "libdpkg admindir. Defaults to /var/lib/dpkg", index: true },
    { name: "pid_with_namespace", type: "INTEGER", description: "", hidden: true, index: true },
    { name: "mount_namespace_id", type: "TEXT", description: "", hidden: true },
  ],
  examples: [],
};

const DEFAULT_ADMINDIR = '/var/lib/dpkg';

/** The Debian revision: what follows the last '-' of the version ('' for a native package). */
export function debianRevision(version: string): string {
  const i = version.lastIndexOf('-');
  return i < 0 ? '' : version.slice(i + 1);
}

export function packageRow(p: DpkgPackage, admindir: string): Row {
  const source = (p.fields['Source'] ?? '').replace(/\s*\(.*\)\s*$/, '');
  return {
    name: p.name, version: p.version, source, size: p.installedSize ?? null, arch: p.architecture,
    revision: debianRevision(p.version), status: p.status, maintainer: p.maintainer, section: p.section,
    priority: p.priority, admindir, pid_with_namespace: null, mount_namespace_id: '',
  };
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const dirs = ctx.equalsValues('admindir')?.map(String) ?? [DEFAULT_ADMINDIR];
    for (const dir of dirs) {
      const text = readTextSync(ctx.root, `${dir}/status`);
      if (text === undefined) continue;
      for (const p of parseDpkgStatus(text)) {
        if (p.status.split(/\s+/)[2] === 'not-installed') continue;
        yield packageRow(p, dir);
      }
    }
  },
};
