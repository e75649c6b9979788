/**
 * The durable spool between producers and sinks.
 *
 * DESIGN NOTE
 *
 * Format. The spool is a directory of append-only segment files named by the sequence id of
 * their first record (`0000000000000001.seg`), plus `cursors/<sink>.json`. A segment starts
 * with the 8-byte magic "SGSPOOL1" followed by records: u32 payload length, u32 CRC-32 (over
 * sequence, time and payload), u64 sequence id, f64 append time (ms), payload (the event
 * envelope as JSON). See record-format.ts. Sequence ids increase by one per record, across
 * segments and restarts (the first record of a new segment continues from the last one on
 * disk, and the newest segment file is never deleted, so its name keeps the counter).
 *
 * Accepted. `append()` (and so `publish()`) resolves once the record is *accepted*:
 *  - durability 'fsync' (default): the record has been written and fdatasync'ed. Appends that
 *    arrive while an fdatasync is running are written together and share the next one (group
 *    commit), so the fsync rate is bounded by the disk, not by the event rate, and no accepted
 *    record waits more than two fsyncs. An accepted record survives kill -9, a crash of the
 *    kernel and a power loss.
 *  - durability 'write': the record has been handed to the kernel (write(2)); a background
 *    fdatasync runs every `fsyncIntervalMs`. It survives kill -9 of the agent and a clean
 *    reboot; a power loss can lose at most the last `fsyncIntervalMs` of events.
 * Readers (sinks) only ever see accepted records, so nothing can be delivered that a crash
 * could take back and whose sequence id could then be reused.
 *
 * Positions. Each sink has a cursor: the position (sequence id, segment, byte offset) of the
 * first record it has not acknowledged. Acknowledgements move it forward in memory; it is
 * written to `cursors/<sink>.json` atomically (temporary file, fsync, rename, fsync of the
 * directory) by `checkpoint()`, which the pipeline calls about once a second and on stop. After
 * a crash a sink therefore re-sends at most what it acknowledged since the last checkpoint plus
 * what was in flight: delivery is at least once, with duplicates bounded by that window.
 * Sinks that de-duplicate (Elasticsearch `create` with the event's own `_id`) absorb them.
 *
 * Deletion. A whole segment is deleted (never rewritten) once every sink's persisted cursor is
 * past its last record. Cursor files of sinks no longer configured are removed at open so they
 * cannot pin the spool forever; a sink seen for the first time starts at the oldest record.
 *
 * Limits. `maxBytes` caps the sum of segment sizes. When a new segment is needed and the cap
 * would be exceeded, the OLDEST segment is deleted even if not acknowledged (drop oldest: the
 * newest events are the ones a responder needs). Every record lost that way is counted per
 * sink and reported through the 'drop' event (the pipeline turns it into an `agent` event).
 * Drops happen a whole segment at a time, so segments are kept small relative to the cap
 * (default cap/32). A record larger than `maxRecordBytes` is refused at append.
 *
 * Corruption. Every record read is checked (length bound and CRC). A bad record is skipped: the
 * reader searches forward for the next valid record with a plausible sequence id, counts the
 * sequence ids it jumped over as corrupt, and goes on; corruption is never fatal.
 *
 * Recovery. Opening the spool lists the segment files, stats them, and scans only the newest
 * segment (bounded by `segmentBytes`) to find the last whole record; a torn tail left by a crash
 * in the middle of a write is truncated and its bytes counted. Cursors come from their files.
 * Nothing else is read, so recovery time does not grow with the number of spooled events.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { promisify } from 'node:util';
import { SpyglassError, toSpyglassError } from '../../core/errors.js';
import { HEADER_BYTES, MAGIC, checkRecord, encodeRecord, parseSegmentFileName, segmentFileName } from './record-format.js';

const fdatasync = promisify(fs.fdatasync);
const READ_CHUNK = 1 << 20;

export type Durability = 'fsync' | 'write';

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

export interface CursorPosition {
  /** sequence id of the first record not yet consumed */
  seq: number;
  /** first sequence id of the segment holding it */
  segment: number;
  /** byte offset in that segment where it starts */
  offset: number;
}

export interface SpoolRecord {
  seq: number;
  timeMs: number;
  payload: Buffer;
  /** the position just after this record: acknowledge it to consume the record */
  next: CursorPosition;
}

export interface DropReport {
  /** records in the deleted segment */
  records: number;
  /** records lost per cursor (those it had not acknowledged) */
  lostPerCursor: Record<string, number>;
  segment: string;
}

export interface CorruptReport {
  cursor: string;
  segment: string;
  offset: number;
  /** sequence ids skipped over */
  skippedRecords: number;
}

export interface RecoveryReport {
  segments: number;
  tornBytes: number;
  ms: number;
}

interface Segment {
  firstSeq: number;
  file: string;
  size: number;
}

interface PendingAppend {
  seq: number;
  record: Buffer;
  resolve: (seq: number) => void;
  reject: (err: Error) => void;
}

export interface SpoolEvents {
  drop: [DropReport];
  corrupt: [CorruptReport];
}

/** A crash-safe append-only queue with one cursor per sink. Open with `Spool.open`. */
export class Spool extends EventEmitter<SpoolEvents> {
  readonly dir: string;
  readonly maxBytes: number;
  readonly segmentBytes: number;
  readonly durability: Durability;
  readonly maxRecordBytes: number;
  recovery: RecoveryReport = { segments: 0, tornBytes: 0, ms: 0 };

  /** every segment, oldest first; the last is the one being appended to */
  segments: Segment[] = [];
  private activeFd = -1;
  private nextSeq = 1;
  /** records with seq below this are accepted and visible to readers */
  durableNextSeq = 1;
  /** bytes of the active segment that are accepted */
  durableEnd = 0;
  private pending: PendingAppend[] = [];
  private flushing = false;
  private flushScheduled = false;
  private closed = false;
  private fsyncTimer: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<() => void>();
  readonly readers = new Map<string, SpoolReader>();
  private readonly fsyncIntervalMs: number;
  /** counters since open */
  counters = { appended: 0, appendedBytes: 0, droppedRecords: 0, droppedSegments: 0, corruptRecords: 0 };

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
  }

  /** Opens (creating if needed) and recovers the spool in `opts.dir`. */
  static async open(opts: SpoolOptions): Promise<Spool> {
    const spool = new Spool(opts);
    try {
      spool.recover(opts.cursors);
    } catch (err) {
      throw toSpyglassError(err, 'spool_open_failed', { path: opts.dir });
    }
    if (spool.durability === 'write') {
      spool.fsyncTimer = setInterval(() => { if (spool.activeFd >= 0) fs.fdatasync(spool.activeFd, () => {}); }, spool.fsyncIntervalMs);
      spool.fsyncTimer.unref();
    }
    return spool;
  }

  private recover(cursorNames: string[]): void {
    const started = performance.now();
    fs.mkdirSync(path.join(this.dir, 'cursors'), { recursive: true, mode: 0o700 });
    const names = fs.readdirSync(this.dir).filter((n) => parseSegmentFileName(n) !== undefined).sort();
    for (const file of names) {
      this.segments.push({ firstSeq: parseSegmentFileName(file)!, file, size: fs.statSync(path.join(this.dir, file)).size });
    }
    let tornBytes = 0;
    const last = this.segments.at(-1);
    if (last) {
      const scan = this.scanTail(last);
      tornBytes = scan.tornBytes;
      this.nextSeq = scan.nextSeq;
      if (scan.records === 0) {
        // reuse an empty newest segment (its name already holds the counter)
        this.activeFd = fs.openSync(path.join(this.dir, last.file), 'r+');
        fs.ftruncateSync(this.activeFd, MAGIC.length);
        fs.writeSync(this.activeFd, MAGIC, 0, MAGIC.length, 0);
        last.size = MAGIC.length;
      } else {
        this.startSegment(this.nextSeq);
      }
    } else {
      // an emptied spool whose cursors went further keeps counting from there
      let floor = 1;
      for (const name of cursorNames) floor = Math.max(floor, this.readCursorFile(name)?.seq ?? 1);
      this.nextSeq = floor;
      this.startSegment(this.nextSeq);
    }
    this.durableNextSeq = this.nextSeq;
    this.durableEnd = this.segments.at(-1)!.size;
    // cursors
    const wanted = new Set(cursorNames);
    for (const file of fs.readdirSync(path.join(this.dir, 'cursors'))) {
      const name = file.replace(/\.json$/, '');
      if (!wanted.has(name)) fs.rmSync(path.join(this.dir, 'cursors', file), { force: true });
    }
    for (const name of cursorNames) {
      const saved = this.readCursorFile(name);
      let pos = saved ?? this.oldestPosition();
      if (pos.seq > this.nextSeq) pos = this.locate(this.nextSeq);
      if (pos.seq < this.segments[0]!.firstSeq) pos = this.oldestPosition();
      const reader = new SpoolReader(this, name, pos);
      if (!saved) reader.persisted = undefined; // a new sink: written at the first checkpoint
      this.readers.set(name, reader);
    }
    this.recovery = { segments: this.segments.length, tornBytes, ms: performance.now() - started };
  }

  /** Finds the end of the last whole record in a segment, truncating a torn tail. */
  private scanTail(seg: Segment): { nextSeq: number; records: number; tornBytes: number } {
    const file = path.join(this.dir, seg.file);
    const buf = fs.readFileSync(file);
    if (buf.length < MAGIC.length || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
      return { nextSeq: seg.firstSeq, records: 0, tornBytes: buf.length };
    }
    let at = MAGIC.length;
    let nextSeq = seg.firstSeq;
    let records = 0;
    for (;;) {
      const r = checkRecord(buf, at, buf.length - at, this.maxRecordBytes);
      if (typeof r !== 'string' && r.seq >= nextSeq) {
        nextSeq = r.seq + 1;
        records++;
        at += HEADER_BYTES + r.length;
        continue;
      }
      // a bad record followed by good ones is corruption in the middle (readers skip it);
      // with nothing valid after it, it is the torn tail of an interrupted write
      const resume = this.findValidRecord(buf, at + 1, nextSeq);
      if (resume === undefined) break;
      at = resume;
    }
    const tornBytes = buf.length - at;
    if (tornBytes > 0) {
      fs.truncateSync(file, at);
      seg.size = at;
    }
    return { nextSeq, records, tornBytes };
  }

  private findValidRecord(buf: Buffer, from: number, minSeq: number): number | undefined {
    for (let i = from; i + HEADER_BYTES <= buf.length; i++) {
      const len = buf.readUInt32LE(i);
      if (len > this.maxRecordBytes || i + HEADER_BYTES + len > buf.length) continue;
      if (buf.readUInt32LE(i + 8) + buf.readUInt32LE(i + 12) * 0x100000000 < minSeq) continue;
      if (typeof checkRecord(buf, i, buf.length - i, this.maxRecordBytes) !== 'string') return i;
    }
    return undefined;
  }

  private startSegment(firstSeq: number): void {
    const file = segmentFileName(firstSeq);
    const fd = fs.openSync(path.join(this.dir, file), 'w+', 0o600);
    fs.writeSync(fd, MAGIC, 0, MAGIC.length, 0);
    if (this.durability === 'fsync') {
      fs.fdatasyncSync(fd);
      this.fsyncDir();
    }
    this.activeFd = fd;
    this.segments.push({ firstSeq, file, size: MAGIC.length });
  }

  private fsyncDir(): void {
    const dfd = fs.openSync(this.dir, 'r');
    try { fs.fsyncSync(dfd); } finally { fs.closeSync(dfd); }
  }

  /**
   * Appends one payload. Resolves with its sequence id once it is accepted (see the design
   * note); rejects with SpyglassError 'spool_record_too_large' / 'spool_closed' /
   * 'spool_write_failed'.
   */
  append(payload: Buffer | string): Promise<number> {
    if (this.closed) return Promise.reject(new SpyglassError('spool_closed', 'the spool is closed', { path: this.dir }));
    const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    if (length > this.maxRecordBytes) {
      return Promise.reject(new SpyglassError('spool_record_too_large', `event of ${length} bytes is larger than the spool's limit of ${this.maxRecordBytes} bytes`, { path: this.dir }));
    }
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

  private async flushLoop(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          this.writeBatch(batch);
          if (this.durability === 'fsync') await fdatasync(this.activeFd);
        } catch (err) {
          const e = toSpyglassError(err, 'spool_write_failed', { path: this.dir });
          for (const p of batch) p.reject(e);
          // continue in a fresh segment so the gap sits at a segment boundary
          try { this.rollTo(this.nextSeq); } catch { /* the next append will report it */ }
          this.durableNextSeq = this.nextSeq;
          this.durableEnd = this.segments.at(-1)!.size;
          continue;
        }
        this.durableNextSeq = batch.at(-1)!.seq + 1;
        this.durableEnd = this.segments.at(-1)!.size;
        this.counters.appended += batch.length;
        for (const p of batch) { this.counters.appendedBytes += p.record.length; p.resolve(p.seq); }
        this.wake();
      }
    } finally {
      this.flushing = false;
    }
  }

  /** Writes records in order, closing the active segment when the next record would overflow it. */
  private writeBatch(batch: PendingAppend[]): void {
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    const active = () => this.segments.at(-1)!;
    for (const p of batch) {
      const seg = active();
      const used = seg.size + chunkBytes;
      if (used > MAGIC.length && used + p.record.length > this.segmentBytes) {
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
    const seg = this.segments.at(-1)!;
    const data = chunk.length === 1 ? chunk[0]! : Buffer.concat(chunk, bytes);
    let written = 0;
    while (written < data.length) written += fs.writeSync(this.activeFd, data, written, data.length - written, seg.size + written);
    seg.size += data.length;
  }

  /** Closes the active segment (making its content durable first) and starts one at `firstSeq`. */
  private rollTo(firstSeq: number): void {
    if (this.activeFd >= 0) {
      if (this.durability === 'fsync') fs.fdatasyncSync(this.activeFd);
      fs.closeSync(this.activeFd);
      this.activeFd = -1;
    }
    const last = this.segments.at(-1);
    if (last && last.firstSeq === firstSeq) {
      // nothing was written with that id: reuse the file
      this.activeFd = fs.openSync(path.join(this.dir, last.file), 'r+');
      return;
    }
    this.startSegment(firstSeq);
    this.enforceCap();
  }

  /** Drop oldest: delete whole old segments until the spool fits its cap with room for the active one. */
  private enforceCap(): void {
    while (this.segments.length > 1 && this.totalBytes() + this.segmentBytes - this.segments.at(-1)!.size > this.maxBytes) {
      const seg = this.segments.shift()!;
      const nextFirst = this.segments[0]!.firstSeq;
      const lostPerCursor: Record<string, number> = {};
      for (const reader of this.readers.values()) lostPerCursor[reader.name] = reader.dropBefore(nextFirst, seg.firstSeq);
      fs.rmSync(path.join(this.dir, seg.file), { force: true });
      const records = nextFirst - seg.firstSeq;
      this.counters.droppedSegments++;
      this.counters.droppedRecords += Math.max(0, ...Object.values(lostPerCursor));
      this.emit('drop', { records, lostPerCursor, segment: seg.file });
    }
  }

  totalBytes(): number {
    let sum = 0;
    for (const s of this.segments) sum += s.size;
    return sum;
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

  segmentByFirstSeq(firstSeq: number): Segment | undefined {
    // segments are few (cap/segment size); a linear search from the end is fine
    for (let i = this.segments.length - 1; i >= 0; i--) if (this.segments[i]!.firstSeq === firstSeq) return this.segments[i];
    return undefined;
  }

  segmentAfter(seg: Segment): Segment | undefined {
    const i = this.segments.indexOf(seg);
    return i >= 0 ? this.segments[i + 1] : undefined;
  }

  /** Bytes of a segment that readers may read. */
  readableEnd(seg: Segment): number {
    return seg === this.segments.at(-1) ? this.durableEnd : seg.size;
  }

  oldestPosition(): CursorPosition {
    const first = this.segments[0]!;
    return { seq: first.firstSeq, segment: first.firstSeq, offset: MAGIC.length };
  }

  /** The start of the segment that holds `seq` (readers skip forward to it). */
  locate(seq: number): CursorPosition {
    let seg = this.segments[0]!;
    for (const s of this.segments) if (s.firstSeq <= seq) seg = s;
    return { seq, segment: seg.firstSeq, offset: MAGIC.length };
  }

  private cursorFile(name: string): string {
    return path.join(this.dir, 'cursors', `${name}.json`);
  }

  private readCursorFile(name: string): CursorPosition | undefined {
    try {
      const v = JSON.parse(fs.readFileSync(this.cursorFile(name), 'utf8')) as CursorPosition;
      if (Number.isSafeInteger(v.seq) && Number.isSafeInteger(v.segment) && Number.isSafeInteger(v.offset)) return v;
    } catch { /* missing or unreadable: start from the oldest record */ }
    return undefined;
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
    for (const r of this.readers.values()) {
      if (r.persisted && r.persisted.seq === r.acked.seq) continue;
      const pos = { ...r.acked };
      const file = this.cursorFile(r.name);
      const tmp = `${file}.tmp`;
      const fh = await fs.promises.open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(JSON.stringify(pos));
        await fh.datasync();
      } finally { await fh.close(); }
      await fs.promises.rename(tmp, file);
      r.persisted = pos;
      wrote = true;
    }
    if (wrote) {
      const dfd = await fs.promises.open(path.join(this.dir, 'cursors'), 'r');
      try { await dfd.sync(); } finally { await dfd.close(); }
    }
    let minSeq = this.durableNextSeq;
    for (const r of this.readers.values()) minSeq = Math.min(minSeq, r.persisted?.seq ?? r.acked.seq);
    if (this.readers.size === 0) return;
    while (this.segments.length > 1 && this.segments[1]!.firstSeq <= minSeq) {
      const seg = this.segments.shift()!;
      await fs.promises.rm(path.join(this.dir, seg.file), { force: true });
    }
  }

  /** Sequence id of the next record to be appended. */
  get headSeq(): number {
    return this.nextSeq;
  }

  /** Append time of the record at a position (for age reporting), if it is there. */
  peekTime(pos: CursorPosition): number | undefined {
    const seg = this.segmentByFirstSeq(pos.segment);
    if (!seg || pos.seq >= this.durableNextSeq) return undefined;
    const fd = fs.openSync(path.join(this.dir, seg.file), 'r');
    try {
      const buf = Buffer.alloc(HEADER_BYTES);
      if (fs.readSync(fd, buf, 0, HEADER_BYTES, pos.offset) < HEADER_BYTES) return undefined;
      return buf.readDoubleLE(16);
    } finally { fs.closeSync(fd); }
  }

  /** Waits for every pending append, persists cursors and closes the files. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.pending.length > 0 || this.flushing || this.flushScheduled) await new Promise((r) => setTimeout(r, 1));
    this.closed = true;
    if (this.fsyncTimer) clearInterval(this.fsyncTimer);
    await this.checkpoint();
    if (this.activeFd >= 0) {
      fs.fdatasyncSync(this.activeFd);
      fs.closeSync(this.activeFd);
      this.activeFd = -1;
    }
    for (const r of this.readers.values()) r.closeFile();
    this.wake();
  }
}

/** One sink's view of the spool: a read position (ahead, for in-flight batches) and an acknowledged one. */
export class SpoolReader {
  private readPos: CursorPosition;
  acked: CursorPosition;
  persisted: CursorPosition | undefined;
  /** records this cursor lost to drop-oldest, and to corruption, since open */
  dropped = 0;
  corrupt = 0;
  private fd = -1;
  private fdSegment = -1;
  private buf = Buffer.allocUnsafe(READ_CHUNK);
  private bufStart = 0;
  private bufLen = 0;

  constructor(private readonly spool: Spool, readonly name: string, start: CursorPosition) {
    this.readPos = { ...start };
    this.acked = { ...start };
    this.persisted = { ...start };
  }

  /** Records between the acknowledged position and the head (including records not routed to this sink). */
  get depth(): number {
    return Math.max(0, this.spool.durableNextSeq - this.acked.seq);
  }

  /** True when accepted records remain to be read. */
  get hasUnread(): boolean {
    return this.readPos.seq < this.spool.durableNextSeq;
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
    const spool = this.spool;
    while (out.length < maxRecords && bytes < maxBytes) {
      const p = this.readPos;
      if (p.seq >= spool.durableNextSeq) break;
      let seg = spool.segmentByFirstSeq(p.segment);
      if (!seg || p.seq < spool.segments[0]!.firstSeq) {
        this.readPos = spool.locate(Math.max(p.seq, spool.segments[0]!.firstSeq));
        continue;
      }
      const end = spool.readableEnd(seg);
      if (p.offset >= end) {
        const next = spool.segmentAfter(seg);
        if (!next) break;
        this.readPos = { seq: p.seq, segment: next.firstSeq, offset: MAGIC.length };
        continue;
      }
      let r = this.recordAt(seg.file, seg.firstSeq, p.offset, end);
      if (r === 'bad') {
        this.resync(seg, p, end);
        continue;
      }
      const at = p.offset - this.bufStart;
      const next: CursorPosition = { seq: r.seq + 1, segment: seg.firstSeq, offset: p.offset + HEADER_BYTES + r.length };
      if (r.seq >= p.seq) {
        const payload = Buffer.from(this.buf.subarray(at + HEADER_BYTES, at + HEADER_BYTES + r.length));
        out.push({ seq: r.seq, timeMs: r.timeMs, payload, next });
        bytes += r.length;
        this.readPos = next;
      } else {
        // a record before the wanted one (the position pointed at the start of its segment)
        this.readPos = { ...next, seq: p.seq };
      }
      seg = undefined;
    }
    return out;
  }

  private recordAt(file: string, segFirst: number, offset: number, end: number): ReturnType<typeof checkRecord> & object | 'bad' {
    this.openSegment(file, segFirst);
    let avail = this.bufStart <= offset && offset < this.bufStart + this.bufLen ? this.bufStart + this.bufLen - offset : 0;
    avail = Math.min(avail, end - offset);
    let r = checkRecord(this.buf, offset - this.bufStart, avail, this.spool.maxRecordBytes);
    if (r === 'short') {
      let want = READ_CHUNK;
      if (avail >= HEADER_BYTES) want = Math.max(want, HEADER_BYTES + this.buf.readUInt32LE(offset - this.bufStart));
      this.load(offset, Math.min(want, end - offset));
      r = checkRecord(this.buf, 0, Math.min(this.bufLen, end - offset), this.spool.maxRecordBytes);
      if (r === 'short') return 'bad';
    }
    return r;
  }

  private openSegment(file: string, segFirst: number): void {
    if (this.fdSegment === segFirst && this.fd >= 0) return;
    this.closeFile();
    this.fd = fs.openSync(path.join(this.spool.dir, file), 'r');
    this.fdSegment = segFirst;
  }

  private load(offset: number, want: number): void {
    if (want > this.buf.length) this.buf = Buffer.allocUnsafe(want);
    this.bufStart = offset;
    this.bufLen = fs.readSync(this.fd, this.buf, 0, want, offset);
  }

  /** Skips a bad record: finds the next valid record in the segment, or moves to the next segment. */
  private resync(seg: Segment, p: CursorPosition, end: number): void {
    const spool = this.spool;
    const region = Buffer.allocUnsafe(end - p.offset);
    const n = fs.readSync(this.fd, region, 0, region.length, p.offset);
    let found: CursorPosition | undefined;
    let foundSeq = 0;
    for (let i = 1; i + HEADER_BYTES <= n; i++) {
      const len = region.readUInt32LE(i);
      if (len > spool.maxRecordBytes || i + HEADER_BYTES + len > n) continue;
      const seq = region.readUInt32LE(i + 8) + region.readUInt32LE(i + 12) * 0x100000000;
      if (seq < p.seq || seq >= spool.durableNextSeq) continue;
      const r = checkRecord(region, i, n - i, spool.maxRecordBytes);
      if (typeof r === 'string') continue;
      found = { seq, segment: seg.firstSeq, offset: p.offset + i };
      foundSeq = seq;
      break;
    }
    let skipped: number;
    if (found) {
      skipped = foundSeq - p.seq;
      this.readPos = found;
    } else {
      const next = spool.segmentAfter(seg);
      skipped = next ? next.firstSeq - p.seq : 0;
      this.readPos = next ? { seq: next.firstSeq, segment: next.firstSeq, offset: MAGIC.length } : { ...p, offset: end };
    }
    this.bufLen = 0;
    this.corrupt += Math.max(1, skipped);
    spool.counters.corruptRecords += Math.max(1, skipped);
    spool.emit('corrupt', { cursor: this.name, segment: seg.file, offset: p.offset, skippedRecords: skipped });
  }

  closeFile(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    this.fdSegment = -1;
    this.bufLen = 0;
  }
}
