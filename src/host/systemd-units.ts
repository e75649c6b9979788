/**
 * systemd unit files of a root, read the way systemctl decides without a running systemd:
 * the one reader behind the audit's `service` and `mount` checks and the systemd_units and
 * startup_items tables. Which file defines a unit (first hit in the search path, aliases and
 * templates followed), whether it is masked (a link to /dev/null or an empty file), its
 * settings (the fragment, then `*.d/*.conf` drop-ins in systemd's order; systemctl takes
 * [Install] from drop-ins too), and its enablement from the `*.wants/`, `*.requires/`,
 * `*.upholds/` and Alias= links. System units only.
 *
 *   const scan = scanUnitDirs(root);                 // one listing of the search path and link dirs
 *   const info = resolveUnit(root, scan, 'avahi-daemon.service');
 *   info.state      // as `systemctl is-enabled`: 'enabled' | 'disabled' | 'masked' | 'static' | 'indirect' | 'absent'
 *   info.listState  // as `systemctl list-unit-files`: also 'enabled-runtime', 'alias', 'linked', 'generated', 'transient', 'bad'
 */
import path from 'node:path';
import type { HostRoot } from '../core/host-root.js';
import { SpyglassError } from '../core/errors.js';

export type UnitDirKind = 'config' | 'runtime' | 'transient' | 'generator' | 'vendor';

/**
 * The system unit search path, highest precedence first (systemd's lookup_paths for the
 * system manager). /lib/systemd/system comes before /usr/lib as on Debian, whose systemd is
 * built with rootprefix=/ (with merged /usr both are one directory, read once).
 */
export const UNIT_SEARCH_PATH: ReadonlyArray<{ dir: string; kind: UnitDirKind }> = [
  { dir: '/etc/systemd/system.control', kind: 'config' },
  { dir: '/run/systemd/system.control', kind: 'runtime' },
  { dir: '/run/systemd/transient', kind: 'transient' },
  { dir: '/run/systemd/generator.early', kind: 'generator' },
  { dir: '/etc/systemd/system', kind: 'config' },
  { dir: '/etc/systemd/system.attached', kind: 'config' },
  { dir: '/run/systemd/system', kind: 'runtime' },
  { dir: '/run/systemd/system.attached', kind: 'runtime' },
  { dir: '/run/systemd/generator', kind: 'generator' },
  { dir: '/usr/local/lib/systemd/system', kind: 'vendor' },
  { dir: '/lib/systemd/system', kind: 'vendor' },
  { dir: '/usr/lib/systemd/system', kind: 'vendor' },
  { dir: '/run/systemd/generator.late', kind: 'generator' },
];

const UNIT_SUFFIX = /\.(service|socket|target|timer|mount|automount|swap|path|slice|scope|device)$/;
const LINK_DIR_SUFFIX = /\.(wants|requires|upholds)$/;

/** section → key → values in order (an empty assignment resets the list). */
export type UnitSettings = Map<string, Map<string, string[]>>;

/** Parses a unit file's INI-like syntax into `into` (drop-ins add to the fragment's settings). */
export function parseUnitFile(text: string, into: UnitSettings = new Map()): UnitSettings {
  let section = '';
  let pending = '';
  const lines = text.split('\n');
  for (const raw of lines) {
    const line = pending + raw;
    if (line.endsWith('\\')) { pending = line.slice(0, -1) + ' '; continue; }
    pending = '';
    const t = line.trim();
    if (!t || t.startsWith('#') || t.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(t);
    if (s) { section = s[1]!; if (!into.has(section)) into.set(section, new Map()); continue; }
    const eq = t.indexOf('=');
    if (eq < 0 || !section) continue;
    const key = t.slice(0, eq).trim();
    const value = t.slice(eq + 1).trim();
    const sec = into.get(section)!;
    if (value === '') sec.delete(key);
    else sec.set(key, [...(sec.get(key) ?? []), value]);
  }
  return into;
}

/** The last value of a setting, '' when unset. */
export function unitSetting(settings: UnitSettings, section: string, key: string): string {
  return settings.get(section)?.get(key)?.at(-1) ?? '';
}

export interface InstallSection {
  wantedBy: string[];
  requiredBy: string[];
  upheldBy: string[];
  alias: string[];
  also: string[];
  defaultInstance?: string;
}

/** The [Install] section of parsed settings (lists split on blanks), undefined when there is none. */
export function installSection(settings: UnitSettings): InstallSection | undefined {
  const sec = settings.get('Install');
  if (!sec) return undefined;
  const list = (key: string) => (sec.get(key) ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean);
  const defaultInstance = sec.get('DefaultInstance')?.at(-1);
  return {
    wantedBy: list('WantedBy'), requiredBy: list('RequiredBy'), upheldBy: list('UpheldBy'), alias: list('Alias'), also: list('Also'),
    ...(defaultInstance !== undefined ? { defaultInstance } : {}),
  };
}

/** [Install] of a unit file's text. */
export function parseInstallSection(text: string): InstallSection | undefined {
  return installSection(parseUnitFile(text));
}

/** "foo@bar.service" → { template: "foo@.service", instance: "bar" }; undefined for non-instances. */
export function splitInstance(name: string): { template: string; instance: string } | undefined {
  const m = /^([^@]+)@(.+)(\.[a-z]+)$/.exec(name);
  return m ? { template: `${m[1]}@${m[3]}`, instance: m[2]! } : undefined;
}

/** Unit name with `.service` added when it has no unit suffix. */
export function normalizeUnitName(name: string): string {
  return UNIT_SUFFIX.test(name) ? name : `${name}.service`;
}

export interface UnitLink {
  /** host path of the link, e.g. /etc/systemd/system/multi-user.target.wants/ssh.service */
  path: string;
  /** what the link points to, as written */
  target: string;
  /** persistent (/etc: "enabled") or runtime (/run: "enabled-runtime") */
  scope: 'config' | 'runtime';
}

/** One listing of the root's unit directories and enablement links, shared by every lookup. */
export interface UnitScan {
  /** search path entries that exist (one per real directory), in precedence order, with their entry names */
  dirs: Array<{ dir: string; kind: UnitDirKind; names: Set<string> }>;
  /** host paths of the real directories of `dirs` (a link target outside them is a "linked" unit) */
  realDirs: Set<string>;
  /** enablement links by the unit name they enable */
  links: Map<string, UnitLink[]>;
}

/**
 * Lists the search path and the `*.wants` / `*.requires` / `*.upholds` directories of its
 * configuration, runtime and generator entries. Links that packages ship in vendor
 * directories (/usr/lib/systemd/system/*.wants) are not enablement: systemctl reports such
 * units static or disabled, and so do we.
 */
export function scanUnitDirs(root: HostRoot): UnitScan {
  const scan: UnitScan = { dirs: [], realDirs: new Set(), links: new Map() };
  for (const { dir, kind } of UNIT_SEARCH_PATH) {
    let real: string;
    try {
      real = root.realHostPathSync(dir);
    } catch {
      continue; // no such directory
    }
    if (scan.realDirs.has(real)) continue;
    scan.realDirs.add(real);
    const entries = root.listDirEntriesSync(dir);
    scan.dirs.push({ dir, kind, names: new Set(entries.map((e) => e.name)) });
    if (kind === 'vendor') continue;
    for (const entry of entries) {
      if (!LINK_DIR_SUFFIX.test(entry.name)) continue;
      const linkDir = `${dir}/${entry.name}`;
      for (const link of root.listDirEntriesSync(linkDir)) {
        const p = `${linkDir}/${link.name}`;
        const target = link.isSymbolicLink() ? root.readlinkSync(p) : p;
        const found: UnitLink = { path: p, target, scope: kind === 'config' ? 'config' : 'runtime' };
        const enables = new Set([link.name]);
        // a link under another name enables the unit it points at; an instance link (x@1 → x@) only the instance
        const targetName = path.posix.basename(target);
        if (link.isSymbolicLink() && splitInstance(link.name)?.template !== targetName) enables.add(targetName);
        for (const name of enables) scan.links.set(name, [...(scan.links.get(name) ?? []), found]);
      }
    }
  }
  return scan;
}

/** What the search path entry of a unit is. */
export type UnitEntryKind = 'file' | 'alias' | 'linked' | 'masked_link' | 'masked_empty' | 'dangling';

/** `systemctl is-enabled` states (enabled-runtime folded into enabled, an alias takes the aliased unit's state). */
export type UnitFileState = 'enabled' | 'disabled' | 'masked' | 'static' | 'indirect' | 'absent';

/** `systemctl list-unit-files` states. */
export type UnitListState = 'enabled' | 'enabled-runtime' | 'disabled' | 'masked' | 'static' | 'indirect' | 'alias' | 'linked' | 'generated' | 'transient' | 'bad' | 'absent';

export interface UnitInfo {
  /** the name asked about */
  name: string;
  /** the unit's own name after following an alias link (e.g. sshd.service → ssh.service) */
  canonical: string;
  /** host path of the file that defines it (after links), undefined when absent or masked */
  fragment?: string;
  /** host path where the name was found in the search path */
  foundAt?: string;
  foundAs?: UnitEntryKind;
  /** the kind of search path entry it was found in */
  dirKind?: UnitDirKind;
  state: UnitFileState;
  listState: UnitListState;
  /** the fragment's settings with its drop-ins applied */
  settings: UnitSettings;
  install?: InstallSection;
  /** enablement links that point at the unit (by its name, canonical name, aliases or instances) */
  links: UnitLink[];
  /** search path entries hidden by the one that won */
  shadowed: string[];
}

type Found = { canonical: string; fragment?: string; foundAt: string; foundAs: UnitEntryKind; dirKind: UnitDirKind };

const isMissing = (err: unknown) => err instanceof SpyglassError && (err.code === 'not_found' || err.code === 'not_directory');

function findInSearchPath(root: HostRoot, scan: UnitScan, name: string): { found?: Found; shadowed: string[] } {
  let found: Found | undefined;
  const shadowed: string[] = [];
  for (const { dir, kind, names } of scan.dirs) {
    if (!names.has(name)) continue;
    const p = `${dir}/${name}`;
    if (found) { shadowed.push(p); continue; }
    const st = root.lstatIfExistsSync(p);
    if (!st) continue;
    if (st.isSymbolicLink()) {
      if (root.readlinkSync(p) === '/dev/null') { found = { canonical: name, foundAt: p, foundAs: 'masked_link', dirKind: kind }; continue; }
      let real: string;
      try {
        real = root.realHostPathSync(p);
      } catch (err) {
        if (!isMissing(err)) throw err; // a link loop is an error, not an absent unit
        found = { canonical: name, foundAt: p, foundAs: 'dangling', dirKind: kind };
        continue;
      }
      const targetName = path.posix.basename(real);
      const isAlias = targetName !== name && splitInstance(name)?.template !== targetName;
      const isLinked = !isAlias && !scan.realDirs.has(path.posix.dirname(real));
      found = { canonical: isAlias ? targetName : name, fragment: real, foundAt: p, foundAs: isAlias ? 'alias' : isLinked ? 'linked' : 'file', dirKind: kind };
      continue;
    }
    found = st.isFile() && st.size === 0 ? { canonical: name, foundAt: p, foundAs: 'masked_empty', dirKind: kind } : { canonical: name, fragment: p, foundAt: p, foundAs: 'file', dirKind: kind };
  }
  return found ? { found, shadowed } : { shadowed };
}

/**
 * Where a unit is defined and its enablement state, as `systemctl is-enabled` and
 * `systemctl list-unit-files` would report them. Throws SpyglassError for a link loop or an
 * unreadable unit file.
 */
export function resolveUnit(root: HostRoot, scan: UnitScan, asked: string): UnitInfo {
  const name = normalizeUnitName(asked);
  const inst = splitInstance(name);
  let { found, shadowed } = findInSearchPath(root, scan, name);
  if (!found && inst) ({ found, shadowed } = findInSearchPath(root, scan, inst.template));
  const base = { name, canonical: name, settings: new Map() as UnitSettings, links: [] as UnitLink[], shadowed };
  if (!found) return { ...base, state: 'absent', listState: 'absent' };
  const info: UnitInfo = { ...base, ...found, state: 'static', listState: 'static' };
  if (found.foundAs === 'masked_link' || found.foundAs === 'masked_empty') return { ...info, state: 'masked', listState: 'masked' };
  if (found.foundAs === 'dangling') return { ...info, state: 'absent', listState: 'bad' };

  // an alias may itself be found where the aliased unit is masked
  if (found.foundAs === 'alias') {
    const target = findInSearchPath(root, scan, found.canonical).found;
    if (target?.foundAs === 'masked_link' || target?.foundAs === 'masked_empty') return { ...info, state: 'masked', listState: 'alias', foundAt: target.foundAt };
  }
  let text: string;
  try {
    text = root.readTextSync(found.fragment!);
  } catch (err) {
    if (isMissing(err)) return { ...info, state: 'absent', listState: 'bad' };
    throw err;
  }
  info.settings = parseUnitFile(text);
  // drop-ins of the name asked and of the unit it stands for; systemctl reads [Install] from them too
  const dropIns = new Set([...dropInFiles(root, scan, name), ...(found.canonical !== name ? dropInFiles(root, scan, found.canonical) : [])]);
  for (const file of dropIns) parseUnitFile(root.readTextIfExistsSync(file) ?? '', info.settings);
  const install = installSection(info.settings);
  if (install) info.install = install;

  // the names whose links enable this unit; a template also counts its DefaultInstance
  const names = new Set([name, found.canonical, ...(install?.alias ?? [])]);
  const isTemplate = /@\./.test(found.canonical) && !inst;
  if (isTemplate && install?.defaultInstance) names.add(found.canonical.replace('@.', `@${install.defaultInstance}.`));
  for (const n of names) info.links.push(...(scan.links.get(n) ?? []));
  // Alias= links (e.g. /etc/systemd/system/sshd.service → ssh.service) also mean "enabled"
  for (const alias of install?.alias ?? []) {
    for (const [dir, scope] of [['/etc/systemd/system', 'config'], ['/run/systemd/system', 'runtime']] as const) {
      const p = `${dir}/${alias}`;
      if (root.lstatIfExistsSync(p)?.isSymbolicLink()) info.links.push({ path: p, target: root.readlinkSync(p), scope });
    }
  }
  const instanceLinked = isTemplate && [...scan.links.keys()].some((n) => splitInstance(n)?.template === found.canonical);
  const enablement: UnitListState = info.links.some((l) => l.scope === 'config') ? 'enabled'
    : info.links.length > 0 ? 'enabled-runtime'
      : instanceLinked ? 'indirect'
        : install && (install.wantedBy.length || install.requiredBy.length || install.upheldBy.length || install.alias.length) ? 'disabled'
          : install?.also.length ? 'indirect'
            : 'static';
  info.state = enablement === 'enabled-runtime' ? 'enabled' : (enablement as UnitFileState);
  info.listState = found.foundAs === 'alias' ? 'alias'
    : found.foundAs === 'linked' ? 'linked'
      : found.dirKind === 'generator' ? 'generated'
        : found.dirKind === 'transient' ? 'transient'
          : enablement;
  return info;
}

/**
 * Drop-in files for a unit, in the order systemd applies them: the type-wide `<type>.d/`
 * (e.g. service.d), `<template>.d/` for an instance, then `<unit>.d/`, from every unit
 * directory; a file name in a higher-precedence directory hides the same name below, and the
 * survivors apply in file-name order.
 */
export function dropInFiles(root: HostRoot, scan: UnitScan, name: string): string[] {
  const type = name.slice(name.lastIndexOf('.') + 1);
  const bases = [`${type}.d`];
  const template = splitInstance(name)?.template;
  if (template) bases.push(`${template}.d`);
  bases.push(`${name}.d`);
  const byName = new Map<string, string>();
  for (const { dir, names } of scan.dirs) {
    for (const base of bases) {
      if (!names.has(base)) continue;
      for (const f of root.listDirSync(`${dir}/${base}`)) if (f.endsWith('.conf') && !byName.has(f)) byName.set(f, `${dir}/${base}/${f}`);
    }
  }
  return [...byName.keys()].sort().map((k) => byName.get(k)!);
}

/** Every unit file name in the search path (first directory holding a name wins), sorted. */
export function listUnitNames(scan: UnitScan): string[] {
  const names = new Set<string>();
  for (const { names: entries } of scan.dirs) for (const n of entries) if (UNIT_SUFFIX.test(n)) names.add(n);
  return [...names].sort();
}

export interface UnitFile {
  name: string;
  /** host path of the entry in the unit directory (a file or a symlink) */
  path: string;
  /** host path of the file the entry finally is (the target of an alias or a link) */
  fragmentPath: string;
  /** as `systemctl list-unit-files` reports it */
  state: UnitListState;
  /** the fragment's settings with drop-ins applied */
  settings: UnitSettings;
}

/** Every unit file of the root, sorted by name, as `systemctl list-unit-files` lists them. */
export function readUnitFiles(root: HostRoot, scan: UnitScan = scanUnitDirs(root)): UnitFile[] {
  return listUnitNames(scan).map((name) => {
    let info: UnitInfo;
    try {
      info = resolveUnit(root, scan, name);
    } catch {
      // a link loop or an unreadable file: systemd cannot load it either
      const where = scan.dirs.find((d) => d.names.has(name))!;
      return { name, path: `${where.dir}/${name}`, fragmentPath: `${where.dir}/${name}`, state: 'bad' as const, settings: new Map() };
    }
    const loaded = info.listState !== 'masked' && info.listState !== 'bad';
    return {
      name, path: info.foundAt!, fragmentPath: info.fragment ?? info.foundAt!, state: info.listState,
      settings: loaded ? info.settings : new Map(),
    };
  });
}

export async function readUnitScan(root: HostRoot): Promise<UnitScan> {
  return scanUnitDirs(root);
}

export async function lookupUnitState(root: HostRoot, scan: UnitScan, asked: string): Promise<UnitInfo> {
  return resolveUnit(root, scan, asked);
}
