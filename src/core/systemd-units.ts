/**
 * systemd unit files of a root, read the way `systemctl is-enabled` decides, without systemd:
 * which file defines a unit (first hit in the search path, aliases and templates followed),
 * whether it is masked, its [Install] section, and the enablement links (`*.wants/`,
 * `*.requires/`, `*.upholds/` and Alias= links) pointing at it. System units only.
 *
 *   const units = await readUnitLinks(root);          // one scan of the link directories
 *   const info = await lookupUnitState(root, units, 'avahi-daemon.service');
 *   info.state  // 'enabled' | 'disabled' | 'masked' | 'static' | 'indirect' | 'absent'
 */
import path from 'node:path';
import type { HostRoot } from './host-root.js';
import { SpyglassError } from './errors.js';

/**
 * The system unit search path, highest priority first (systemd.unit(5)); /lib/systemd/system is
 * where Debian without merged /usr keeps vendor units.
 */
export const UNIT_SEARCH_PATH = [
  '/etc/systemd/system.control', '/run/systemd/system.control', '/run/systemd/transient', '/run/systemd/generator.early',
  '/etc/systemd/system', '/etc/systemd/system.attached', '/run/systemd/system', '/run/systemd/system.attached', '/run/systemd/generator',
  '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system', '/run/systemd/generator.late',
];

export type UnitFileState = 'enabled' | 'disabled' | 'masked' | 'static' | 'indirect' | 'absent';

export interface UnitLink {
  /** host path of the link, e.g. /etc/systemd/system/multi-user.target.wants/ssh.service */
  path: string;
  /** what the link points to, as written */
  target: string;
}

/** Every enablement link of the root by link name (the unit name it enables). */
export interface UnitLinks {
  wants: Map<string, UnitLink[]>;
}

export interface InstallSection {
  wantedBy: string[];
  requiredBy: string[];
  upheldBy: string[];
  alias: string[];
  also: string[];
  defaultInstance?: string;
}

export interface UnitInfo {
  /** the name asked about */
  name: string;
  /** the unit's own name after following an alias link (e.g. sshd.service → ssh.service) */
  canonical: string;
  /** host path of the file that defines it (after links), undefined when absent or masked */
  fragment?: string;
  /** host path where the name was found in the search path */
  foundAt?: string;
  /** how it was found: a regular file, an alias link, a link to /dev/null, an empty file */
  foundAs?: 'file' | 'alias' | 'linked' | 'masked_link' | 'masked_empty';
  state: UnitFileState;
  install?: InstallSection;
  /** enablement links that point at the unit (by its name, canonical name, aliases or instances) */
  links: UnitLink[];
  /** search path entries hidden by the one that won */
  shadowed: string[];
}

const LINK_DIR_SUFFIXES = ['.wants', '.requires', '.upholds'];

/**
 * Search path entries whose links mean "enabled" (persistent and runtime configuration,
 * generators). Links that packages ship in vendor directories (/usr/lib/systemd/system/
 * *.wants) do not: systemctl reports such units static or disabled, and so do we.
 */
export const ENABLEMENT_LINK_DIRS = UNIT_SEARCH_PATH.filter((d) => d.startsWith('/etc/') || d.startsWith('/run/'));

/** Scans the `*.wants` / `*.requires` / `*.upholds` directories of the configuration search path entries once. */
export async function readUnitLinks(root: HostRoot): Promise<UnitLinks> {
  const wants = new Map<string, UnitLink[]>();
  for (const dir of ENABLEMENT_LINK_DIRS) {
    for (const entry of await root.listDirEntries(dir)) {
      if (!LINK_DIR_SUFFIXES.some((s) => entry.name.endsWith(s))) continue;
      const linkDir = `${dir}/${entry.name}`;
      for (const link of await root.listDirEntries(linkDir)) {
        const p = `${linkDir}/${link.name}`;
        const target = link.isSymbolicLink() ? await root.readlink(p) : p;
        wants.set(link.name, [...(wants.get(link.name) ?? []), { path: p, target }]);
      }
    }
  }
  return { wants };
}

/** Parses the [Install] section of a unit file (later assignments add; an empty one resets). */
export function parseInstallSection(text: string): InstallSection | undefined {
  let inInstall = false;
  let seen = false;
  const out: InstallSection = { wantedBy: [], requiredBy: [], upheldBy: [], alias: [], also: [] };
  const lists: Record<string, keyof Omit<InstallSection, 'defaultInstance'>> = { WantedBy: 'wantedBy', RequiredBy: 'requiredBy', UpheldBy: 'upheldBy', Alias: 'alias', Also: 'also' };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) { inInstall = line === '[Install]'; if (inInstall) seen = true; continue; }
    if (!inInstall) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key === 'DefaultInstance') { out.defaultInstance = value; continue; }
    const field = lists[key];
    if (!field) continue;
    if (value === '') out[field] = [];
    else out[field].push(...value.split(/\s+/));
  }
  return seen ? out : undefined;
}

/** "foo@bar.service" → { template: "foo@.service", instance: "bar" }; undefined for non-instances. */
export function splitInstance(name: string): { template: string; instance: string } | undefined {
  const m = /^([^@]+)@(.+)(\.[a-z]+)$/.exec(name);
  return m ? { template: `${m[1]}@${m[3]}`, instance: m[2]! } : undefined;
}

/** Unit name with `.service` added when it has no unit suffix. */
export function normalizeUnitName(name: string): string {
  return /\.(service|socket|target|timer|mount|automount|swap|path|slice|scope|device)$/.test(name) ? name : `${name}.service`;
}

async function findInSearchPath(root: HostRoot, name: string): Promise<{ found?: Omit<UnitInfo, 'name' | 'state' | 'links' | 'shadowed' | 'install'>; shadowed: string[] }> {
  let found: Omit<UnitInfo, 'name' | 'state' | 'links' | 'shadowed' | 'install'> | undefined;
  const shadowed: string[] = [];
  for (const dir of UNIT_SEARCH_PATH) {
    const p = `${dir}/${name}`;
    const st = await root.lstatIfExists(p);
    if (!st) continue;
    if (found) { shadowed.push(p); continue; }
    if (st.isSymbolicLink()) {
      const target = await root.readlink(p);
      if (target === '/dev/null') { found = { canonical: name, foundAt: p, foundAs: 'masked_link' }; continue; }
      const targetName = path.posix.basename(target);
      const targetPath = target.startsWith('/') ? target : path.posix.join(dir, target);
      found = { canonical: targetName, fragment: targetPath, foundAt: p, foundAs: targetName === name ? 'linked' : 'alias' };
      continue;
    }
    found = st.isFile() && st.size === 0 ? { canonical: name, foundAt: p, foundAs: 'masked_empty' } : { canonical: name, fragment: p, foundAt: p, foundAs: 'file' };
  }
  return found ? { found, shadowed } : { shadowed };
}

/**
 * The enablement state of a unit on disk, as `systemctl is-enabled` would report it (with
 * enabled-runtime folded into enabled and alias into the state of the unit aliased).
 */
export async function lookupUnitState(root: HostRoot, links: UnitLinks, asked: string): Promise<UnitInfo> {
  const name = normalizeUnitName(asked);
  let { found, shadowed } = await findInSearchPath(root, name);
  const inst = splitInstance(name);
  if (!found && inst) ({ found, shadowed } = await findInSearchPath(root, inst.template));
  if (!found) return { name, canonical: name, state: 'absent', links: [], shadowed };
  const info: UnitInfo = { name, ...found, state: 'static', links: [], shadowed };
  if (found.foundAs === 'masked_link' || found.foundAs === 'masked_empty') return { ...info, state: 'masked' };

  // an alias may itself be found where the aliased unit is masked
  if (found.foundAs === 'alias') {
    const target = await findInSearchPath(root, found.canonical);
    if (target.found?.foundAs === 'masked_link' || target.found?.foundAs === 'masked_empty') return { ...info, state: 'masked', foundAt: target.found.foundAt };
  }
  let text = '';
  try {
    text = await root.readText(found.fragment!);
  } catch (err) {
    // a dangling link: systemd reports such a unit as not-found; other read errors are real errors
    if (err instanceof SpyglassError && (err.code === 'not_found' || err.code === 'not_directory')) return { ...info, state: 'absent' };
    throw err;
  }
  const install = parseInstallSection(text);
  if (install) info.install = install;

  const names = new Set([name, found.canonical, ...(install?.alias ?? [])]);
  if (inst) names.add(name);
  const isTemplate = /@\./.test(found.canonical) && !inst;
  for (const [linkName, ls] of links.wants) {
    const matches = names.has(linkName) || (isTemplate && splitInstance(linkName)?.template === found.canonical);
    if (matches) info.links.push(...ls);
  }
  // Alias= links (e.g. /etc/systemd/system/sshd.service → ssh.service) also mean "enabled"
  for (const alias of install?.alias ?? []) {
    for (const dir of ['/etc/systemd/system', '/run/systemd/system']) {
      const p = `${dir}/${alias}`;
      const st = await root.lstatIfExists(p);
      if (st?.isSymbolicLink()) info.links.push({ path: p, target: await root.readlink(p) });
    }
  }
  if (info.links.length > 0) info.state = 'enabled';
  else if (install && (install.wantedBy.length || install.requiredBy.length || install.upheldBy.length || install.alias.length)) info.state = 'disabled';
  else if (install && install.also.length) info.state = 'indirect';
  else info.state = 'static';
  return info;
}
