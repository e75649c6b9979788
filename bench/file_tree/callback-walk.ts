/**
 * The alternative walk measured against the shipped one (src/audit/checks/common/tree-walk.ts):
 * callback fs through libuv's thread pool with a bounded number of operations in flight.
 * Kept here only so bench.ts can compare both in the same run.
 */
import fs, { type Stats } from 'node:fs';
import type { HostRoot } from '../../src/core/host-root.js';

export interface WalkOptions {
  root: HostRoot;
  /** host paths to start from */
  starts: string[];
  /** host paths (directories or files) not to examine or enter */
  isExcluded(hostPath: string): boolean;
  /** stay on the device of each start path */
  oneFilesystem: boolean;
  /** host paths of directories never entered (pseudo and network mounts on the live root) */
  skipDirs: ReadonlySet<string>;
  maxEntries: number;
  /** Date.now() after which the walk stops */
  deadline: number;
  signal: AbortSignal;
  concurrency?: number;
  onEntry(hostPath: string, st: Stats): void;
  onProgress?(entries: number, dirs: number, lastDir: string): void;
}

export type StopReason = 'max_files' | 'time_budget' | 'aborted';

export interface WalkResult {
  entries: number;
  dirs: number;
  /** start paths that do not exist or are symlinks (not followed) */
  skippedStarts: { path: string; why: string }[];
  /** directories (or entries) that could not be read, with the error code */
  unreadable: { path: string; code: string }[];
  /** directories not entered because they are on another filesystem or a pseudo/network mount */
  notEntered: string[];
  stopped?: StopReason;
  elapsedMs: number;
}

function childPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export function walkTrees(opts: WalkOptions): Promise<WalkResult> {
  const started = Date.now();
  const concurrency = opts.concurrency ?? 64;
  const result: WalkResult = { entries: 0, dirs: 0, skippedStarts: [], unreadable: [], notEntered: [], elapsedMs: 0 };
  /** directories to read, with the device they must stay on */
  const dirs: { path: string; dev: number }[] = [];
  /** entries to lstat, with their directory's device */
  const pending: { path: string; dev: number }[] = [];
  let active = 0;
  let lastProgress = started;
  let lastDir = '';

  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      result.elapsedMs = Date.now() - started;
      resolve(result);
    };
    const shouldStop = (): boolean => {
      if (result.stopped) return true;
      if (opts.signal.aborted) result.stopped = 'aborted';
      else if (result.entries >= opts.maxEntries) result.stopped = 'max_files';
      else if (Date.now() > opts.deadline) result.stopped = 'time_budget';
      return result.stopped !== undefined;
    };

    const examine = (hostPath: string, st: Stats, dev: number | undefined) => {
      result.entries++;
      opts.onEntry(hostPath, st);
      if (!st.isDirectory()) return;
      if (opts.skipDirs.has(hostPath)) { result.notEntered.push(hostPath); return; }
      if (dev !== undefined && opts.oneFilesystem && st.dev !== dev) { result.notEntered.push(hostPath); return; }
      dirs.push({ path: hostPath, dev: st.dev });
    };

    const pump = () => {
      if (shouldStop()) {
        if (active === 0) finish();
        return;
      }
      const now = Date.now();
      if (opts.onProgress && now - lastProgress > 500) { lastProgress = now; opts.onProgress(result.entries, result.dirs, lastDir); }
      while (active < concurrency && (pending.length || dirs.length)) {
        if (pending.length) {
          const { path, dev } = pending.pop()!;
          active++;
          fs.lstat(opts.root.join(path), (err, st) => {
            active--;
            if (err) {
              if (err.code !== 'ENOENT') result.unreadable.push({ path, code: err.code ?? 'EIO' }); // ENOENT: removed since readdir
            } else if (!result.stopped) examine(path, st, dev);
            pump();
          });
        } else {
          const { path, dev } = dirs.pop()!;
          active++;
          result.dirs++;
          lastDir = path;
          fs.readdir(opts.root.join(path), (err, names) => {
            active--;
            if (err) {
              if (err.code !== 'ENOENT') result.unreadable.push({ path, code: err.code ?? 'EIO' });
            } else {
              for (const name of names) {
                const p = childPath(path, name);
                if (!opts.isExcluded(p)) pending.push({ path: p, dev });
              }
            }
            pump();
          });
        }
      }
      if (active === 0 && !pending.length && !dirs.length) finish();
    };

    // start paths: lstat each (a link is not followed), then walk
    let startsLeft = opts.starts.length;
    if (startsLeft === 0) { finish(); return; }
    for (const start of opts.starts) {
      fs.lstat(opts.root.join(start), (err, st) => {
        if (err) result.skippedStarts.push({ path: start, why: err.code === 'ENOENT' ? 'does not exist' : `cannot be read (${err.code})` });
        else if (st.isSymbolicLink()) result.skippedStarts.push({ path: start, why: 'is a symbolic link (not followed)' });
        else if (opts.isExcluded(start)) result.skippedStarts.push({ path: start, why: 'is excluded' });
        else if (opts.skipDirs.has(start)) result.skippedStarts.push({ path: start, why: 'is a pseudo or network filesystem' });
        else examine(start, st, undefined);
        if (--startsLeft === 0) pump();
      });
    }
  });
}
