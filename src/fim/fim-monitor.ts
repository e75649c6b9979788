/**
 * Realtime file integrity monitoring: inotify events completed by a stat and hash, compared
 * with the baseline, reported, and written back into the baseline.
 *
 * Lifecycle: `start()` watches every directory of the watched trees first (so nothing
 * happening during the scan is missed), then scans against the stored baseline (reporting
 * what changed while the agent was down; a first run records the baseline silently), then
 * handles events until `stop()`.
 *
 * Events name paths; paths are collected in a set (bursts of writes to one file coalesce)
 * and handled in batches through the inspector pool. Renames are paired by cookie; an
 * unpaired IN_MOVED_FROM (moved out of the tree) becomes a deletion after a short wait.
 * IN_Q_OVERFLOW rescans every tree (detection 'overflow-rescan'); directories the watch
 * limit left unwatched are reported and scanned every `fallback_scan_interval`.
 */
import fs from 'node:fs';
import { formatDuration } from '../core/config-values.js';
import { compareEntries, changeKind, type FileEntry } from './file-entry.js';
import { noticeEvent, type Detection } from './fim-event.js';
import { InotifyTree, IN, parseInotifyChunk, type InotifyEvent } from './inotify-tree.js';
import { scopeFor } from './path-filter.js';
import type { InspectResult } from './inspector-pool.js';
import { TreeScanner, type FimRuntime, type ScanCounts, type ScanTarget } from './tree-scanner.js';
import { lineDiff } from './content-diff.js';
import { OwnerNames } from './owner-names.js';

export interface MonitorOptions {
  /** status lines for people (watch counts, limits, overflows) */
  onStatus?: (message: string) => void;
  /** how long an unpaired IN_MOVED_FROM waits for its IN_MOVED_TO (ms) */
  moveWaitMs?: number;
  /** how often a watched path that is missing (deleted, not yet created) is looked for (ms) */
  missingPollMs?: number;
}

export interface MonitorStats {
  watches: number;
  unwatched: number;
  overflows: number;
  events: number;
  reported: number;
}

const BATCH = 1024;
const DRAIN_DELAY_MS = 10;
/** Distinct paths waiting to be handled past which the backlog is dropped for a rescan (bounded memory). */
const MAX_DIRTY = 250_000;

function join(dir: string, name: string): string {
  return dir === '/' ? '/' + name : dir + '/' + name;
}

export class FimMonitor {
  private tree?: InotifyTree;
  private readonly scanner: TreeScanner;
  private readonly dirty = new Set<string>();
  private readonly pendingMoves = new Map<number, { from: string; isDir: boolean; timer: NodeJS.Timeout }>();
  private readonly unwatched = new Set<string>();
  /** watched tree roots that do not exist: nothing inotify can watch, so they are looked for */
  private readonly missingRoots = new Set<string>();
  private missingTimer?: NodeJS.Timeout;
  private chain: Promise<unknown> = Promise.resolve();
  private draining = false;
  private fallbackTimer?: NodeJS.Timeout;
  private stopped = false;
  private limitReported = 0;
  readonly stats: MonitorStats = { watches: 0, unwatched: 0, overflows: 0, events: 0, reported: 0 };
  /** resolves when the start-up scan is over */
  startupScan?: ScanCounts;

  constructor(private readonly rt: FimRuntime, private readonly opts: MonitorOptions = {}) {
    this.scanner = new TreeScanner(rt);
    const publish = rt.publisher.publish.bind(rt.publisher);
    rt.publisher = { publish: async (ev) => { this.stats.reported++; await publish(ev); } };
  }

  async start(): Promise<void> {
    this.tree = new InotifyTree((chunk) => this.onChunk(chunk), this.rt.config.max_watches);
    const t0 = Date.now();
    for (const scope of this.rt.scopes) this.watchTree(scope.path);
    this.opts.onStatus?.(`watching ${this.tree.watchCount} directories in ${Date.now() - t0} ms`);
    await this.reportWatchLimit();
    const empty = this.rt.store.count() === 0;
    this.startupScan = await this.serial(() => this.scanner.scan({ mode: empty ? 'baseline' : 'compare', detection: 'scan', update: true }));
    await this.rt.publisher.publish(noticeEvent('scan_completed', '/', this.rt.config.category, 'scan', { reason: empty ? 'baseline' : 'start-up', counts: this.startupScan }));
    this.opts.onStatus?.(empty ? `baseline recorded: ${this.startupScan.scanned} entries` : `start-up scan: ${this.startupScan.created} created, ${this.startupScan.modified} modified, ${this.startupScan.attributes} attributes, ${this.startupScan.deleted} deleted since the last run`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.fallbackTimer) clearInterval(this.fallbackTimer);
    if (this.missingTimer) clearInterval(this.missingTimer);
    for (const m of this.pendingMoves.values()) clearTimeout(m.timer);
    this.tree?.close();
    await this.chain.catch(() => undefined);
    this.rt.store.flush();
  }

  /** Resolves when every event received so far has been handled. */
  async idle(): Promise<void> {
    for (;;) {
      await this.chain;
      await new Promise((r) => setTimeout(r, 20));
      if (this.dirty.size === 0 && this.pendingMoves.size === 0 && !this.draining && (this.tree?.stats()[0] ?? 0) === 0) {
        await this.chain;
        if (this.dirty.size === 0 && !this.draining) return;
      }
    }
  }

  /** Raw chunk from the binding (tests hand synthetic ones, e.g. an overflow record). */
  onChunk(chunk: Buffer): void {
    if (this.stopped) return;
    for (const ev of parseInotifyChunk(chunk)) this.onEvent(ev);
    if (this.dirty.size > MAX_DIRTY) this.onOverflow(); // our own queue is full: same answer as the kernel's
    this.scheduleDrain();
  }

  get unwatchedDirectories(): string[] {
    return [...this.unwatched];
  }

  // --- watches ---------------------------------------------------------------------------

  /** Watches a directory tree (within its scope's depth and excludes); returns directories newly watched. */
  private watchTree(start: string): string[] {
    const tree = this.tree!;
    const added: string[] = [];
    const scope0 = scopeFor(this.rt.scopes, start) ?? this.rt.scopes.find((s) => s.path === start);
    if (!scope0) return added;
    let st: fs.Stats;
    try { st = fs.lstatSync(this.rt.root.join(start)); } catch {
      if (this.rt.scopes.some((s) => s.path === start)) this.watchForRoot(start);
      return added;
    }
    if (!st.isDirectory()) {
      // a watched file: its parent directory is watched, events are filtered to the file
      const parent = start.slice(0, start.lastIndexOf('/')) || '/';
      if (this.tree!.watch(parent, this.rt.root.join(parent)) === 'limit') this.unwatched.add(parent);
      return added;
    }
    const stack = [start];
    while (stack.length) {
      const dir = stack.pop()!;
      const outcome = tree.watch(dir, this.rt.root.join(dir));
      if (outcome === 'gone') continue;
      if (outcome === 'limit') this.unwatched.add(dir);
      else if (outcome === 'error') this.opts.onStatus?.(tree.lastError ?? `cannot watch ${dir}`);
      else { added.push(dir); this.unwatched.delete(dir); }
      let entries: fs.Dirent[];
      try { entries = fs.readdirSync(this.rt.root.join(dir), { withFileTypes: true }); } catch { continue; }
      for (const d of entries) {
        if (!d.isDirectory()) continue; // symlinks to directories are recorded, never followed
        const p = join(dir, d.name);
        const scope = scopeFor(this.rt.scopes, p);
        if (scope && scope.descendsInto(p)) stack.push(p);
      }
    }
    this.stats.watches = tree.watchCount;
    this.stats.unwatched = this.unwatched.size;
    return added;
  }

  /**
   * A watched tree root is gone (deleted) or not there yet: no watch can wait for it, so it is
   * looked for every `missingPollMs`; when it appears it is watched and scanned, so what is
   * inside the new one is reported.
   */
  private watchForRoot(root: string): void {
    if (this.stopped || this.missingRoots.has(root)) return;
    this.missingRoots.add(root);
    this.opts.onStatus?.(`watched path ${root} does not exist: looking for it every ${formatDuration(this.opts.missingPollMs ?? 1000)}`);
    this.missingTimer ??= setInterval(() => {
      for (const p of [...this.missingRoots]) {
        if (!fs.existsSync(this.rt.root.join(p))) continue;
        this.missingRoots.delete(p);
        this.enqueue(() => this.directoryAppeared(p));
      }
      if (this.missingRoots.size === 0 && this.missingTimer) { clearInterval(this.missingTimer); this.missingTimer = undefined; }
    }, this.opts.missingPollMs ?? 1000);
    this.missingTimer.unref();
  }

  private async reportWatchLimit(): Promise<void> {
    if (this.unwatched.size === 0 || this.unwatched.size === this.limitReported) return;
    this.limitReported = this.unwatched.size;
    const sample = [...this.unwatched].slice(0, 20);
    // Say which limit it was: raising the kernel's does nothing when the configuration set the cap.
    const cap = this.tree?.limitCause === 'max_watches'
      ? `max_watches (${this.tree.maxWatches}) reached: ${this.unwatched.size} directories unwatched (scanned every ${formatDuration(this.rt.config.fallback_scan_interval)} instead); raise max_watches in the FIM configuration`
      : `inotify watch limit reached: ${this.unwatched.size} directories unwatched (scanned every ${formatDuration(this.rt.config.fallback_scan_interval)} instead); raise fs.inotify.max_user_watches`;
    const msg = cap;
    this.opts.onStatus?.(msg);
    await this.rt.publisher.publish(noticeEvent('watch_limit', sample[0] ?? '/', this.rt.config.category, 'realtime', {
      unwatched: this.unwatched.size, watched: this.tree?.watchCount ?? 0, sample, fallback_scan_interval: this.rt.config.fallback_scan_interval / 1000, message: msg,
    }));
    if (!this.fallbackTimer) {
      this.fallbackTimer = setInterval(() => { void this.serial(() => this.fallbackScan()); }, this.rt.config.fallback_scan_interval);
      this.fallbackTimer.unref();
    }
  }

  /** Scans the directories the watch limit left unwatched (each one level: its subdirectories are in the set too). */
  async fallbackScan(): Promise<ScanCounts | undefined> {
    if (this.unwatched.size === 0) return undefined;
    // A watch may have become available (another program released its watches), and directories
    // created under unwatched ones since are found here: each is watched if it can be, else joins the set.
    for (const dir of [...this.unwatched]) {
      if (!fs.existsSync(this.rt.root.join(dir))) { this.unwatched.delete(dir); continue; }
      this.watchTree(dir);
    }
    this.stats.unwatched = this.unwatched.size;
    const targets: ScanTarget[] = [...this.unwatched].map((p) => ({ path: p, recursive: false }));
    return this.scanner.scan({ mode: 'compare', detection: 'scan', update: true, targets });
  }

  // --- events ----------------------------------------------------------------------------

  private onEvent(ev: InotifyEvent): void {
    this.stats.events++;
    if (ev.mask & IN.Q_OVERFLOW) { this.onOverflow(); return; }
    const tree = this.tree!;
    if (ev.mask & IN.IGNORED) { tree.forgetWd(ev.wd); return; }
    const dir = tree.pathOf(ev.wd);
    if (dir === undefined) return;
    const p = ev.name ? join(dir, ev.name) : dir;
    const isDir = (ev.mask & IN.ISDIR) !== 0;
    if (!scopeFor(this.rt.scopes, p)) return;
    if (ev.mask & IN.MOVED_FROM) {
      const timer = setTimeout(() => {
        this.pendingMoves.delete(ev.cookie);
        this.enqueue(() => this.movedOut(p, isDir));
      }, this.opts.moveWaitMs ?? 50);
      this.pendingMoves.set(ev.cookie, { from: p, isDir, timer });
      return;
    }
    if (ev.mask & IN.MOVED_TO) {
      const from = this.pendingMoves.get(ev.cookie);
      if (from) {
        clearTimeout(from.timer);
        this.pendingMoves.delete(ev.cookie);
        this.enqueue(() => this.moved(from.from, p, isDir));
      } else if (isDir) this.enqueue(() => this.directoryAppeared(p));
      else this.dirty.add(p);
      return;
    }
    if (isDir && (ev.mask & IN.CREATE)) { this.enqueue(() => this.directoryAppeared(p)); return; }
    if (ev.mask & (IN.DELETE_SELF | IN.MOVE_SELF)) { if (this.rt.scopes.some((s) => s.path === p)) this.dirty.add(p); return; }
    this.dirty.add(p);
  }

  private onOverflow(): void {
    this.stats.overflows++;
    this.opts.onStatus?.('inotify queue overflow: rescanning the watched trees');
    this.dirty.clear();
    this.enqueue(async () => {
      await this.rt.publisher.publish(noticeEvent('overflow', '/', this.rt.config.category, 'overflow-rescan', { message: 'inotify event queue overflowed; events were lost, the watched trees are rescanned' }));
      for (const scope of this.rt.scopes) this.watchTree(scope.path); // directories created meanwhile
      const counts = await this.scanner.scan({ mode: 'compare', detection: 'overflow-rescan', update: true });
      await this.rt.publisher.publish(noticeEvent('scan_completed', '/', this.rt.config.category, 'overflow-rescan', { reason: 'overflow', counts }));
      await this.reportWatchLimit();
    });
  }

  private enqueue(job: () => Promise<unknown>): void {
    void this.serial(job);
  }

  /** Runs jobs one after the other (scans, moves and event batches never interleave). */
  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.chain.then(job, job);
    this.chain = run.catch((err: unknown) => { this.opts.onStatus?.(`error: ${(err as Error).stack ?? String(err)}`); });
    return run;
  }

  private scheduleDrain(): void {
    if (this.draining || this.dirty.size === 0) return;
    this.draining = true;
    // a short pause lets the IN_CREATE, IN_MODIFY and IN_CLOSE_WRITE of one write land in the same batch
    setTimeout(() => {
      void this.serial(async () => {
        try {
          while (this.dirty.size && !this.stopped) {
            const paths: string[] = [];
            for (const p of this.dirty) { paths.push(p); this.dirty.delete(p); if (paths.length >= BATCH) break; }
            await this.handlePaths(paths, 'realtime');
          }
        } finally {
          this.draining = false;
        }
      });
    }, DRAIN_DELAY_MS);
  }

  /** Completes events about these paths: stat + hash, compare with the baseline, report, record. */
  private async handlePaths(paths: string[], detection: Detection): Promise<void> {
    const { rt } = this;
    const priors = new Map(paths.map((p) => [p, rt.store.get(p)]));
    // spread over every worker: a burst is hashed in parallel
    const requests = paths.map((p) => ({ path: p, machinePath: rt.root.join(p), wantContent: this.scanner.wantsContent(p) }));
    const per = Math.ceil(requests.length / rt.pool.size);
    const parts: Promise<InspectResult[]>[] = [];
    for (let i = 0; i < requests.length; i += per) parts.push(rt.pool.inspect(requests.slice(i, i + per)));
    const results = (await Promise.all(parts)).flat();
    const reports: Promise<void>[] = [];
    let accounts = false;
    for (const r of results) {
      const prior = priors.get(r.path);
      const scope = scopeFor(rt.scopes, r.path);
      if (!scope) continue;
      if (OwnerNames.isAccountFile(r.path)) accounts = true;
      if ('gone' in r) {
        if (!prior) continue; // created and removed before we looked: nothing was recorded
        if (prior.type === 'directory') { await this.treeDeleted(r.path, detection); continue; }
        rt.store.delete(r.path);
        reports.push(this.scanner.report('deleted', prior, scope, detection, {}));
        continue;
      }
      if ('error' in r) {
        reports.push(rt.publisher.publish(noticeEvent('unreadable', r.path, scope.category, detection, { error: r.error })));
        continue;
      }
      const entry = r.entry;
      // a watched root deleted and made again before this batch: the old watch died with the old one
      if (entry.type === 'directory' && !this.tree!.isWatched(r.path) && rt.scopes.some((s) => s.path === r.path)) this.enqueue(() => this.directoryAppeared(r.path));
      if (entry.hashError && !entry.hashError.startsWith('too_large')) reports.push(this.scanner.report('unreadable', entry, scope, detection, {}));
      if (!prior) {
        rt.store.put(entry);
        reports.push(this.scanner.report('created', entry, scope, detection, {}));
        continue;
      }
      const changes = compareEntries(prior, entry);
      const kind = changeKind(changes);
      if (!kind) { if (entry.content !== prior.content) rt.store.put(entry); continue; }
      const diff = kind === 'modified' && prior.content !== undefined && entry.content !== undefined ? lineDiff(prior.content, entry.content) : undefined;
      rt.store.put(entry);
      reports.push(this.scanner.report(kind, entry, scope, detection, { changes, diff }));
    }
    rt.store.flush();
    await Promise.all(reports);
    if (accounts) await rt.names.load();
  }

  private async treeDeleted(p: string, detection: Detection): Promise<void> {
    this.tree!.unwatchTree(p);
    if (this.rt.scopes.some((s) => s.path === p)) this.watchForRoot(p);
    for (const old of this.rt.store.deleteTree(p).reverse()) {
      const scope = scopeFor(this.rt.scopes, old.path);
      if (scope) await this.scanner.report('deleted', old, scope, detection, {});
    }
  }

  private async movedOut(p: string, isDir: boolean): Promise<void> {
    if (isDir) await this.treeDeleted(p, 'realtime');
    else await this.handlePaths([p], 'realtime');
  }

  private async directoryAppeared(p: string): Promise<void> {
    // watch first, then list: a file created between the two is both listed and evented
    this.watchTree(p);
    await this.reportWatchLimit();
    await this.scanner.scan({ mode: 'compare', detection: 'realtime', update: true, targets: [{ path: p, recursive: true }] });
  }

  private async moved(from: string, to: string, isDir: boolean): Promise<void> {
    const { rt } = this;
    const fromScope = scopeFor(rt.scopes, from);
    const toScope = scopeFor(rt.scopes, to);
    if (!toScope) { await this.movedOut(from, isDir); return; }
    if (!fromScope) { if (isDir) await this.directoryAppeared(to); else await this.handlePaths([to], 'realtime'); return; }
    const prior = rt.store.get(from);
    const replaced = rt.store.get(to);
    if (isDir) {
      this.tree!.renameTree(from, to);
      rt.store.renameTree(from, to);
      this.watchTree(to);
      const [r] = await rt.pool.inspect([{ path: to, machinePath: rt.root.join(to) }]);
      if (r && 'entry' in r) {
        rt.store.put(r.entry);
        if (prior) await this.scanner.report('moved', r.entry, toScope, 'realtime', { oldPath: from, changes: compareEntries(prior, r.entry) });
      }
      rt.store.flush();
      // entries below keep their records under the new path; anything that changed on the way is caught here
      await this.scanner.scan({ mode: 'compare', detection: 'realtime', update: true, targets: [{ path: to, recursive: true }] });
      return;
    }
    const [r] = await rt.pool.inspect([{ path: to, machinePath: rt.root.join(to), wantContent: this.scanner.wantsContent(to) }]);
    rt.store.delete(from);
    if (!r || 'gone' in r) {
      if (prior) await this.scanner.report('deleted', prior, fromScope, 'realtime', {});
      if (replaced) { rt.store.delete(to); await this.scanner.report('deleted', replaced, toScope, 'realtime', {}); }
      rt.store.flush();
      return;
    }
    if ('error' in r) { await rt.publisher.publish(noticeEvent('unreadable', to, toScope.category, 'realtime', { error: r.error })); return; }
    const entry = r.entry;
    rt.store.put(entry);
    rt.store.flush();
    if (replaced) {
      // renamed over a recorded file (the usual way to replace a binary): the file at `to` changed
      const changes = compareEntries(replaced, entry);
      const diff = replaced.content !== undefined && entry.content !== undefined ? lineDiff(replaced.content, entry.content) : undefined;
      await this.scanner.report(changeKind(changes) ?? 'modified', entry, toScope, 'realtime', { changes, oldPath: from, diff });
    } else if (prior) {
      await this.scanner.report('moved', entry, toScope, 'realtime', { oldPath: from, changes: withoutCtime(compareEntries(prior, entry)) });
    } else {
      await this.scanner.report('created', entry, toScope, 'realtime', {});
    }
  }
}

function withoutCtime(c: ReturnType<typeof compareEntries>): ReturnType<typeof compareEntries> {
  const { ctime: _ignored, ...rest } = c;
  return rest;
}

export type { FileEntry };
