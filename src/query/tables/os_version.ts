/** osquery's `os_version`: the distribution of the root, from os-release. */
import fs from 'node:fs';
import os from 'node:os';
import { parseOsRelease } from '../../core/os-release.js';
import { resolveSync } from '../path-constraints.js';
import type { Table, TableSpec } from '../table.js';

const spec: TableSpec = {
  name: 'os_version',
  description: "A single row containing the operating system name and version.",
  columns: [
    { name: 'name', type: 'TEXT', description: "Distribution or product name" },
    { name: 'version', type: 'TEXT', description: "Pretty, suitable for presentation, OS version" },
    { name: 'major', type: 'INTEGER', description: "Major release version" },
    { name: 'minor', type: 'INTEGER', description: "Minor release version" },
    { name: 'patch', type: 'INTEGER', description: "Optional patch release" },
    { name: 'build', type: 'TEXT', description: "Optional build-specific or variant string" },
    { name: 'platform', type: 'TEXT', description: "OS Platform or ID" },
    { name: 'platform_like', type: 'TEXT', description: "Closely related platforms" },
    { name: 'codename', type: 'TEXT', description: "OS version codename" },
    { name: 'arch', type: 'TEXT', description: "OS Architecture" },
    { name: 'pid_with_namespace', type: 'INTEGER', description: "", hidden: true, index: true },
    { name: 'mount_namespace_id', type: 'TEXT', description: "", hidden: true },
  ],
};

function readIfExists(path: string): string | undefined {
  try { return fs.readFileSync(path, 'utf8'); } catch { return undefined; }
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const text = readIfExists(resolveSync(ctx.root, '/etc/os-release')) ?? readIfExists(resolveSync(ctx.root, '/usr/lib/os-release'));
    if (text === undefined) {
      ctx.warn('no /etc/os-release or /usr/lib/os-release under the root');
      return;
    }
    const rel = parseOsRelease(text);
    // Debian keeps its point release in /etc/debian_version ("12.7"); os-release has only "12".
    let versionNumbers = rel.versionId;
    const debianVersion = readIfExists(resolveSync(ctx.root, '/etc/debian_version'))?.trim();
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
