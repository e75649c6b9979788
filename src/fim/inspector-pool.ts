/**
 * Turns paths into FileEntries (lstat, readlink, hashes) on a small pool of worker threads.
 *
 * Why workers: hashing is CPU work (OpenSSL through node:crypto), and synchronous reads in a
 * worker cost far less per file than promise-based I/O on the main thread, so two workers
 * hash two files at once while the main thread walks directories and writes SQLite.
 * Why the worker is a source string (eval): the same code then runs under tsx in tests and
 * from the compiled dist/ without a loader in the worker.
 *
 * Each request is a batch of paths; a path that no longer exists comes back `gone` (a file
 * deleted between the event and the hash is a deletion, not an error); a file that cannot be
 * read comes back with `hashError` (the reason), its metadata still recorded. When a prior
 * record is given and size, mtime, ctime and inode are unchanged, its hashes are reused
 * unless `force` is set (AIDE's fast re-check).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { FIM_FILE_TYPE_NAMES, fileTypeOf } from '../host/file-type.js';
import type { EntryType, FileEntry } from './file-entry.js';

export interface InspectRequest {
  /** host path (what is reported) */
  path: string;
  /** path on this machine (under the root) */
  machinePath: string;
  prior?: { size: number; mtime: number; ctime: number; inode: number; hashes: Record<string, string> };
  /** keep the content (small text files, diffs on) */
  wantContent?: boolean;
}

export type InspectResult =
  | { path: string; entry: FileEntry; reused: boolean }
  | { path: string; gone: true }
  | { path: string; error: string };

export interface InspectorOptions {
  algorithms: string[];
  maxHashSize: number;
  maxContentSize: number;
  workers?: number;
  /** test hook: host paths whose open() fails with this reason (as a permission problem would) */
  failOpen?: Record<string, string>;
  /** test hook: host paths truncated to half their size after the first chunk is read, in this many attempts */
  truncateWhileReading?: Record<string, number>;
}

/** Attempts at hashing a file that keeps changing under the read before it is reported torn. */
export const HASH_ATTEMPTS = 3;

const WORKER_SOURCE = String.raw`
const fs = require('node:fs');
const crypto = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');
const { algorithms, maxHashSize, maxContentSize, failOpen, truncateWhileReading, hashAttempts } = workerData;
const truncations = Object.assign({}, truncateWhileReading || {});
const CHUNK = 1 << 20;
const buf = Buffer.allocUnsafe(CHUNK);
const decoder = new TextDecoder('utf-8', { fatal: true });
const O_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK | (fs.constants.O_NOATIME || 0);
const fileTypeOf = ${fileTypeOf.toString()};
const FIM_FILE_TYPE_NAMES = ${JSON.stringify(FIM_FILE_TYPE_NAMES)};
function typeOf(st) { return FIM_FILE_TYPE_NAMES[fileTypeOf(st)]; }
function reason(e) { return (e && e.code ? e.code + ': ' : '') + (e && e.message ? e.message.replace(/^[A-Z]+: /, '') : String(e)); }
function openFile(p, hostPath) {
  if (failOpen && failOpen[hostPath]) { const e = new Error(failOpen[hostPath]); e.code = failOpen[hostPath].split(':')[0]; throw e; }
  try { return fs.openSync(p, O_FLAGS); }
  catch (e) { if (e.code === 'EPERM' && (O_FLAGS & (fs.constants.O_NOATIME || 0))) return fs.openSync(p, O_FLAGS & ~fs.constants.O_NOATIME); throw e; }
}
function inspect(it, force, attempt = 1) {
  let st;
  try { st = fs.lstatSync(it.machinePath); }
  catch (e) {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return { path: it.path, gone: true };
    return { path: it.path, error: reason(e) };
  }
  const entry = { path: it.path, type: typeOf(st), size: st.size, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, inode: st.ino, mtime: st.mtimeMs, ctime: st.ctimeMs, hashes: {} };
  if (entry.type === 'symlink') {
    try { entry.target = fs.readlinkSync(it.machinePath); }
    catch (e) { if (e.code === 'ENOENT') return { path: it.path, gone: true }; entry.hashError = reason(e); }
    return { path: it.path, entry, reused: false };
  }
  if (entry.type !== 'file') return { path: it.path, entry, reused: false };
  const p = it.prior;
  if (!force && p && p.size === entry.size && p.mtime === entry.mtime && p.ctime === entry.ctime && p.inode === entry.inode && algorithms.every((a) => p.hashes[a])) {
    entry.hashes = p.hashes;
    return { path: it.path, entry, reused: true };
  }
  if (entry.size > maxHashSize) { entry.hashError = 'too_large: ' + entry.size + ' bytes, over max_hash_size ' + maxHashSize; return { path: it.path, entry, reused: false }; }
  let fd;
  try { fd = openFile(it.machinePath, it.path); }
  catch (e) {
    if (e.code === 'ENOENT') return { path: it.path, gone: true };
    if (e.code === 'ELOOP') return inspect(it, force, attempt); // replaced by a symlink since the lstat
    entry.hashError = reason(e);
    return { path: it.path, entry, reused: false };
  }
  try {
    const fst = fs.fstatSync(fd);
    if (!fst.isFile()) { entry.hashError = 'not a regular file when opened'; return { path: it.path, entry, reused: false }; }
    // what was hashed is what the record describes: take the metadata of the opened file
    entry.size = fst.size; entry.inode = fst.ino; entry.mtime = fst.mtimeMs; entry.ctime = fst.ctimeMs;
    entry.mode = fst.mode & 0o7777; entry.uid = fst.uid; entry.gid = fst.gid;
    const hashers = algorithms.map((a) => crypto.createHash(a));
    const keep = it.wantContent && fst.size <= maxContentSize ? [] : undefined;
    let total = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const chunk = n === CHUNK ? buf : buf.subarray(0, n);
      for (const h of hashers) h.update(chunk);
      if (total === 0 && truncations[it.path] > 0) { truncations[it.path]--; fs.truncateSync(it.machinePath, Math.floor(fst.size / 2)); }
      total += n;
      if (keep) { if (total <= maxContentSize) keep.push(Buffer.from(chunk)); else keep.length = 0; }
    }
    // Written, truncated or extended while it was read: the hash is of no version of the file.
    // Read it again; a file that never holds still is reported torn, without a hash.
    const after = fs.fstatSync(fd);
    if (total !== fst.size || after.size !== fst.size || after.mtimeMs !== fst.mtimeMs || after.ctimeMs !== fst.ctimeMs) {
      if (attempt < hashAttempts) { fs.closeSync(fd); fd = undefined; return inspect(it, true, attempt + 1); }
      entry.size = after.size; entry.mtime = after.mtimeMs; entry.ctime = after.ctimeMs;
      entry.hashError = 'torn: the file changed while it was hashed (' + attempt + ' attempts; ' + fst.size + ' bytes when opened, ' + total + ' read, ' + after.size + ' after)';
      return { path: it.path, entry, reused: false };
    }
    algorithms.forEach((a, i) => { entry.hashes[a] = hashers[i].digest('hex'); });
    if (keep && keep.length && total <= maxContentSize) {
      const bytes = Buffer.concat(keep);
      if (!bytes.includes(0)) { try { entry.content = decoder.decode(bytes); } catch {} }
    } else if (keep && total === 0) entry.content = '';
  } catch (e) {
    entry.hashes = {};
    entry.hashError = reason(e);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return { path: it.path, entry, reused: false };
}
parentPort.on('message', (msg) => {
  const results = new Array(msg.items.length);
  for (let i = 0; i < msg.items.length; i++) results[i] = inspect(msg.items[i], msg.force);
  parentPort.postMessage({ id: msg.id, results });
});
`;

interface Pending { resolve: (r: InspectResult[]) => void; reject: (e: Error) => void }

interface PoolWorker { worker: Worker; outstanding: number }

/** Workers idle this long are stopped (a watching agent is idle most of the time: memory back). */
const IDLE_STOP_MS = 30_000;

export class InspectorPool {
  private workers: PoolWorker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private idleTimer?: NodeJS.Timeout;
  readonly size: number;

  constructor(readonly options: InspectorOptions) {
    this.size = options.workers ?? Math.max(1, Math.min(2, os.availableParallelism()));
  }

  /** Workers start on first use and stop after IDLE_STOP_MS without work. */
  private ensureWorkers(): void {
    if (this.idleTimer) { clearTimeout(this.idleTimer); this.idleTimer = undefined; }
    if (this.workers.length) return;
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        execArgv: [], // plain JavaScript: no loader (tsx) in the workers, less memory
        resourceLimits: { maxOldGenerationSizeMb: 64 },
        workerData: { algorithms: this.options.algorithms, maxHashSize: this.options.maxHashSize, maxContentSize: this.options.maxContentSize, failOpen: this.options.failOpen,
          truncateWhileReading: this.options.truncateWhileReading, hashAttempts: HASH_ATTEMPTS },
      });
      const pw: PoolWorker = { worker, outstanding: 0 };
      worker.on('message', (msg: { id: number; results: InspectResult[] }) => {
        pw.outstanding--;
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve(msg.results);
        if (pw.outstanding === 0) worker.unref();
        this.pump();
        if (this.pending.size === 0) this.scheduleIdleStop();
      });
      worker.on('error', (err) => { for (const p of this.pending.values()) p.reject(err); this.pending.clear(); this.queue.length = 0; this.workers = []; });
      worker.unref();
      this.workers.push(pw);
    }
  }

  private scheduleIdleStop(): void {
    if (this.idleTimer || this.closed) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.pending.size > 0) return;
      const old = this.workers;
      this.workers = [];
      for (const w of old) void w.worker.terminate();
    }, IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  /** Requests in flight across all workers. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Queues a batch; a worker takes it as soon as it is free (one batch per worker at a time),
   * so one huge file never holds up batches that the other worker could hash.
   */
  inspect(items: InspectRequest[], force = false): Promise<InspectResult[]> {
    if (this.closed) return Promise.reject(new Error('inspector pool closed'));
    if (items.length === 0) return Promise.resolve([]);
    this.ensureWorkers();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.queue.push({ id, items, force });
      this.pump();
    });
  }

  private readonly queue: Array<{ id: number; items: InspectRequest[]; force: boolean }> = [];

  private pump(): void {
    for (const w of this.workers) {
      if (this.queue.length === 0) return;
      if (w.outstanding > 0) continue;
      const job = this.queue.shift()!;
      w.outstanding++;
      w.worker.ref();
      w.worker.postMessage(job);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

export type { EntryType };
