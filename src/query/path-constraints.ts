/**
 * Turns the `path` / `directory` constraints of the `file` and `hash` tables into the host
 * paths to read, the way osquery does: `=` is one path (or one directory listed one level
 * deep), `LIKE` is a glob where `%` matches within one path segment and a segment `%%`
 * matches any depth (osquery's recursive wildcard). Everything is synchronous (virtual tables
 * pull rows synchronously) and read through the host root; symlinks inside a non-live root
 * are resolved inside it, never leading a read outside the tree.
 */
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { HostRoot } from '../core/host-root.js';
import type { TableContext } from './table.js';
import { compileUserRegex } from '../core/user-regex.js';

/** How deep a `%%` may go, and how many paths one constraint may produce (a disk-wide `%%` stops there). */
export const MAX_GLOB_DEPTH = 32;
export const MAX_GLOB_PATHS = 100_000;

export interface FileTarget {
  /** the host path to report */
  path: string;
  /** the `directory` value to report (the constraint as given, or the path's parent) */
  directory: string;
}

/** Every file the constraints name, in order, without duplicates. */
export function* fileTargets(ctx: TableContext): Generator<FileTarget> {
  const seen = new Set<string>();
  const emit = function* (t: FileTarget) {
    const key = `${t.path}\0${t.directory}`;
    if (seen.has(key)) return;
    seen.add(key);
    yield t;
  };
  const paths = ctx.constraints.filter((c) => c.column === 'path' && c.value !== null);
  const dirs = ctx.constraints.filter((c) => c.column === 'directory' && c.value !== null);
  // Both kinds are read when both are given: a `path = …` may sit in one branch of an OR and
  // a `directory = …` in the other; SQLite drops what does not match.
  for (const c of paths) {
    const value = String(c.value);
    if (c.op === '=') yield* emit({ path: value, directory: parentOf(value) });
    else for (const p of expandPattern(ctx, value, c.op === 'GLOB')) yield* emit({ path: p, directory: parentOf(p) });
  }
  for (const c of dirs) {
    const value = String(c.value);
    const directories = c.op === '=' ? [value] : expandPattern(ctx, value, c.op === 'GLOB').filter((d) => isDirectory(ctx.root, d));
    for (const dir of directories) {
      for (const name of listDirSync(ctx.root, dir)) yield* emit({ path: path.posix.join(dir, name), directory: dir });
    }
  }
}

export function parentOf(p: string): string {
  const d = path.posix.dirname(p);
  return d;
}

/** Names in a directory, sorted; [] when it is missing or not a directory. */
export function listDirSync(root: HostRoot, hostDir: string): string[] {
  try {
    return root.listDirSync(hostDir);
  } catch {
    return [];
  }
}

function isDirectory(root: HostRoot, hostPath: string): boolean {
  try {
    return fs.statSync(resolveSync(root, hostPath)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The machine path of a host path with symlinks resolved inside the root (the kernel does it
 * on the live root). Throws the fs error (ENOENT, ELOOP) like fs calls do.
 */
export function resolveSync(root: HostRoot, hostPath: string): string {
  try {
    return root.resolveSync(hostPath);
  } catch (err) {
    // fs-style errors for the tables' callers: a loop is ELOOP
    if ((err as { code?: string }).code === 'symlink_loop') throw Object.assign(new Error(`${hostPath}: too many levels of symbolic links`), { code: 'ELOOP' });
    throw err;
  }
}

/** The host path a symlink finally points to, inside the root. */
export function realHostPathSync(root: HostRoot, hostPath: string): string {
  return root.toHostPath(root.isLive ? fs.realpathSync(hostPath) : fs.realpathSync(resolveSync(root, hostPath)));
}

/** Expands an osquery LIKE pattern (or a GLOB) into existing host paths, sorted. */
export function expandPattern(ctx: TableContext, pattern: string, isGlob = false): string[] {
  const segments = path.posix.normalize('/' + pattern).split('/').filter(Boolean);
  let current = ['/'];
  let produced = 0;
  for (const seg of segments) {
    const next: string[] = [];
    const recursive = isGlob ? seg === '**' : seg === '%%';
    const wild = isGlob ? picomatch.scan(seg).isGlob : /[%_]/.test(seg);
    if (recursive) {
      for (const base of current) walk(ctx, base, 0, next);
    } else if (wild) {
      const match = isGlob ? picomatch(seg, { dot: true }) : likeSegmentMatcher(seg);
      for (const base of current) for (const name of listDirSync(ctx.root, base)) if (match(name)) next.push(path.posix.join(base, name));
    } else {
      for (const base of current) next.push(path.posix.join(base, seg));
    }
    produced = next.length;
    if (produced > MAX_GLOB_PATHS) {
      ctx.warn(`pattern ${pattern} matches over ${MAX_GLOB_PATHS} paths; stopped there`);
      next.length = MAX_GLOB_PATHS;
    }
    current = next;
  }
  return [...new Set(current)].filter((p) => exists(ctx.root, p)).sort();
}

function walk(ctx: TableContext, base: string, depth: number, out: string[]): void {
  if (out.length > MAX_GLOB_PATHS) return;
  if (depth > 0) out.push(base);
  if (depth >= MAX_GLOB_DEPTH) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(resolveSync(ctx.root, base), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const child = path.posix.join(base, e.name);
    if (e.isDirectory()) walk(ctx, child, depth + 1, out); // symlinks to directories are not followed, as find(1) without -L
    else out.push(child);
  }
}

/**
 * A LIKE segment: `%` any run of characters, `_` one character, case-insensitive as SQLite's
 * LIKE. On RE2: '%%%%%%%%x' as a backtracking regex takes minutes on a 60-character name.
 */
function likeSegmentMatcher(seg: string): (name: string) => boolean {
  const re = compileUserRegex('^' + seg.split('').map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('') + '$', { ignoreCase: true, dotAll: true });
  return (name) => re.test(name);
}

function exists(root: HostRoot, hostPath: string): boolean {
  try {
    fs.lstatSync(root.join(hostPath));
    return true;
  } catch {
    try { fs.lstatSync(resolveSync(root, hostPath)); return true; } catch { return false; }
  }
}
