/**
 * systemd unit files on disk, as `systemctl list-unit-files` sees them without a running
 * systemd: the unit search path in precedence order (first directory holding a name wins),
 * each unit's enablement state by systemd's rules (masked, alias, enabled, enabled-runtime,
 * linked, generated, disabled, indirect, static) and the [Unit] / [Service] settings tables
 * need. Used by systemd_units and startup_items.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HostRoot } from '../../core/host-root.js';
import { resolveSync } from '../path-constraints.js';
import { lines, listDirSync, readTextSync, readlinkSync } from './host-files.js';

/** The system unit search path (systemd's lookup_paths for the system manager), highest precedence first. */
export const UNIT_DIRS: Array<{ dir: string; kind: 'config' | 'runtime' | 'generator' | 'vendor' }> = [
  { dir: '/etc/systemd/system', kind: 'config' },
  { dir: '/run/systemd/system', kind: 'runtime' },
  { dir: '/run/systemd/generator', kind: 'generator' },
  { dir: '/usr/local/lib/systemd/system', kind: 'vendor' },
  { dir: '/lib/systemd/system', kind: 'vendor' }, // before /usr/lib as Debian's systemd searches (rootprefix=/)
  { dir: '/usr/lib/systemd/system', kind: 'vendor' },
];

const UNIT_SUFFIX = /\.(service|socket|target|timer|mount|automount|swap|path|slice|scope|device)$/;

export interface UnitFile {
  name: string;
  /** host path of the entry in the unit directory (a file or a symlink) */
  path: string;
  /** host path of the file the entry finally is (the target of an alias or a link) */
  fragmentPath: string;
  state: string;
  /** section -> key -> values (in order), from the fragment */
  settings: Map<string, Map<string, string[]>>;
}

/** Parses a unit file's INI-like syntax: sections, key=value, continuation lines, comments. */
export function parseUnitSettings(text: string, into?: Map<string, Map<string, string[]>>): Map<string, Map<string, string[]>> {
  const out = into ?? new Map<string, Map<string, string[]>>();
  let section = '';
  let pending = '';
  for (const raw of lines(text)) {
    const line = pending + raw;
    if (line.endsWith('\\')) { pending = line.slice(0, -1) + ' '; continue; }
    pending = '';
    const t = line.trim();
    if (!t || t.startsWith('#') || t.startsWith(';')) continue;
    const s = /^\[(.+)\]$/.exec(t);
    if (s) { section = s[1]!; if (!out.has(section)) out.set(section, new Map()); continue; }
    const eq = t.indexOf('=');
    if (eq < 0 || !section) continue;
    const key = t.slice(0, eq).trim();
    const value = t.slice(eq + 1).trim();
    const sec = out.get(section)!;
    if (value === '') sec.delete(key); // an empty assignment resets the list
    else sec.set(key, [...(sec.get(key) ?? []), value]);
  }
  return out;
}

export function setting(u: UnitFile, section: string, key: string): string {
  return u.settings.get(section)?.get(key)?.at(-1) ?? '';
}

function realDir(root: HostRoot, dir: string): string | undefined {
  try { return fs.realpathSync(resolveSync(root, dir)); } catch { return undefined; }
}

/** Names of units linked from .wants/.requires/.upholds directories of a config directory. */
function wantedNames(root: HostRoot, dir: string): Set<string> {
  const names = new Set<string>();
  for (const sub of listDirSync(root, dir)) {
    if (!/\.(wants|requires|upholds)$/.test(sub)) continue;
    for (const n of listDirSync(root, `${dir}/${sub}`)) {
      names.add(n);
      const target = readlinkSync(root, `${dir}/${sub}/${n}`);
      const targetName = target ? path.posix.basename(target) : undefined;
      // a link to a unit under another name enables that unit; an instance link (x@1 -> x@) only the instance
      if (targetName && templateOf(n) !== targetName) names.add(targetName);
    }
  }
  return names;
}

function templateOf(name: string): string | undefined {
  const m = /^([^@]+)@[^.]+(\.[a-z]+)$/.exec(name);
  return m ? `${m[1]}@${m[2]}` : undefined;
}

/**
 * Drop-in files for a unit, in the order systemd applies them: `<unit>.d/*.conf`,
 * `<template>.d/` for an instance, and the type-wide `<type>.d/` (e.g. service.d), from every
 * unit directory; a file name in a higher-precedence directory hides the same name below,
 * and the survivors apply in file-name order.
 */
export function dropInFiles(root: HostRoot, dirs: string[], name: string, listings?: Map<string, Set<string>>): string[] {
  const type = name.slice(name.lastIndexOf('.') + 1);
  const bases = [`${type}.d`];
  const template = templateOf(name);
  if (template) bases.push(`${template}.d`);
  bases.push(`${name}.d`);
  const byName = new Map<string, string>();
  for (const dir of dirs) {
    for (const base of bases) {
      if (listings && !listings.get(dir)?.has(base)) continue; // no such drop-in directory: skip the readdir
      for (const f of listDirSync(root, `${dir}/${base}`)) if (f.endsWith('.conf') && !byName.has(f)) byName.set(f, `${dir}/${base}/${f}`);
    }
  }
  return [...byName.keys()].sort().map((k) => byName.get(k)!);
}

/** Every unit file of the root, sorted by name, with its state. */
export function readUnitFiles(root: HostRoot): UnitFile[] {
  const seenDirs = new Set<string>();
  const found = new Map<string, { path: string; kind: string }>();
  const unitDirs: Array<{ dir: string; kind: string }> = [];
  const listings = new Map<string, Set<string>>();
  for (const d of UNIT_DIRS) {
    const real = realDir(root, d.dir);
    if (!real || seenDirs.has(real)) continue;
    seenDirs.add(real);
    unitDirs.push(d);
    const entries = listDirSync(root, d.dir);
    listings.set(d.dir, new Set(entries));
    for (const name of entries) {
      if (!UNIT_SUFFIX.test(name) || found.has(name)) continue;
      found.set(name, { path: `${d.dir}/${name}`, kind: d.kind });
    }
  }
  const enabledConfig = wantedNames(root, '/etc/systemd/system');
  const enabledRuntime = wantedNames(root, '/run/systemd/system');
  const unitDirReals = new Set(seenDirs);
  // a template counts as enabled when it or its DefaultInstance is linked; other instances only make it "indirect"
  const isEnabledIn = (set: Set<string>, name: string, defaultInstance: string) =>
    set.has(name) || (defaultInstance !== '' && set.has(name.replace('@.', `@${defaultInstance}.`)));
  const hasInstanceIn = (set: Set<string>, name: string) => [...set].some((n) => templateOf(n) === name);

  const units: UnitFile[] = [];
  for (const name of [...found.keys()].sort()) {
    const { path: p, kind } = found.get(name)!;
    const target = readlinkSync(root, p);
    let fragmentPath = p;
    let state = '';
    if (target !== undefined) {
      if (target === '/dev/null') state = 'masked';
      else {
        try {
          const realTarget = fs.realpathSync(resolveSync(root, p));
          fragmentPath = root.isLive ? realTarget : root.toHostPath(realTarget);
          const targetDir = path.dirname(realTarget);
          if (path.basename(realTarget) !== name && templateOf(name) !== path.basename(realTarget)) state = 'alias';
          else if (!unitDirReals.has(targetDir)) state = 'linked';
        } catch {
          state = 'bad'; // a dangling link
        }
      }
    } else {
      try { if (fs.statSync(resolveSync(root, p)).size === 0) state = 'masked'; } catch { state = 'bad'; }
    }
    const text = state === 'masked' || state === 'bad' ? '' : readTextSync(root, fragmentPath) ?? '';
    const settings = parseUnitSettings(text);
    if (state !== 'masked' && state !== 'bad') {
      // [Install] is never taken from drop-ins (systemd ignores it there), so enablement uses the fragment alone
      const install = settings.get('Install');
      for (const file of dropInFiles(root, unitDirs.map((d) => d.dir), name, listings)) parseUnitSettings(readTextSync(root, file) ?? '', settings);
      if (install) settings.set('Install', install); else settings.delete('Install');
    }
    if (!state) {
      const install = settings.get('Install');
      const aliases = (install?.get('Alias') ?? []).flatMap((a) => a.split(/\s+/));
      const aliasEnabled = aliases.some((a) => readlinkSync(root, `/etc/systemd/system/${a}`) !== undefined);
      const defaultInstance = install?.get('DefaultInstance')?.at(-1) ?? '';
      if (kind === 'generator') state = 'generated';
      else if (isEnabledIn(enabledConfig, name, defaultInstance) || aliasEnabled) state = 'enabled';
      else if (isEnabledIn(enabledRuntime, name, defaultInstance)) state = 'enabled-runtime';
      else if (hasInstanceIn(enabledConfig, name) || hasInstanceIn(enabledRuntime, name)) state = 'indirect';
      else if (install && ['WantedBy', 'RequiredBy', 'UpheldBy', 'Alias'].some((k) => install.has(k))) state = 'disabled';
      else if (install?.has('Also')) state = 'indirect';
      else state = 'static';
    }
    units.push({ name, path: p, fragmentPath, state, settings });
  }
  return units;
}
