/**
 * The inotify watches of the monitored trees: one watch per directory (files are seen through
 * their directory, so a file replaced by rename stays covered), kept in two maps
 * (watch descriptor <-> host path). Raw chunks from the binding are parsed here into events.
 *
 * Watch limit: when the kernel answers ENOSPC (fs.inotify.max_user_watches) or the
 * configured `max_watches` is reached, the directory is not watched and is returned to the
 * caller, which reports it and scans it on a schedule instead.
 */
import { createRequire } from 'node:module';
import type { InotifyHandle } from 'spyglass-inotify';

type Binding = typeof import('spyglass-inotify');
const binding = createRequire(import.meta.url)('spyglass-inotify') as Binding;

export const IN = {
  ACCESS: 0x1, MODIFY: 0x2, ATTRIB: 0x4, CLOSE_WRITE: 0x8, MOVED_FROM: 0x40, MOVED_TO: 0x80, CREATE: 0x100,
  DELETE: 0x200, DELETE_SELF: 0x400, MOVE_SELF: 0x800, UNMOUNT: 0x2000, Q_OVERFLOW: 0x4000, IGNORED: 0x8000,
  ONLYDIR: 0x1000000, DONT_FOLLOW: 0x2000000, EXCL_UNLINK: 0x4000000, ISDIR: 0x40000000,
} as const;

const WATCH_MASK = IN.MODIFY | IN.ATTRIB | IN.CLOSE_WRITE | IN.MOVED_FROM | IN.MOVED_TO | IN.CREATE | IN.DELETE
  | IN.DELETE_SELF | IN.MOVE_SELF | IN.ONLYDIR | IN.DONT_FOLLOW | IN.EXCL_UNLINK;

export interface InotifyEvent {
  wd: number;
  mask: number;
  cookie: number;
  /** name inside the watched directory ('' for events about the directory itself) */
  name: string;
}

export type WatchOutcome = 'watched' | 'limit' | 'gone' | 'error';

/** Parses raw `struct inotify_event` records. */
export function parseInotifyChunk(chunk: Buffer): InotifyEvent[] {
  const out: InotifyEvent[] = [];
  let off = 0;
  while (off + 16 <= chunk.length) {
    const wd = chunk.readInt32LE(off);
    const mask = chunk.readUInt32LE(off + 4);
    const cookie = chunk.readUInt32LE(off + 8);
    const len = chunk.readUInt32LE(off + 12);
    let name = '';
    if (len > 0) {
      const raw = chunk.subarray(off + 16, off + 16 + len);
      const nul = raw.indexOf(0);
      name = raw.subarray(0, nul < 0 ? raw.length : nul).toString('utf8');
    }
    out.push({ wd, mask, cookie, name });
    off += 16 + len;
  }
  return out;
}

/** A synthetic overflow record, as the kernel (or the binding, when its backlog is full) sends it. */
export function overflowChunk(): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32LE(-1, 0);
  b.writeUInt32LE(IN.Q_OVERFLOW, 4);
  return b;
}

export class InotifyTree {
  private readonly handle: InotifyHandle;
  private readonly byWd = new Map<number, string>();
  private readonly byPath = new Map<string, number>();
  private closed = false;
  lastError?: string;
  /** which limit the last 'limit' outcome hit: the configured `max_watches` or the kernel's */
  limitCause?: 'max_watches' | 'kernel';

  constructor(onChunk: (chunk: Buffer) => void, readonly maxWatches = Infinity) {
    this.handle = binding.open(onChunk);
  }

  get watchCount(): number {
    return this.byPath.size;
  }

  pathOf(wd: number): string | undefined {
    return this.byWd.get(wd);
  }

  isWatched(hostPath: string): boolean {
    return this.byPath.has(hostPath);
  }

  /** Watches one directory (host path `hostPath`, machine path `machinePath`). */
  watch(hostPath: string, machinePath: string): WatchOutcome {
    if (this.byPath.has(hostPath)) return 'watched';
    if (this.byPath.size >= this.maxWatches) { this.limitCause = 'max_watches'; return 'limit'; }
    const wd = binding.addWatch(this.handle, machinePath, WATCH_MASK);
    if (wd >= 0) {
      const previous = this.byWd.get(wd);
      if (previous !== undefined) this.byPath.delete(previous); // same inode seen under a new name
      this.byWd.set(wd, hostPath);
      this.byPath.set(hostPath, wd);
      return 'watched';
    }
    if (wd === -28 /* ENOSPC */) { this.limitCause = 'kernel'; return 'limit'; }
    if (wd === -2 /* ENOENT */ || wd === -20 /* ENOTDIR */) return 'gone';
    this.lastError = `inotify_add_watch ${hostPath}: errno ${-wd}`;
    return 'error';
  }

  /** Forgets the watch of a removed directory (the kernel has dropped it: IN_IGNORED). */
  forgetWd(wd: number): void {
    const p = this.byWd.get(wd);
    this.byWd.delete(wd);
    if (p !== undefined && this.byPath.get(p) === wd) this.byPath.delete(p);
  }

  /** Drops the watches of a directory and everything below it. */
  unwatchTree(hostPath: string): void {
    const prefix = hostPath === '/' ? '/' : hostPath + '/';
    for (const [p, wd] of [...this.byPath]) {
      if (p === hostPath || p.startsWith(prefix)) {
        binding.rmWatch(this.handle, wd);
        this.byPath.delete(p);
        this.byWd.delete(wd);
      }
    }
  }

  /** A watched directory was renamed inside the tree: its watches stay, their paths change. */
  renameTree(from: string, to: string): void {
    const prefix = from + '/';
    for (const [p, wd] of [...this.byPath]) {
      if (p === from || p.startsWith(prefix)) {
        const np = to + p.slice(from.length);
        this.byPath.delete(p);
        this.byPath.set(np, wd);
        this.byWd.set(wd, np);
      }
    }
  }

  /** [bytes waiting between the reader thread and JavaScript, chunks dropped as overflow] */
  stats(): [number, number] {
    return binding.stats(this.handle);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    binding.close(this.handle);
  }
}
