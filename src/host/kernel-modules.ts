/**
 * Kernel modules of a root: which are loaded (`<root>/proc/modules`, meaningful on the live
 * root only) and which exist for each installed kernel (`<root>/lib/modules/<version>/`
 * modules.dep and modules.builtin, or the .ko files themselves when depmod never ran).
 * Module names are normalised the way kmod does it: `-` becomes `_`.
 */
import path from 'node:path';
import type { HostRoot } from '../core/host-root.js';

/** kmod's modname_normalize: dashes and underscores are the same character in module names. */
export function normalizeModuleName(name: string): string {
  return name.replace(/-/g, '_');
}

/** Module name of a path such as "kernel/fs/cramfs/cramfs.ko.xz". */
export function moduleNameOfPath(p: string): string | undefined {
  const m = /^(.+)\.ko(?:\.(?:xz|zst|gz))?$/.exec(path.posix.basename(p));
  return m ? normalizeModuleName(m[1]!) : undefined;
}

export interface LoadedModule {
  /** normalised name (the kernel already writes underscores) */
  name: string;
  size: number;
  refcount: number;
  /** modules using this one */
  usedBy: string[];
  /** the used-by field as the kernel writes it ("-", "nf_nat,nft_chain_nat,") */
  usedByField: string;
  /** Live, Loading or Unloading */
  state: string;
  /** load address as written ("0x0000000000000000" to an unprivileged reader) */
  address: string;
  line: number;
}

export const PROC_MODULES_PATH = '/proc/modules';

/** Parses /proc/modules ("name size refcount used-by state address"). */
export function parseProcModules(text: string): LoadedModule[] {
  const out: LoadedModule[] = [];
  text.split('\n').forEach((line, i) => {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || !f[0]) return;
    const usedByField = f[3] ?? '-';
    out.push({
      name: normalizeModuleName(f[0]), size: Number(f[1]), refcount: Number(f[2]),
      usedBy: usedByField.split(',').filter((d) => d && d !== '-'), usedByField,
      state: f[4] ?? '', address: f[5] ?? '', line: i + 1,
    });
  });
  return out;
}

/** Loaded modules of the root, or undefined when it has no /proc/modules. */
export async function readLoadedModules(root: HostRoot): Promise<LoadedModule[] | undefined> {
  const text = await root.readTextIfExists(PROC_MODULES_PATH);
  return text === undefined ? undefined : parseProcModules(text);
}

export function readLoadedModulesSync(root: HostRoot): LoadedModule[] | undefined {
  const text = root.readTextIfExistsSync(PROC_MODULES_PATH);
  return text === undefined ? undefined : parseProcModules(text);
}

export interface KernelModuleTree {
  /** kernel version (directory name under /lib/modules) */
  version: string;
  /** loadable modules by normalised name → path relative to the version directory */
  loadable: Map<string, string>;
  /** built-in modules by normalised name */
  builtin: Set<string>;
  /** where the list came from: "modules.dep" or "walk" */
  from: 'modules.dep' | 'walk';
}

const MAX_WALK_ENTRIES = 200_000;

async function walkKoFiles(root: HostRoot, dir: string, rel: string, out: Map<string, string>, budget: { left: number }): Promise<void> {
  for (const entry of await root.listDirEntries(dir)) {
    if (--budget.left < 0) return;
    const child = `${dir}/${entry.name}`;
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await walkKoFiles(root, child, childRel, out, budget);
    else {
      const name = moduleNameOfPath(entry.name);
      if (name && !out.has(name)) out.set(name, childRel);
    }
  }
}

/**
 * The module trees of every kernel under <root>/lib/modules (merged-/usr systems link it to
 * /usr/lib/modules; both are looked at, once each).
 */
export async function readKernelModuleTrees(root: HostRoot): Promise<KernelModuleTree[]> {
  const trees: KernelModuleTree[] = [];
  const seen = new Set<string>();
  for (const base of ['/lib/modules', '/usr/lib/modules']) {
    for (const version of await root.listDir(base)) {
      if (seen.has(version)) continue;
      const dir = `${base}/${version}`;
      const st = await root.stat(dir).catch(() => undefined);
      if (!st?.isDirectory()) continue;
      seen.add(version);
      const loadable = new Map<string, string>();
      const builtin = new Set<string>();
      const dep = await root.readTextIfExists(`${dir}/modules.dep`, 64 * 1024 * 1024);
      for (const line of (await root.readTextIfExists(`${dir}/modules.builtin`, 16 * 1024 * 1024) ?? '').split('\n')) {
        const name = moduleNameOfPath(line.trim());
        if (name) builtin.add(name);
      }
      if (dep !== undefined) {
        for (const line of dep.split('\n')) {
          const p = line.slice(0, line.indexOf(':'));
          const name = p ? moduleNameOfPath(p) : undefined;
          if (name && !loadable.has(name)) loadable.set(name, p);
        }
        trees.push({ version, loadable, builtin, from: 'modules.dep' });
      } else {
        await walkKoFiles(root, dir, '', loadable, { left: MAX_WALK_ENTRIES });
        trees.push({ version, loadable, builtin, from: 'walk' });
      }
    }
  }
  return trees;
}
