/**
 * osquery's `deb_packages`: packages in dpkg's status database (every package dpkg knows
 * that is not "not-installed", as osquery lists them), from /var/lib/dpkg/status under the root.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { DPKG_ADMINDIR, dpkgState, readDpkgStatusSync, type DpkgPackage } from '../../host/packages/dpkg-status.js';
import type { HostRoot } from '../../core/host-root.js';
import { statSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('deb_packages', { selectors: ['admindir'] });

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

/**
 * The last parse of each status file, keyed by its identity and modification: scheduled
 * queries read the same unchanged database every few minutes, and parsing it is most of
 * the query's time. dpkg replaces the file on every change (new inode, new mtime).
 */
const cache = new Map<string, { key: string; rows: Row[] }>();

function statusRows(root: HostRoot, dir: string): Row[] | undefined {
  const file = `${dir}/status`;
  const st = statSync(root, file);
  if (!st?.isFile()) return undefined;
  const key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  const where = `${root.dir}\0${file}`;
  const hit = cache.get(where);
  if (hit?.key === key) return hit.rows;
  let packages: DpkgPackage[] | undefined;
  try {
    packages = readDpkgStatusSync(root, dir);
  } catch {
    return undefined; // unreadable: no rows, as for any file a table cannot read
  }
  if (packages === undefined) return undefined;
  const rows = packages.filter((p) => dpkgState(p.status) !== 'not-installed').map((p) => packageRow(p, dir));
  cache.set(where, { key, rows });
  return rows;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    // `admindir = '/other'` also reads that database (a value may come from one branch of an OR: read the default too)
    const dirs = [...new Set([DPKG_ADMINDIR, ...(ctx.equalsValues('admindir')?.map(String) ?? [])])];
    for (const dir of dirs) {
      // copies: the engine may fill in constrained values on the rows it gets
      for (const row of statusRows(ctx.root, dir) ?? []) yield { ...row };
    }
  },
};
