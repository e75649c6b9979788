/**
 * One sink's view of the spool: a read position that runs ahead (batches in flight) and an
 * acknowledged one that only moves when the sink says delivered. Reads are synchronous and
 * buffered; every record is checked, and a bad one is skipped to the next valid record and
 * reported, never fatal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HEADER_BYTES, MAGIC, checkRecord, findNextRecord, type DecodedHeader } from './record-format.js';
import type { Segment, SegmentList } from './segment-list.js';
import type { CursorPosition } from './cursors.js';

const READ_CHUNK = 1 << 20;

export interface SpoolRecord {
  seq: number;
  timeMs: number;
  payload: Buffer;
  /** the position just after this record: acknowledge it to consume the record */
  next: CursorPosition;
}

export interface CorruptReport {
  cursor: string;
  segment: string;
  offset: number;
  /** sequence ids skipped over */
  skippedRecords: number;
}

/** Append time of the record starting at `offset` in a segment file, if a header is there (for age reporting). */
export function recordTimeAt(dir: string, file: string, offset: number): number | undefined {
  let fd: number;
  try { fd = fs.openSync(path.join(dir, file), 'r'); } catch { return undefined; }
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    if (fs.readSync(fd, buf, 0, HEADER_BYTES, offset) < HEADER_BYTES) return undefined;
    return buf.readDoubleLE(16);
  } finally { fs.closeSync(fd); }
}

export class SpoolReader {
  private readPos: CursorPosition;
  acked: CursorPosition;
  /** the position last written to the cursor file; undefined until the first checkpoint of a new sink */
  persisted: CursorPosition | undefined;
  /** records this cursor lost to drop-oldest, and to corruption, since open */
  dropped = 0;
  corrupt = 0;
  private fd = -1;
  private fdSegment = -1;
  private buf = Buffer.allocUnsafe(READ_CHUNK);
  private bufStart = 0;
  private bufLen = 0;

  constructor(
    private readonly list: SegmentList,
    readonly name: string,
    start: CursorPosition,
    private readonly onCorrupt: (report: CorruptReport) => void,
  ) {
    this.readPos = { ...start };
    this.acked = { ...start };
    this.persisted = { ...start };
  }

  /** Records between the acknowledged position and the head (including records not routed to this sink). */
  get depth(): number {
    return Math.max(0, this.list.acceptedNextSeq - this.acked.seq);
  }

  /** True when accepted records remain to be read. */
  get hasUnread(): boolean {
    return this.readPos.seq < this.list.acceptedNextSeq;
  }

  /** Moves the acknowledged position forward (never back). */
  ack(pos: CursorPosition): void {
    if (pos.seq > this.acked.seq) this.acked = { ...pos };
  }

  /** Starts reading again from the acknowledged position (after in-flight work was abandoned). */
  rewind(): void {
    this.readPos = { ...this.acked };
    this.bufLen = 0;
  }

  /** Called by drop-oldest: returns how many unacknowledged, unread records this cursor lost. */
  dropBefore(nextFirst: number, droppedFirst: number): number {
    // records already read (in flight in the sink's memory) are not lost yet: they are
    // delivered from memory, or counted by the sink runner if it stops before that
    let lost = 0;
    if (this.acked.seq < nextFirst) {
      lost = Math.max(0, nextFirst - Math.max(this.readPos.seq, droppedFirst));
      this.acked = { seq: nextFirst, segment: nextFirst, offset: MAGIC.length };
    }
    if (this.readPos.seq < nextFirst) this.readPos = { seq: nextFirst, segment: nextFirst, offset: MAGIC.length };
    this.dropped += lost;
    return lost;
  }

  /** Reads up to `maxRecords` / about `maxBytes` of accepted records, synchronously. */
  read(maxRecords: number, maxBytes: number): SpoolRecord[] {
    const out: SpoolRecord[] = [];
    let bytes = 0;
    const list = this.list;
    while (out.length < maxRecords && bytes < maxBytes) {
      const p = this.readPos;
      if (p.seq >= list.acceptedNextSeq) break;
      const seg = list.byFirstSeq(p.segment);
      if (!seg || p.seq < list.oldest.firstSeq) {
        this.readPos = list.locate(Math.max(p.seq, list.oldest.firstSeq));
        continue;
      }
      const end = list.readableEnd(seg);
      if (p.offset >= end) {
        const next = list.after(seg);
        if (!next) break;
        // ids between here and the next segment's first are missing (a truncated or emptied file)
        if (next.firstSeq > p.seq) this.noteSkipped(seg, p.offset, next.firstSeq - p.seq);
        this.readPos = { seq: Math.max(p.seq, next.firstSeq), segment: next.firstSeq, offset: MAGIC.length };
        continue;
      }
      let r: DecodedHeader | 'bad';
      try {
        r = this.recordAt(seg.file, seg.firstSeq, p.offset, end);
      } catch {
        // the file cannot be read at all (removed or replaced by hand): skip it, counted
        this.closeFile();
        const next = list.after(seg);
        if (!next) break;
        this.noteSkipped(seg, p.offset, Math.max(0, next.firstSeq - p.seq));
        this.readPos = { seq: Math.max(p.seq, next.firstSeq), segment: next.firstSeq, offset: MAGIC.length };
        continue;
      }
      if (r === 'bad') {
        this.resync(seg, p, end);
        continue;
      }
      const at = p.offset - this.bufStart;
      const next: CursorPosition = { seq: r.seq + 1, segment: seg.firstSeq, offset: p.offset + HEADER_BYTES + r.length };
      if (r.seq >= p.seq) {
        // ids are gapless (see the writer), so a record beyond the wanted id means records are missing
        if (r.seq > p.seq) this.noteSkipped(seg, p.offset, r.seq - p.seq);
        const payload = Buffer.from(this.buf.subarray(at + HEADER_BYTES, at + HEADER_BYTES + r.length));
        out.push({ seq: r.seq, timeMs: r.timeMs, payload, next });
        bytes += r.length;
        this.readPos = next;
      } else {
        // a record before the wanted one (the position pointed at the start of its segment)
        this.readPos = { ...next, seq: p.seq };
      }
    }
    return out;
  }

  private recordAt(file: string, segFirst: number, offset: number, end: number): DecodedHeader | 'bad' {
    this.openSegment(file, segFirst);
    let avail = this.bufStart <= offset && offset < this.bufStart + this.bufLen ? this.bufStart + this.bufLen - offset : 0;
    avail = Math.min(avail, end - offset);
    const max = this.list.maxRecordBytes;
    let r = checkRecord(this.buf, offset - this.bufStart, avail, max);
    if (r === 'short') {
      let want = READ_CHUNK;
      if (avail >= HEADER_BYTES) want = Math.max(want, HEADER_BYTES + this.buf.readUInt32LE(offset - this.bufStart));
      this.load(offset, Math.min(want, end - offset));
      r = checkRecord(this.buf, 0, Math.min(this.bufLen, end - offset), max);
      if (r === 'short') return 'bad';
    }
    return r;
  }

  private openSegment(file: string, segFirst: number): void {
    if (this.fdSegment === segFirst && this.fd >= 0) return;
    this.closeFile();
    this.fd = fs.openSync(path.join(this.list.dir, file), 'r');
    this.fdSegment = segFirst;
  }

  private load(offset: number, want: number): void {
    if (want > this.buf.length) this.buf = Buffer.allocUnsafe(want);
    this.bufStart = offset;
    this.bufLen = fs.readSync(this.fd, this.buf, 0, want, offset);
  }

  /** Skips a bad record: finds the next valid record in the segment, or moves to the next segment. */
  private resync(seg: Segment, p: CursorPosition, end: number): void {
    const list = this.list;
    const region = Buffer.allocUnsafe(end - p.offset);
    const n = fs.readSync(this.fd, region, 0, region.length, p.offset);
    const found = findNextRecord(region, 1, n, p.seq, list.acceptedNextSeq, list.maxRecordBytes);
    let skipped: number;
    if (found) {
      skipped = found.seq - p.seq;
      this.readPos = { seq: found.seq, segment: seg.firstSeq, offset: p.offset + found.at };
    } else {
      const next = list.after(seg);
      skipped = next ? next.firstSeq - p.seq : 0;
      this.readPos = next ? { seq: next.firstSeq, segment: next.firstSeq, offset: MAGIC.length } : { ...p, offset: end };
    }
    this.bufLen = 0;
    this.noteSkipped(seg, p.offset, skipped);
  }

  private noteSkipped(seg: Segment, offset: number, skipped: number): void {
    this.corrupt += Math.max(1, skipped);
    this.onCorrupt({ cursor: this.name, segment: seg.file, offset, skippedRecords: skipped });
  }

  closeFile(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    this.fdSegment = -1;
    this.bufLen = 0;
  }
}
