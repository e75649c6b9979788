/**
 * The single writer of a spool: assigns sequence ids, frames records, appends them to the
 * active segment with group commit, rolls to a new segment at the size limit, and applies
 * drop-oldest when a new segment would not fit under the cap. A record becomes visible to
 * readers (the accepted watermark in SegmentList moves) only once it is accepted in the sense
 * of the configured durability.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { SpyglassError, toSpyglassError } from '../../core/errors.js';
import { MAGIC, encodeRecord, restampRecord, segmentFileName } from './record-format.js';
import type { SegmentList } from './segment-list.js';

const fdatasync = promisify(fs.fdatasync);

export type Durability = 'fsync' | 'write';

export interface WriterOptions {
  durability: Durability;
  segmentBytes: number;
  maxBytes: number;
  fsyncIntervalMs: number;
}

export interface DropReport {
  /** records in the deleted segment */
  records: number;
  /** records lost per cursor (those it had not acknowledged) */
  lostPerCursor: Record<string, number>;
  segment: string;
}

export interface WriterHooks {
  /** drop-oldest is about to delete the oldest segment; returns what each cursor loses */
  dropping(droppedFirst: number, nextFirst: number): Record<string, number>;
  dropped(report: DropReport): void;
  /** records became accepted */
  accepted(): void;
  /** appends were refused because writing or syncing failed (a full disk, an I/O error) */
  writeFailed(report: WriteFailureReport): void;
}

export interface WriteFailureReport {
  /** appends rejected */
  records: number;
  /** the error code, such as ENOSPC */
  code: string;
  message: string;
}

interface PendingAppend {
  seq: number;
  record: Buffer;
  resolve: (seq: number) => void;
  reject: (err: Error) => void;
}

export class SpoolWriter {
  private activeFd = -1;
  private nextSeq: number;
  private pending: PendingAppend[] = [];
  private flushing = false;
  private flushScheduled = false;
  private fsyncTimer: NodeJS.Timeout | undefined;
  counters = { appended: 0, appendedBytes: 0, droppedRecords: 0, droppedSegments: 0, rejectedRecords: 0, writeFailures: 0 };

  constructor(private readonly list: SegmentList, private readonly opts: WriterOptions, private readonly hooks: WriterHooks, nextSeq: number) {
    this.nextSeq = nextSeq;
  }

  /** Sequence id of the next record to be appended. */
  get headSeq(): number {
    return this.nextSeq;
  }

  /** Takes the recovered newest segment, which holds no record, as the active one (its name already holds the counter). */
  reuseEmptyNewest(): void {
    const last = this.list.active;
    this.activeFd = fs.openSync(path.join(this.list.dir, last.file), 'r+');
    fs.ftruncateSync(this.activeFd, MAGIC.length);
    fs.writeSync(this.activeFd, MAGIC, 0, MAGIC.length, 0);
    last.size = MAGIC.length;
    this.markAccepted();
  }

  /**
   * Starts a fresh active segment at the next sequence id (at open). When no new file can be
   * made (a full disk) and there is a newest segment, appending continues in it instead, so a
   * spool on a full disk still opens, delivers and frees space.
   */
  startFresh(): void {
    try {
      this.startSegment(this.nextSeq);
    } catch (err) {
      if (this.list.segments.length === 0) throw err;
      this.activeFd = fs.openSync(path.join(this.list.dir, this.list.active.file), 'r+');
    }
    this.markAccepted();
  }

  private markAccepted(): void {
    this.list.acceptedNextSeq = this.nextSeq;
    this.list.acceptedEnd = this.list.active.size;
  }

  /** In 'write' durability: the background fdatasync. */
  startBackgroundSync(): void {
    if (this.opts.durability !== 'write') return;
    this.fsyncTimer = setInterval(() => { if (this.activeFd >= 0) fs.fdatasync(this.activeFd, () => {}); }, this.opts.fsyncIntervalMs);
    this.fsyncTimer.unref();
  }

  append(payload: Buffer | string): Promise<number> {
    const seq = this.nextSeq++;
    const record = encodeRecord(seq, Date.now(), payload);
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ seq, record, resolve, reject });
      if (!this.flushing && !this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => { this.flushScheduled = false; void this.flushLoop(); });
      }
    });
  }

  /** True while appends wait to be written or synced. */
  get busy(): boolean {
    return this.pending.length > 0 || this.flushing || this.flushScheduled;
  }

  private async flushLoop(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        // records of the batch in segments already closed by a roll are durable, whatever happens next
        const progress = { durable: 0 };
        try {
          this.writeBatch(batch, progress);
          if (this.opts.durability === 'fsync') await fdatasync(this.activeFd);
        } catch (err) {
          this.failBatch(batch, progress.durable, err);
          continue;
        }
        this.acceptRecords(batch);
      }
    } finally {
      this.flushing = false;
    }
  }

  private acceptRecords(records: PendingAppend[]): void {
    if (records.length === 0) return;
    this.list.acceptedNextSeq = records.at(-1)!.seq + 1;
    this.list.acceptedEnd = this.list.active.size;
    this.counters.appended += records.length;
    for (const p of records) { this.counters.appendedBytes += p.record.length; p.resolve(p.seq); }
    this.hooks.accepted();
  }

  /**
   * A write or sync failed (ENOSPC, EIO): the records already made durable by a roll are
   * accepted, the rest are rejected and cut off the active segment, which stays open, so the
   * next append tries again in the same place. Their sequence ids were never visible to a reader,
   * so the appends queued meanwhile take them over: ids stay gapless, and a gap a reader meets
   * always means damage. Nothing already accepted is touched.
   */
  private failBatch(batch: PendingAppend[], durable: number, err: unknown): void {
    const errno = (err as NodeJS.ErrnoException | undefined)?.code;
    const why = errno === 'ENOSPC' ? 'no space left on the device' : errno === 'EDQUOT' ? 'disk quota exceeded' : toSpyglassError(err).message;
    const e = new SpyglassError('spool_write_failed', `the spool cannot write (${why}): event not accepted`, { path: this.list.dir, errno }, { cause: err });
    const done = batch.slice(0, durable);
    const failed = batch.slice(durable);
    // after a roll in this batch the active segment is new and holds only failed records
    const active = this.list.active;
    const keep = active.firstSeq >= batch[0]!.seq ? MAGIC.length : this.list.acceptedEnd;
    try {
      if (this.activeFd < 0) this.activeFd = fs.openSync(path.join(this.list.dir, active.file), 'r+');
      fs.ftruncateSync(this.activeFd, keep);
    } catch { /* bytes past the accepted end are never read; recovery cuts them as a torn tail */ }
    active.size = keep;
    this.list.acceptedEnd = keep;
    if (done.length > 0) {
      this.list.acceptedNextSeq = done.at(-1)!.seq + 1;
      this.counters.appended += done.length;
      for (const p of done) { this.counters.appendedBytes += p.record.length; p.resolve(p.seq); }
      this.hooks.accepted();
    }
    if (failed.length > 0) {
      this.nextSeq = failed[0]!.seq;
      for (const p of this.pending) { p.seq = this.nextSeq++; restampRecord(p.record, p.seq); }
    }
    this.counters.rejectedRecords += failed.length;
    this.counters.writeFailures++;
    for (const p of failed) p.reject(e);
    this.hooks.writeFailed({ records: failed.length, code: errno ?? e.code, message: why });
  }

  /** Writes records in order, closing the active segment when the next record would overflow it. */
  private writeBatch(batch: PendingAppend[], progress: { durable: number }): void {
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i]!;
      const used = this.list.active.size + chunkBytes;
      if (used > MAGIC.length && used + p.record.length > this.opts.segmentBytes) {
        this.writeChunk(chunk, chunkBytes);
        chunk = [];
        chunkBytes = 0;
        this.rollTo(p.seq);
        progress.durable = i;
      }
      chunk.push(p.record);
      chunkBytes += p.record.length;
    }
    this.writeChunk(chunk, chunkBytes);
  }

  private writeChunk(chunk: Buffer[], bytes: number): void {
    if (bytes === 0) return;
    const seg = this.list.active;
    const data = chunk.length === 1 ? chunk[0]! : Buffer.concat(chunk, bytes);
    let written = 0;
    while (written < data.length) written += fs.writeSync(this.activeFd, data, written, data.length - written, seg.size + written);
    seg.size += data.length;
  }

  /**
   * Closes the active segment (making its content durable first) and starts one at `firstSeq`.
   * The old segment stays active until the new one exists, so a failure (a full disk) leaves a
   * usable writer behind.
   */
  private rollTo(firstSeq: number): void {
    if (this.activeFd >= 0 && this.opts.durability === 'fsync') fs.fdatasyncSync(this.activeFd);
    const fd = this.createSegment(firstSeq);
    if (this.activeFd >= 0) fs.closeSync(this.activeFd);
    this.activeFd = fd;
    this.list.segments.push({ firstSeq, file: segmentFileName(firstSeq), size: MAGIC.length });
    this.enforceCap();
  }

  private startSegment(firstSeq: number): void {
    this.activeFd = this.createSegment(firstSeq);
    this.list.segments.push({ firstSeq, file: segmentFileName(firstSeq), size: MAGIC.length });
  }

  /** A new segment file holding only the magic (durable in 'fsync'); nothing is left behind on failure. */
  private createSegment(firstSeq: number): number {
    const file = path.join(this.list.dir, segmentFileName(firstSeq));
    const fd = fs.openSync(file, 'w+', 0o600);
    try {
      fs.writeSync(fd, MAGIC, 0, MAGIC.length, 0);
      if (this.opts.durability === 'fsync') {
        fs.fdatasyncSync(fd);
        this.fsyncDir();
      }
      return fd;
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(file, { force: true });
      throw err;
    }
  }

  private fsyncDir(): void {
    const dfd = fs.openSync(this.list.dir, 'r');
    try { fs.fsyncSync(dfd); } finally { fs.closeSync(dfd); }
  }

  /** Drop oldest: delete whole old segments until the spool fits its cap with room for the active one. */
  private enforceCap(): void {
    const list = this.list;
    while (list.segments.length > 1 && list.totalBytes() + this.opts.segmentBytes - list.active.size > this.opts.maxBytes) {
      const seg = list.segments.shift()!;
      const nextFirst = list.oldest.firstSeq;
      const lostPerCursor = this.hooks.dropping(seg.firstSeq, nextFirst);
      fs.rmSync(path.join(list.dir, seg.file), { force: true });
      const records = nextFirst - seg.firstSeq;
      this.counters.droppedSegments++;
      this.counters.droppedRecords += Math.max(0, ...Object.values(lostPerCursor));
      this.hooks.dropped({ records, lostPerCursor, segment: seg.file });
    }
  }

  stopBackgroundSync(): void {
    if (this.fsyncTimer) clearInterval(this.fsyncTimer);
    this.fsyncTimer = undefined;
  }

  /**
   * Makes everything written durable and closes the active segment. Call once nothing is
   * pending. Never throws: a failing sync is returned (in 'fsync' durability everything
   * accepted is already durable; in 'write' the kernel still holds it).
   */
  close(): Error | undefined {
    this.stopBackgroundSync();
    let failure: Error | undefined;
    if (this.activeFd >= 0) {
      try { fs.fdatasyncSync(this.activeFd); } catch (err) { failure = err as Error; }
      try { fs.closeSync(this.activeFd); } catch { /* already reported above, if it matters */ }
      this.activeFd = -1;
    }
    return failure;
  }
}
