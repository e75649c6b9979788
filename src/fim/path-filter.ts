/**
 * Decides which host paths a watch covers: inside its path, within its depth, not excluded
 * by a glob or regular expression (global ones plus the watch's own).
 */
import picomatch from 'picomatch';
import { compileUserRegex } from '../core/user-regex.js';
import type { FimConfig, ReportedChange, WatchConfig } from './config.js';

export class WatchScope {
  readonly path: string;
  readonly category: string;
  readonly report: ReadonlySet<ReportedChange>;
  /** levels of directories below `path` that are descended; Infinity for no limit */
  readonly maxDepth: number;
  private readonly excluded: (p: string) => boolean;

  constructor(readonly watch: WatchConfig, config: FimConfig) {
    this.path = watch.path;
    this.category = watch.category ?? config.category;
    this.report = new Set(watch.report ?? config.report);
    this.maxDepth = !watch.recursive ? 0 : watch.depth ?? Infinity;
    const globs = [...config.exclude, ...watch.exclude];
    const globMatch = globs.length ? picomatch(globs, { dot: true }) : () => false;
    const regexes = [...config.exclude_regex, ...watch.exclude_regex].map((r) => compileUserRegex(r));
    this.excluded = (p) => globMatch(p) || regexes.some((r) => r.test(p));
  }

  /** True when `p` (a host path) is under this watch's path (or is it). */
  contains(p: string): boolean {
    return p === this.path || this.path === '/' || p.startsWith(this.path + '/');
  }

  /** Directory levels between the watch path and `p` (0 for an entry directly in it). */
  depthOf(p: string): number {
    if (p === this.path) return -1;
    const rel = this.path === '/' ? p.slice(1) : p.slice(this.path.length + 1);
    return rel.split('/').length - 1;
  }

  /** True when the entry at `p` is recorded by this watch. */
  covers(p: string): boolean {
    if (!this.contains(p)) return false;
    if (this.excluded(p)) return false;
    return this.depthOf(p) <= this.maxDepth;
  }

  /** True when the directory at `p` is read (its entries recorded). */
  descendsInto(dir: string): boolean {
    return this.covers(dir) && this.depthOf(dir) < this.maxDepth;
  }

  isExcluded(p: string): boolean {
    return this.excluded(p);
  }
}

/** The scope that owns a path: the most specific watch covering it. */
export function scopeFor(scopes: readonly WatchScope[], p: string): WatchScope | undefined {
  let best: WatchScope | undefined;
  for (const s of scopes) if (s.covers(p) && (!best || s.path.length > best.path.length)) best = s;
  return best;
}
