/**
 * What is on disk, found at open without trusting anything: the segment files (named by their
 * first sequence id), the end of the last whole record of the newest one (a torn tail left by a
 * kill in the middle of a write is cut off and counted), and from that the next sequence id.
 * Only the newest segment is read, so recovery time does not grow with the spool. The scan is
 * also used read-only by `spool inspect`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HEADER_BYTES, MAGIC, checkRecord, findNextRecord, parseSegmentFileName } from './record-format.js';
import type { Segment } from './segment-list.js';

export interface RecoveryReport {
  segments: number;
  tornBytes: number;
  ms: number;
  /** cursor files that could not be used (the sink restarts at the oldest record) */
  invalidCursors: Array<{ cursor: string; reason: string }>;
  /** entries named like segments that are not regular files, moved aside as `<name>.not-a-segment` */
  strays: string[];
}

export interface SegmentScan {
  /** sequence id after the last valid record (the segment's first id when it has none) */
  nextSeq: number;
  /** valid records found (records skipped as corrupt in the middle are not counted) */
  records: number;
  /** end of the last valid record: everything after it is a torn tail */
  validEnd: number;
  tornBytes: number;
}

/** Entries named like segments that are not regular files (a directory, a symlink, a FIFO). */
export const NOT_A_SEGMENT_SUFFIX = '.not-a-segment';

/**
 * The segment files of a spool directory, oldest first, with their sizes. An entry named like
 * a segment that is not a regular file is never opened (a symlink could point the spool
 * anywhere; a directory or FIFO would stop it): it is listed in `strays`.
 */
export function listSegments(dir: string): { segments: Segment[]; strays: string[] } {
  const names = fs.readdirSync(dir).filter((n) => parseSegmentFileName(n) !== undefined).sort();
  const segments: Segment[] = [];
  const strays: string[] = [];
  for (const file of names) {
    const st = fs.lstatSync(path.join(dir, file));
    if (st.isFile()) segments.push({ firstSeq: parseSegmentFileName(file)!, file, size: st.size });
    else strays.push(file);
  }
  return { segments, strays };
}

/**
 * Finds the end of the last whole record of a segment. A bad record followed by good ones is
 * corruption in the middle (readers skip it); with nothing valid after it, it is the torn
 * tail of an interrupted write. Reads the file; changes nothing.
 */
export function scanSegment(dir: string, seg: Segment, maxRecordBytes: number): SegmentScan {
  const buf = fs.readFileSync(path.join(dir, seg.file));
  // A damaged magic alone does not condemn the records after it: they carry their own checksums.
  if (buf.length < MAGIC.length) return { nextSeq: seg.firstSeq, records: 0, validEnd: 0, tornBytes: buf.length };
  let at = MAGIC.length;
  let nextSeq = seg.firstSeq;
  let records = 0;
  for (;;) {
    const r = checkRecord(buf, at, buf.length - at, maxRecordBytes);
    if (typeof r !== 'string' && r.seq >= nextSeq) {
      nextSeq = r.seq + 1;
      records++;
      at += HEADER_BYTES + r.length;
      continue;
    }
    const resume = findNextRecord(buf, at + 1, buf.length, nextSeq, Infinity, maxRecordBytes);
    if (resume === undefined) break;
    at = resume.at;
  }
  return { nextSeq, records, validEnd: at, tornBytes: buf.length - at };
}

export interface RecoveredSegments {
  segments: Segment[];
  /** entries named like segments that are not regular files (skipped) */
  strays: string[];
  /** sequence id the next record gets, as far as the segments tell (undefined: no segment) */
  nextSeq: number | undefined;
  /** the newest segment holds no record and can be reused as the active one */
  newestEmpty: boolean;
  /** bytes after the newest segment's last whole record, and where that record ends */
  tornBytes: number;
  validEnd: number;
}

/** Lists the segments and repairs the newest one's tail (truncating it on disk). */
export function recoverSegments(dir: string, maxRecordBytes: number): RecoveredSegments {
  const found = readSegments(dir, maxRecordBytes);
  // moved aside so the writer can never collide with one (it creates segments by name)
  for (const stray of found.strays) {
    try { fs.renameSync(path.join(dir, stray), path.join(dir, stray + NOT_A_SEGMENT_SUFFIX)); } catch { /* left in place; still never opened */ }
  }
  const last = found.segments.at(-1);
  if (last && found.tornBytes > 0) {
    fs.truncateSync(path.join(dir, last.file), found.validEnd);
    last.size = found.validEnd;
  }
  return found;
}

/** The same findings without repairing anything (for inspection beside a running agent). */
export function readSegments(dir: string, maxRecordBytes: number): RecoveredSegments {
  const { segments, strays } = listSegments(dir);
  const last = segments.at(-1);
  if (!last) return { segments, strays, nextSeq: undefined, newestEmpty: false, tornBytes: 0, validEnd: 0 };
  const scan = scanSegment(dir, last, maxRecordBytes);
  return { segments, strays, nextSeq: scan.nextSeq, newestEmpty: scan.records === 0, tornBytes: scan.tornBytes, validEnd: scan.validEnd };
}
