/**
 * The baseline on disk: one SQLite row per recorded path (WAL mode, so a crash loses at most
 * the batch being written). Memory stays bounded whatever the tree size: scans look rows up
 * one path at a time, mark what they saw with a generation number and find deletions with a
 * query, and writes go in batched transactions.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SpyglassError } from '../core/errors.js';
import type { EntryType, FileEntry } from './file-entry.js';

const SCHEMA_VERSION = 1;

interface Row {
  path: string; type: string; size: number; mode: number; uid: number; gid: number; inode: number;
  mtime: number; ctime: number; hashes: string; target: string | null; hash_error: string | null; content: string | null; gen: number;
}

function rowToEntry(r: Row): FileEntry {
  const e: FileEntry = {
    path: r.path, type: r.type as EntryType, size: r.size, mode: r.mode, uid: r.uid, gid: r.gid, inode: r.inode,
    mtime: r.mtime, ctime: r.ctime, hashes: JSON.parse(r.hashes) as Record<string, string>,
  };
  if (r.target !== null) e.target = r.target;
  if (r.hash_error !== null) e.hashError = r.hash_error;
  if (r.content !== null) e.content = r.content;
  return e;
}

/** Upper bound of the key range of paths strictly below `dir` ('/' + 1 is '0'). */
function belowRange(dir: string): [string, string] {
  const prefix = dir === '/' ? '/' : dir + '/';
  return [prefix, prefix.slice(0, -1) + '0'];
}

export class BaselineStore {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string], Row>;
  private readonly putStmt: Database.Statement;
  private readonly touchStmt: Database.Statement;
  private readonly delStmt: Database.Statement;
  private readonly pendingWrites: Array<() => void> = [];

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(`CREATE TABLE IF NOT EXISTS entries (
        path TEXT PRIMARY KEY, type TEXT NOT NULL, size INTEGER NOT NULL, mode INTEGER NOT NULL,
        uid INTEGER NOT NULL, gid INTEGER NOT NULL, inode INTEGER NOT NULL, mtime REAL NOT NULL, ctime REAL NOT NULL,
        hashes TEXT NOT NULL, target TEXT, hash_error TEXT, content TEXT, gen INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
      const version = this.getMeta('schema_version');
      if (version === undefined) this.setMeta('schema_version', String(SCHEMA_VERSION));
      else if (Number(version) !== SCHEMA_VERSION) throw new SpyglassError('baseline_version', `${file}: baseline schema ${version}, this agent reads ${SCHEMA_VERSION}; rebuild it with spyglass fim baseline`, { file });
    } catch (err) {
      if (err instanceof SpyglassError) throw err;
      throw new SpyglassError('baseline_open', `${file}: cannot open the baseline: ${(err as Error).message}`, { file }, { cause: err });
    }
    this.getStmt = this.db.prepare('SELECT * FROM entries WHERE path = ?');
    this.putStmt = this.db.prepare(`INSERT OR REPLACE INTO entries (path, type, size, mode, uid, gid, inode, mtime, ctime, hashes, target, hash_error, content, gen)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.touchStmt = this.db.prepare('UPDATE entries SET gen = ? WHERE path = ?');
    this.delStmt = this.db.prepare('DELETE FROM entries WHERE path = ?');
  }

  static exists(file: string): boolean {
    return fs.existsSync(file);
  }

  get(p: string): FileEntry | undefined {
    const r = this.getStmt.get(p);
    return r ? rowToEntry(r) : undefined;
  }

  /** Queues a write; `flush` (or every 2000 queued writes) commits them in one transaction. */
  put(entry: FileEntry, gen = this.generation): void {
    this.pendingWrites.push(() => this.putStmt.run(
      entry.path, entry.type, entry.size, entry.mode, entry.uid, entry.gid, entry.inode, entry.mtime, entry.ctime,
      JSON.stringify(entry.hashes), entry.target ?? null, entry.hashError ?? null, entry.content ?? null, gen,
    ));
    if (this.pendingWrites.length >= 2000) this.flush();
  }

  /** Marks an unchanged path as seen by the current scan. */
  touch(p: string, gen: number): void {
    this.pendingWrites.push(() => this.touchStmt.run(gen, p));
    if (this.pendingWrites.length >= 2000) this.flush();
  }

  delete(p: string): void {
    this.pendingWrites.push(() => this.delStmt.run(p));
    if (this.pendingWrites.length >= 2000) this.flush();
  }

  /** Deletes a path and everything recorded below it; returns the entries removed. */
  deleteTree(p: string): FileEntry[] {
    this.flush();
    const removed = this.listTree(p);
    const [lo, hi] = belowRange(p);
    this.db.prepare('DELETE FROM entries WHERE path = ? OR (path >= ? AND path < ?)').run(p, lo, hi);
    return removed;
  }

  /** Entries at `p` and below it, in path order. */
  listTree(p: string): FileEntry[] {
    this.flush();
    const [lo, hi] = belowRange(p);
    return (this.db.prepare('SELECT * FROM entries WHERE path = ? OR (path >= ? AND path < ?) ORDER BY path').all(p, lo, hi) as Row[]).map(rowToEntry);
  }

  /** Direct children recorded for a directory. */
  listChildren(dir: string): FileEntry[] {
    this.flush();
    const [lo, hi] = belowRange(dir);
    return (this.db.prepare('SELECT * FROM entries WHERE path >= ? AND path < ? ORDER BY path').all(lo, hi) as Row[])
      .map(rowToEntry).filter((e) => !e.path.slice(lo.length).includes('/'));
  }

  /** Renames a path and every path below it (a directory moved inside the watched tree). */
  renameTree(from: string, to: string): void {
    this.flush();
    const [lo, hi] = belowRange(from);
    const tx = this.db.transaction(() => {
      this.db.prepare('DELETE FROM entries WHERE path = ? OR (path >= ? AND path < ?)').run(...((): [string, string, string] => { const [a, b] = belowRange(to); return [to, a, b]; })());
      this.db.prepare('UPDATE entries SET path = ? || substr(path, ?) WHERE path = ? OR (path >= ? AND path < ?)').run(to, from.length + 1, from, lo, hi);
    });
    tx();
  }

  /**
   * Rows under `root` (or equal to it) not seen by scan `gen`, in batches (bounded memory).
   * Only rows that `keep` accepts are considered (paths still inside the scan's scope).
   */
  *unseen(root: string, gen: number, batch = 1000): Generator<FileEntry[]> {
    this.flush();
    const [lo, hi] = belowRange(root);
    const stmt = this.db.prepare('SELECT * FROM entries WHERE (path = ? OR (path >= ? AND path < ?)) AND gen != ? AND path > ? ORDER BY path LIMIT ?');
    let after = '';
    for (;;) {
      const rows = stmt.all(root, lo, hi, gen, after, batch) as Row[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]!.path;
      yield rows.map(rowToEntry);
    }
  }

  /** Direct children of `dir` (and `dir` itself) not seen by scan `gen`. */
  unseenChildren(dir: string, gen: number): FileEntry[] {
    this.flush();
    const [lo, hi] = belowRange(dir);
    return (this.db.prepare('SELECT * FROM entries WHERE (path = ? OR (path >= ? AND path < ?)) AND gen != ? ORDER BY path').all(dir, lo, hi, gen) as Row[])
      .map(rowToEntry).filter((e) => e.path === dir || !e.path.slice(lo.length).includes('/'));
  }

  /** Entries anywhere with this inode (to recognise a move during a scan). */
  findByInode(inode: number): FileEntry[] {
    this.flush();
    return (this.db.prepare('SELECT * FROM entries WHERE inode = ?').all(inode) as Row[]).map(rowToEntry);
  }

  count(): number {
    this.flush();
    return (this.db.prepare('SELECT count(*) AS n FROM entries').get() as { n: number }).n;
  }

  private cachedGeneration?: number;

  /** The generation of the latest scan; each scan takes the next one. */
  get generation(): number {
    this.cachedGeneration ??= Number(this.getMeta('generation') ?? '0');
    return this.cachedGeneration;
  }

  nextGeneration(): number {
    const g = this.generation + 1;
    this.setMeta('generation', String(g));
    this.cachedGeneration = g;
    return g;
  }

  getMeta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(key, value);
  }

  flush(): void {
    if (this.pendingWrites.length === 0) return;
    const writes = this.pendingWrites.splice(0);
    this.db.transaction(() => { for (const w of writes) w(); })();
  }

  close(): void {
    this.flush();
    this.db.close();
  }
}
