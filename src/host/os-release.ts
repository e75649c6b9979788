/**
 * os-release(5): which OS a root is. /etc/os-release, falling back to /usr/lib/os-release;
 * shell-like KEY=value lines. Used by profile selection, the vulnerability scan, the agent's
 * host facts and the os_version / spyglass_info tables.
 */
import type { HostRoot } from '../core/host-root.js';

export const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release'] as const;

export interface OsRelease {
  /** e.g. "debian", "ubuntu" */
  id: string;
  /** e.g. "12", "22.04" */
  versionId: string;
  /** ID_LIKE split into words, e.g. ["debian"] for Ubuntu */
  idLike: string[];
  prettyName: string;
  versionCodename?: string;
  /** every key as written */
  fields: Record<string, string>;
}

/** Parses os-release's shell-like KEY=value lines (quotes and backslash escapes as systemd does). */
export function parseOsRelease(text: string): OsRelease {
  const fields: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) {
      value = value.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    }
    fields[key] = value;
  }
  return {
    id: (fields.ID ?? 'linux').toLowerCase(),
    versionId: fields.VERSION_ID ?? '',
    idLike: (fields.ID_LIKE ?? '').split(/\s+/).filter(Boolean),
    prettyName: fields.PRETTY_NAME ?? fields.NAME ?? 'Linux',
    versionCodename: fields.VERSION_CODENAME,
    fields,
  };
}

/** The OS of a root, or undefined when neither os-release file exists. */
export async function readOsRelease(root: HostRoot): Promise<OsRelease | undefined> {
  const text = (await root.readTextIfExists(OS_RELEASE_PATHS[0])) ?? (await root.readTextIfExists(OS_RELEASE_PATHS[1]));
  return text === undefined ? undefined : parseOsRelease(text);
}

export function readOsReleaseSync(root: HostRoot): OsRelease | undefined {
  const text = root.readTextIfExistsSync(OS_RELEASE_PATHS[0]) ?? root.readTextIfExistsSync(OS_RELEASE_PATHS[1]);
  return text === undefined ? undefined : parseOsRelease(text);
}
