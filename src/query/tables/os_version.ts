/** osquery's `os_version`: the distribution of the root, from os-release. */
import os from 'node:os';
import { readOsReleaseSync, type OsRelease } from '../../host/os-release.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('os_version');

export const table: Table = {
  spec,
  *generate(ctx) {
    let rel: OsRelease | undefined;
    try { rel = readOsReleaseSync(ctx.root); } catch { /* unreadable: reported as missing */ }
    if (rel === undefined) {
      ctx.warn('no /etc/os-release or /usr/lib/os-release under the root');
      return;
    }
    // Debian keeps its point release in /etc/debian_version ("12.7"); os-release has only "12".
    let versionNumbers = rel.versionId;
    const debianVersion = readTextSync(ctx.root, '/etc/debian_version')?.trim();
    if (rel.id === 'debian' && debianVersion && /^\d+(\.\d+)*$/.test(debianVersion) && debianVersion.startsWith(rel.versionId)) versionNumbers = debianVersion;
    const parts = versionNumbers.split('.').map((p) => Number.parseInt(p, 10));
    const num = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? 0 : n);
    yield {
      name: rel.fields.NAME ?? rel.prettyName,
      version: rel.fields.VERSION ?? rel.versionId,
      major: num(parts[0]),
      minor: num(parts[1]),
      patch: num(parts[2]),
      build: rel.fields.BUILD_ID ?? '',
      platform: rel.id,
      platform_like: rel.idLike.join(' '),
      codename: rel.versionCodename ?? '',
      arch: ctx.root.isLive ? os.machine() : null,
      pid_with_namespace: null,
      mount_namespace_id: null,
    };
  },
};
