/**
 * The spool's shared in-memory state: its segments, oldest first, and the accepted watermark
 * (how far readers may read). The writer changes it; readers, the cursors and the facade only
 * look. Kept in one place so every part agrees on what is on disk and what is accepted.
 */
import { MAGIC } from './record-format.js';
import type { CursorPosition } from './cursors.js';

export interface Segment {
  firstSeq: number;
  file: string;
  /** bytes written (the active segment may hold more than is accepted: see `acceptedEnd`) */
  size: number;
}

export class SegmentList {
  /** every segment, oldest first; the last is the one being appended to */
  readonly segments: Segment[] = [];
  /** records with seq below this are accepted and visible to readers */
  acceptedNextSeq = 1;
  /** bytes of the active segment that are accepted */
  acceptedEnd = 0;

  /** `maxRecordBytes`: the largest record readers accept (see READ_LIMIT_BYTES) */
  constructor(readonly dir: string, readonly maxRecordBytes: number) {}

  get oldest(): Segment {
    return this.segments[0]!;
  }

  get active(): Segment {
    return this.segments.at(-1)!;
  }

  byFirstSeq(firstSeq: number): Segment | undefined {
    // segments are few (cap/segment size); a linear search from the end is fine
    for (let i = this.segments.length - 1; i >= 0; i--) if (this.segments[i]!.firstSeq === firstSeq) return this.segments[i];
    return undefined;
  }

  after(seg: Segment): Segment | undefined {
    const i = this.segments.indexOf(seg);
    return i >= 0 ? this.segments[i + 1] : undefined;
  }

  /** Bytes of a segment that readers may read. */
  readableEnd(seg: Segment): number {
    return seg === this.segments.at(-1) ? this.acceptedEnd : seg.size;
  }

  totalBytes(): number {
    let sum = 0;
    for (const s of this.segments) sum += s.size;
    return sum;
  }

  oldestPosition(): CursorPosition {
    const first = this.oldest;
    return { seq: first.firstSeq, segment: first.firstSeq, offset: MAGIC.length };
  }

  /** The start of the segment that holds `seq` (readers skip forward to it). */
  locate(seq: number): CursorPosition {
    let seg = this.oldest;
    for (const s of this.segments) if (s.firstSeq <= seq) seg = s;
    return { seq, segment: seg.firstSeq, offset: MAGIC.length };
  }
}
