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
import { toSpyglassError } from '../../core/errors.js';
import { MAGIC, encodeRecord, segmentFileName } from './record-format.js';
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
  counters = { appended: 0, appendedBytes: 0, droppedRecords: 0, droppedSegments: 0 };

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

  /** Starts a fresh active segment at the next sequence id (at open). */
  startFresh(): void {
    this.startSegment(this.nextSeq);
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
        try {
          this.writeBatch(batch);
          if (this.opts.durability === 'fsync') await fdatasync(this.activeFd);
        } catch (err) {
          const e = toSpyglassError(err, 'spool_write_failed', { path: this.list.dir });
          for (const p of batch) p.reject(e);
          // continue in a fresh segment so the gap sits at a segment boundary
          try { this.rollTo(this.nextSeq); } catch { /* the next append will report it */ }
          this.markAccepted();
          continue;
        }
        this.list.acceptedNextSeq = batch.at(-1)!.seq + 1;
        this.list.acceptedEnd = this.list.active.size;
        this.counters.appended += batch.length;
        for (const p of batch) { this.counters.appendedBytes += p.record.length; p.resolve(p.seq); }
        this.hooks.accepted();
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Writes records in order, closing the active segment when the next record would overflow it. */
  private writeBatch(batch: PendingAppend[]): void {
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    for (const p of batch) {
      const used = this.list.active.size + chunkBytes;
      if (used > MAGIC.length && used + p.record.length > this.opts.segmentBytes) {
        this.writeChunk(chunk, chunkBytes);
        chunk = [];
        chunkBytes = 0;
        this.rollTo(p.seq);
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

  /** Closes the active segment (making its content durable first) and starts one at `firstSeq`. */
  private rollTo(firstSeq: number): void {
    if (this.activeFd >= 0) {
      if (this.opts.durability === 'fsync') fs.fdatasyncSync(this.activeFd);
      fs.closeSync(this.activeFd);
      this.activeFd = -1;
    }
    const last = this.list.segments.at(-1);
    if (last && last.firstSeq === firstSeq) {
      // nothing was written with that id: reuse the file
      this.activeFd = fs.openSync(path.join(this.list.dir, last.file), 'r+');
      return;
    }
    this.startSegment(firstSeq);
    this.enforceCap();
  }

  private startSegment(firstSeq: number): void {
    const file = segmentFileName(firstSeq);
    const fd = fs.openSync(path.join(this.list.dir, file), 'w+', 0o600);
    fs.writeSync(fd, MAGIC, 0, MAGIC.length, 0);
    if (this.opts.durability === 'fsync') {
      fs.fdatasyncSync(fd);
      this.fsyncDir();
    }
    this.activeFd = fd;
    this.list.segments.push({ firstSeq, file, size: MAGIC.length });
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

  /** Makes everything written durable and closes the active segment. Call once nothing is pending. */
  close(): void {
    this.stopBackgroundSync();
    if (this.activeFd >= 0) {
      fs.fdatasyncSync(this.activeFd);
      fs.closeSync(this.activeFd);
      this.activeFd = -1;
    }
  }
}
