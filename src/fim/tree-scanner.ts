/**
 * Walks the watched trees and compares what it finds with the baseline: the engine behind
 * `fim baseline`, `fim check`, the scan at agent start (changes made while it was down), the
 * rescan after an inotify queue overflow and the scheduled scan of unwatched directories.
 *
 * Memory stays bounded: directories are read one at a time, paths go to the inspector pool
 * in batches with a bounded number in flight, baseline rows are looked up one path at a time
 * and every seen row is marked with the scan's generation, so deletions are found afterwards
 * with a query instead of a set of every path. The pace is limited by `scan_rate`.
 */
import fs from 'node:fs';
import type { EventDraft, EventPublisher } from '../core/event.js';
import type { HostRoot } from '../core/host-root.js';
import type { FimConfig } from './config.js';
import type { BaselineStore } from './baseline-store.js';
import { changeKind, compareEntries, type FileEntry } from './file-entry.js';
import type { InspectorPool, InspectRequest, InspectResult } from './inspector-pool.js';
import { entryEvent, noticeEvent, type Detection, type FimAction } from './fim-event.js';
import type { OwnerNames } from './owner-names.js';
import { WatchScope, scopeFor } from './path-filter.js';
import { lineDiff } from './content-diff.js';
import picomatch from 'picomatch';

export interface ScanCounts {
  scanned: number;
  hashed: number;
  reused: number;
  bytes_hashed: number;
  created: number;
  modified: number;
  attributes: number;
  deleted: number;
  moved: number;
  unreadable: number;
  unchanged: number;
  errors: number;
}

export function emptyCounts(): ScanCounts {
  return { scanned: 0, hashed: 0, reused: 0, bytes_hashed: 0, created: 0, modified: 0, attributes: 0, deleted: 0, moved: 0, unreadable: 0, unchanged: 0, errors: 0 };
}

/** What a scan reaches: whole watched trees, one subtree, or single directories (not recursive). */
export interface ScanTarget { path: string; recursive: boolean }

export interface ScanOptions {
  /** 'baseline' records without reporting; 'compare' reports differences */
  mode: 'baseline' | 'compare';
  detection: Detection;
  /** write what was found into the baseline (always for 'baseline') */
  update: boolean;
  /** hash even files whose size, mtime, ctime and inode are unchanged */
  force?: boolean;
  /** limit the scan to these targets (default: every watched path) */
  targets?: ScanTarget[];
  onProgress?: (counts: ScanCounts) => void;
}

/** Everything a scan or the watcher needs, built once. */
export interface FimRuntime {
  root: HostRoot;
  config: FimConfig;
  scopes: WatchScope[];
  store: BaselineStore;
  pool: InspectorPool;
  names: OwnerNames;
  publisher: EventPublisher;
  /** problems that are not events (a directory that cannot be listed): told to the user */
  onProblem?: (message: string) => void;
}

const BATCH = 64;

/** Creations held per scan to recognise moves (inode -> entry). */
const MAX_HELD_CREATIONS = 50_000;

/** Same object under another name: same inode and type, and for files the same content. */
function sameObject(old: FileEntry, cur: FileEntry): boolean {
  if (old.type !== cur.type || old.inode !== cur.inode) return false;
  if (old.type !== 'file') return true;
  return old.size === cur.size && Object.entries(cur.hashes).every(([alg, digest]) => old.hashes[alg] === undefined || old.hashes[alg] === digest);
}

export class TreeScanner {
  private readonly neverDiff: (p: string) => boolean;
  private readonly created = new Map<number, { entry: FileEntry; scope: WatchScope }>();

  constructor(private readonly rt: FimRuntime) {
    const never = rt.config.diff.never;
    this.neverDiff = never.length ? picomatch(never, { dot: true }) : () => false;
  }

  wantsContent(p: string): boolean {
    return this.rt.config.diff.enabled && !this.neverDiff(p);
  }

  async scan(opts: ScanOptions): Promise<ScanCounts> {
    const { rt } = this;
    const counts = emptyCounts();
    const gen = rt.store.nextGeneration();
    const targets = opts.targets ?? rt.scopes.map((s) => ({ path: s.path, recursive: true }));
    const inFlight = new Set<Promise<void>>();
    const maxInFlight = rt.pool.size * 8; // several small batches per worker: one huge file does not leave the other worker idle
    const rate = rt.config.scan_rate;
    const started = Date.now();
    let dispatched = 0;
    let lastProgress = 0;
    const batchSize = rate > 0 ? Math.max(1, Math.min(BATCH, Math.floor(rate / 4))) : BATCH;
    let batch: InspectRequest[] = [];
    const priors = new Map<string, FileEntry | undefined>();

    const dispatch = async (): Promise<void> => {
      if (batch.length === 0) return;
      const items = batch;
      batch = [];
      if (rate > 0) {
        const due = started + ((dispatched + items.length) / rate) * 1000;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      dispatched += items.length;
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
      const job = rt.pool.inspect(items, opts.force).then((results) => this.absorb(results, priors, gen, opts, counts)).catch((err: unknown) => {
        counts.errors += items.length;
        rt.onProblem?.(`inspecting ${items.length} paths failed: ${(err as Error).message}`);
      });
      const tracked = job.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (opts.onProgress && Date.now() - lastProgress > 200) { lastProgress = Date.now(); opts.onProgress(counts); }
    };

    const enqueue = async (p: string): Promise<void> => {
      const prior = opts.mode === 'baseline' ? undefined : rt.store.get(p); // a new baseline hashes everything
      priors.set(p, prior);
      const req: InspectRequest = { path: p, machinePath: rt.root.join(p), wantContent: this.wantsContent(p) };
      if (prior && prior.type === 'file' && !prior.hashError) req.prior = { size: prior.size, mtime: prior.mtime, ctime: prior.ctime, inode: prior.inode, hashes: prior.hashes };
      batch.push(req);
      if (batch.length >= batchSize) await dispatch();
    };

    for (const target of targets) {
      const ownScope = scopeFor(rt.scopes, target.path);
      const startScope = ownScope ?? rt.scopes.find((s) => s.path === target.path);
      if (!startScope) continue;
      await enqueue(target.path);
      const stack: string[] = [];
      if (this.isDir(target.path) && startScope.descendsInto(target.path)) stack.push(target.path);
      while (stack.length) {
        const dir = stack.pop()!;
        let names: fs.Dirent[];
        try {
          names = fs.readdirSync(rt.root.join(dir), { withFileTypes: true });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code !== 'ENOENT' && code !== 'ENOTDIR') {
            counts.errors++;
            rt.onProblem?.(`${dir}: cannot list directory: ${code}`);
            // its recorded children must not be reported deleted: mark them seen
            for (const child of rt.store.listChildren(dir)) rt.store.touch(child.path, gen);
          }
          continue;
        }
        for (const d of names) {
          const p = dir === '/' ? '/' + d.name : dir + '/' + d.name;
          const scope = scopeFor(rt.scopes, p);
          if (!scope) continue;
          await enqueue(p);
          if (d.isDirectory() && target.recursive && scope.descendsInto(p)) stack.push(p);
        }
      }
    }
    await dispatch();
    await Promise.all(inFlight);

    // what the baseline holds under the scanned targets and this scan did not see is gone
    for (const target of targets) {
      const pages = target.recursive ? rt.store.unseen(target.path, gen) : [rt.store.unseenChildren(target.path, gen)];
      for (const rows of pages) {
        for (const old of rows) {
          const scope = scopeFor(rt.scopes, old.path);
          if (opts.update || opts.mode === 'baseline' || !scope) rt.store.delete(old.path);
          if (!scope || opts.mode === 'baseline') continue; // no longer watched (configuration changed): dropped quietly
          const twin = this.created.get(old.inode);
          if (twin && sameObject(old, twin.entry)) {
            // gone here, appeared there with the same inode and content: a move made while nobody watched
            this.created.delete(old.inode);
            counts.created--;
            counts.moved++;
            const changes = compareEntries(old, twin.entry);
            delete changes.ctime;
            await this.report('moved', twin.entry, twin.scope, opts.detection, { oldPath: old.path, changes });
            continue;
          }
          counts.deleted++;
          await this.report('deleted', old, scope, opts.detection, {});
        }
      }
    }
    for (const { entry, scope } of this.created.values()) await this.report('created', entry, scope, opts.detection, {});
    this.created.clear();
    rt.store.flush();
    opts.onProgress?.(counts);
    return counts;
  }

  private isDir(p: string): boolean {
    try { return fs.lstatSync(this.rt.root.join(p)).isDirectory(); } catch { return false; }
  }

  private async absorb(results: InspectResult[], priors: Map<string, FileEntry | undefined>, gen: number, opts: ScanOptions, counts: ScanCounts): Promise<void> {
    const events: Promise<void>[] = [];
    for (const r of results) {
      const prior = priors.get(r.path);
      priors.delete(r.path);
      if ('gone' in r) continue; // vanished since it was listed: the deletion pass reports it if it was recorded
      counts.scanned++;
      if ('error' in r) {
        counts.errors++;
        counts.unreadable++;
        if (prior) this.rt.store.touch(r.path, gen);
        const scope = scopeFor(this.rt.scopes, r.path);
        if (scope && opts.mode === 'compare') events.push(this.rt.publisher.publish(noticeEvent('unreadable', r.path, scope.category, opts.detection, { error: r.error })));
        continue;
      }
      const entry = r.entry;
      if (r.reused) { counts.reused++; if (prior?.content !== undefined) entry.content = prior.content; }
      else if (entry.type === 'file' && Object.keys(entry.hashes).length) { counts.hashed++; counts.bytes_hashed += entry.size; }
      const scope = scopeFor(this.rt.scopes, r.path);
      if (entry.hashError && !entry.hashError.startsWith('too_large')) {
        counts.unreadable++;
        if (opts.mode === 'compare' && scope) events.push(this.report('unreadable', entry, scope, opts.detection, {}));
        else this.rt.onProblem?.(`${entry.path}: ${entry.hashError}`);
      }
      if (opts.mode === 'baseline') { this.rt.store.put(entry, gen); continue; }
      if (!prior) {
        counts.created++;
        if (scope) {
          // held until the deletions are known, to pair moves (bounded: past the cap, reported at once)
          const held = this.created.get(entry.inode);
          if (held) events.push(this.report('created', held.entry, held.scope, opts.detection, {}));
          if (this.created.size < MAX_HELD_CREATIONS && entry.type !== 'directory') this.created.set(entry.inode, { entry, scope });
          else events.push(this.report('created', entry, scope, opts.detection, {}));
        }
        if (opts.update) this.rt.store.put(entry, gen); else this.rt.store.touch(entry.path, gen);
        continue;
      }
      const changes = compareEntries(prior, entry);
      const kind = changeKind(changes);
      if (!kind) {
        counts.unchanged++;
        if (opts.update && !r.reused && entry.content !== prior.content) this.rt.store.put(entry, gen);
        else this.rt.store.touch(entry.path, gen);
        continue;
      }
      counts[kind]++;
      const diff = kind === 'modified' && prior.content !== undefined && entry.content !== undefined ? lineDiff(prior.content, entry.content) : undefined;
      if (scope) events.push(this.report(kind, entry, scope, opts.detection, { changes, diff }));
      if (opts.update) this.rt.store.put(entry, gen); else this.rt.store.touch(entry.path, gen);
    }
    await Promise.all(events);
  }

  async report(action: FimAction, entry: FileEntry, scope: WatchScope, detection: Detection, extra: { changes?: ReturnType<typeof compareEntries>; diff?: string; oldPath?: string }): Promise<void> {
    const reportKey = action === 'unreadable' ? 'modified' : action;
    if (reportKey !== 'overflow' && reportKey !== 'watch_limit' && reportKey !== 'scan_completed' && !scope.report.has(reportKey)) return;
    const ev: EventDraft = entryEvent(action, entry, { category: scope.category, detection, names: this.rt.names, ...extra });
    await this.rt.publisher.publish(ev);
  }
}

