/**
 * The durable spool between producers and sinks: the facade that puts the parts together and
 * keeps the public API (`Spool.open`, `append`, `reader`, `checkpoint`, `close`). The design —
 * format, guarantees, recovery, limits — is in README.md beside this file; each part has one job:
 *   record-format.ts  framing and checksums        recovery.ts  what is on disk at open
 *   writer.ts         appends, group commit, roll,  reader.ts    one sink's reads and acks
 *                     drop-oldest                   cursors.ts   cursor files
 *   segment-list.ts   the segments and the accepted watermark they share
 */
import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { SpyglassError, toSpyglassError } from '../../core/errors.js';
import { READ_LIMIT_BYTES } from './record-format.js';
import { SegmentList, type Segment } from './segment-list.js';
import { recoverSegments, type RecoveryReport } from './recovery.js';
import { SpoolWriter, type DropReport, type Durability, type WriteFailureReport } from './writer.js';
import { SpoolReader, recordTimeAt, type CorruptReport, type SpoolRecord } from './reader.js';
import { cursorFile, cursorsDir, overwriteCursorFile, readCursorFile, removeCursorsExcept, syncCursorsDir, writeCursorFile, type CursorPosition } from './cursors.js';

export type { CursorPosition } from './cursors.js';
export type { Durability, DropReport, WriteFailureReport } from './writer.js';
export type { CorruptReport, SpoolRecord } from './reader.js';
export type { RecoveryReport } from './recovery.js';
export { SpoolReader } from './reader.js';

export interface SpoolOptions {
  dir: string;
  /** cap on the total size of all segment files */
  maxBytes: number;
  /** size at which a segment is closed and a new one started (default maxBytes/32, 4 KiB..32 MiB) */
  segmentBytes?: number;
  durability?: Durability;
  /** background fdatasync period in 'write' durability */
  fsyncIntervalMs?: number;
  /** largest accepted payload */
  maxRecordBytes?: number;
  /** names of the consumers (sinks) that keep a cursor */
  cursors: string[];
}

export interface SpoolEvents {
  drop: [DropReport];
  corrupt: [CorruptReport];
  /** appends refused: writing failed (a full disk); the spool goes on and retries with the next append */
  write_failed: [WriteFailureReport];
  /** a sink's position could not be persisted; it is kept in memory and tried again */
  checkpoint_failed: [CheckpointFailureReport];
  /** writing, or persisting positions, works again after failures */
  write_recovered: [];
  checkpoint_recovered: [];
}

export interface CheckpointFailureReport {
  cursor: string;
  code: string;
  message: string;
}

export interface SpoolCounters {
  appended: number;
  appendedBytes: number;
  /** records lost to drop-oldest (the most any one cursor lost) */
  droppedRecords: number;
  droppedSegments: number;
  /** appends refused because writing failed (a full disk), and how many times that happened */
  rejectedRecords: number;
  writeFailures: number;
  corruptRecords: number;
  /** cursor positions that could not be persisted */
  checkpointFailures: number;
  /** appends refused for being larger than `maxRecordBytes` */
  refusedTooLarge: number;
}

/** A crash-safe append-only queue with one cursor per sink. Open with `Spool.open`. */
export class Spool extends EventEmitter<SpoolEvents> {
  readonly dir: string;
  readonly maxBytes: number;
  readonly segmentBytes: number;
  readonly durability: Durability;
  readonly maxRecordBytes: number;
  recovery: RecoveryReport = { segments: 0, tornBytes: 0, ms: 0, invalidCursors: [], strays: [] };
  readonly readers = new Map<string, SpoolReader>();
  private readonly list: SegmentList;
  private writer!: SpoolWriter;
  private readonly fsyncIntervalMs: number;
  private closed = false;
  private readonly waiters = new Set<() => void>();
  private corruptRecords = 0;
  private checkpointFailures = 0;
  private refusedTooLarge = 0;
  private writeFailing = false;
  private checkpointFailing = false;

  private constructor(opts: SpoolOptions) {
    super();
    this.dir = opts.dir;
    this.maxBytes = opts.maxBytes;
    this.segmentBytes = opts.segmentBytes ?? Math.min(32 << 20, Math.max(4096, Math.floor(opts.maxBytes / 32)));
    if (this.maxBytes < 2 * this.segmentBytes) {
      throw new SpyglassError('spool_config', `spool maxBytes (${this.maxBytes}) must be at least twice segmentBytes (${this.segmentBytes})`, { path: opts.dir });
    }
    this.durability = opts.durability ?? 'fsync';
    this.fsyncIntervalMs = opts.fsyncIntervalMs ?? 1000;
    this.maxRecordBytes = opts.maxRecordBytes ?? Math.min(1 << 20, this.segmentBytes);
    this.list = new SegmentList(this.dir, Math.max(this.maxRecordBytes, READ_LIMIT_BYTES));
  }

  /** Opens (creating if needed) and recovers the spool in `opts.dir`. */
  static async open(opts: SpoolOptions): Promise<Spool> {
    const spool = new Spool(opts);
    try {
      spool.recover(opts.cursors);
    } catch (err) {
      throw toSpyglassError(err, 'spool_open_failed', { path: opts.dir });
    }
    spool.writer.startBackgroundSync();
    return spool;
  }

  private recover(cursorNames: string[]): void {
    const started = performance.now();
    fs.mkdirSync(cursorsDir(this.dir), { recursive: true, mode: 0o700 });
    const found = recoverSegments(this.dir, this.list.maxRecordBytes);
    this.list.segments.push(...found.segments);
    const invalidCursors: RecoveryReport['invalidCursors'] = [];
    const saved = new Map(cursorNames.map((name) => {
      const state = readCursorFile(this.dir, name);
      if (state.state === 'invalid') {
        invalidCursors.push({ cursor: name, reason: `${state.reason}: the sink starts again at the oldest spooled event` });
        // a directory (or anything not a file) in its place would make every checkpoint fail
        fs.rmSync(cursorFile(this.dir, name), { recursive: true, force: true });
      }
      return [name, state.state === 'valid' ? state.position : undefined] as const;
    }));
    // an emptied spool whose cursors went further keeps counting from there
    let nextSeq = found.nextSeq ?? Math.max(1, ...[...saved.values()].map((p) => p?.seq ?? 1));
    this.writer = new SpoolWriter(this.list, { durability: this.durability, segmentBytes: this.segmentBytes, maxBytes: this.maxBytes, fsyncIntervalMs: this.fsyncIntervalMs }, {
      dropping: (droppedFirst, nextFirst) => {
        const lost: Record<string, number> = {};
        for (const reader of this.readers.values()) lost[reader.name] = reader.dropBefore(nextFirst, droppedFirst);
        return lost;
      },
      dropped: (report) => this.emit('drop', report),
      accepted: () => {
        if (this.writeFailing) { this.writeFailing = false; this.emit('write_recovered'); }
        this.wake();
      },
      writeFailed: (report) => { this.writeFailing = true; this.emit('write_failed', report); },
    }, nextSeq);
    if (found.segments.length > 0 && found.newestEmpty) this.writer.reuseEmptyNewest();
    else this.writer.startFresh();
    nextSeq = this.writer.headSeq;
    removeCursorsExcept(this.dir, cursorNames);
    for (const name of cursorNames) {
      const savedPos = saved.get(name);
      let pos = savedPos ?? this.list.oldestPosition();
      if (pos.seq > nextSeq) {
        // legitimately after a power loss in 'write' durability took back records the sink had
        // acknowledged; otherwise the file was tampered with. Either way: said, and clamped.
        invalidCursors.push({ cursor: name, reason: `position ${pos.seq} is past the spool's head ${nextSeq}: moved to the head` });
        pos = this.list.locate(nextSeq);
      }
      if (pos.seq < this.list.oldest.firstSeq) pos = this.list.oldestPosition();
      const reader = new SpoolReader(this.list, name, pos, (c) => this.noteCorrupt(c));
      if (!savedPos) reader.persisted = undefined; // a new sink: written at the first checkpoint
      this.readers.set(name, reader);
    }
    this.recovery = { segments: this.list.segments.length, tornBytes: found.tornBytes, ms: performance.now() - started, invalidCursors, strays: found.strays };
  }

  private noteCorrupt(report: CorruptReport): void {
    this.corruptRecords += Math.max(1, report.skippedRecords);
    this.emit('corrupt', report);
  }

  /** every segment, oldest first; the last is the one being appended to */
  get segments(): readonly Segment[] {
    return this.list.segments;
  }

  /** records with seq below this are accepted and visible to readers */
  get durableNextSeq(): number {
    return this.list.acceptedNextSeq;
  }

  /** Sequence id of the next record to be appended. */
  get headSeq(): number {
    return this.writer.headSeq;
  }

  /** counters since open */
  get counters(): SpoolCounters {
    return { ...this.writer.counters, corruptRecords: this.corruptRecords, checkpointFailures: this.checkpointFailures, refusedTooLarge: this.refusedTooLarge };
  }

  totalBytes(): number {
    return this.list.totalBytes();
  }

  /**
   * Appends one payload. Resolves with its sequence id once it is accepted (see README.md);
   * rejects with SpyglassError 'spool_record_too_large' / 'spool_closed' / 'spool_write_failed'.
   */
  append(payload: Buffer | string): Promise<number> {
    if (this.closed) return Promise.reject(new SpyglassError('spool_closed', 'the spool is closed', { path: this.dir }));
    const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (length > this.maxRecordBytes) {
      this.refusedTooLarge++;
      return Promise.reject(new SpyglassError('spool_record_too_large', `event of ${length} bytes is larger than the spool's limit of ${this.maxRecordBytes} bytes`, { path: this.dir }));
    }
    return this.writer.append(payload);
  }

  /** Resolves when new accepted records arrive, or after `ms`. */
  waitForData(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => { clearTimeout(timer); this.waiters.delete(done); resolve(); };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  reader(name: string): SpoolReader {
    const r = this.readers.get(name);
    if (!r) throw new SpyglassError('spool_unknown_cursor', `no spool cursor named ${name}`, { sink: name });
    return r;
  }

  /**
   * Persists every cursor that moved (atomically) and then deletes the segments every cursor
   * is past. Called periodically by the pipeline and at close.
   */
  checkpoint(): Promise<void> {
    // one at a time: the periodic timer, flush() and close() may ask together
    const run = this.checkpointChain.then(() => this.checkpointNow());
    this.checkpointChain = run.catch(() => {});
    return run;
  }

  private checkpointChain: Promise<void> = Promise.resolve();

  private async checkpointNow(): Promise<void> {
    let wrote = false;
    let failed = false;
    for (const r of this.readers.values()) {
      if (r.persisted && r.persisted.seq === r.acked.seq) continue;
      const pos = { ...r.acked };
      try {
        await this.persistCursor(r.name, pos);
      } catch (err) {
        failed = true;
        this.checkpointFailures++;
        const e = toSpyglassError(err, 'spool_checkpoint_failed', { path: cursorFile(this.dir, r.name), sink: r.name });
        this.emit('checkpoint_failed', { cursor: r.name, code: (err as NodeJS.ErrnoException).code ?? e.code, message: e.message });
        continue;
      }
      r.persisted = pos;
      wrote = true;
    }
    if (wrote) await syncCursorsDir(this.dir).catch(() => { failed = true; });
    if (failed) this.checkpointFailing = true;
    else if (this.checkpointFailing && wrote) { this.checkpointFailing = false; this.emit('checkpoint_recovered'); }
    if (this.readers.size === 0) return;
    // Normally a segment goes once every persisted position is past it. When a position could not
    // be persisted (a full disk), deleting what every sink has acknowledged in memory is what frees
    // space; it is safe: after a crash, a persisted position before the oldest segment restarts
    // that sink at the oldest record, so nothing is lost and fewer records are sent twice.
    let minSeq = this.list.acceptedNextSeq;
    for (const r of this.readers.values()) minSeq = Math.min(minSeq, failed ? r.acked.seq : (r.persisted?.seq ?? r.acked.seq));
    const segments = this.list.segments;
    while (segments.length > 1 && segments[1]!.firstSeq <= minSeq) {
      const seg = segments.shift()!;
      await fs.promises.rm(path.join(this.dir, seg.file), { force: true });
    }
  }

  /** Atomically when there is room for a new file; in place when the disk is full. */
  private async persistCursor(name: string, pos: CursorPosition): Promise<void> {
    try {
      await writeCursorFile(this.dir, name, pos);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOSPC' && code !== 'EDQUOT') throw err;
      await overwriteCursorFile(this.dir, name, pos);
    }
  }

  /** Append time of the record at a position (for age reporting), if it is there. */
  peekTime(pos: CursorPosition): number | undefined {
    const seg = this.list.byFirstSeq(pos.segment);
    if (!seg || pos.seq >= this.list.acceptedNextSeq) return undefined;
    return recordTimeAt(this.dir, seg.file, pos.offset);
  }

  /** Waits for every pending append, persists cursors and closes the files. Never rejects for I/O: failures are emitted. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.writer.busy) await new Promise((r) => setTimeout(r, 1));
    this.closed = true;
    this.writer.stopBackgroundSync();
    // failures are reported through 'checkpoint_failed'; closing must still release everything
    await this.checkpoint().catch(() => {});
    const syncFailure = this.writer.close();
    if (syncFailure) this.emit('write_failed', { records: 0, code: (syncFailure as NodeJS.ErrnoException).code ?? 'unknown', message: `final sync of the active segment: ${syncFailure.message}` });
    for (const r of this.readers.values()) r.closeFile();
    this.wake();
  }
}
