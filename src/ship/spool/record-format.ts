/**
 * The byte layout of spool segment files (the design is in README.md beside this file).
 *
 *   segment file = MAGIC (8 bytes "SGSPOOL1") then records, back to back
 *   record       = u32 LE payload length
 *                  u32 LE CRC-32 of bytes [8, 24 + length) (sequence, time and payload)
 *                  u64 LE sequence id (written as two u32: low, high; always < 2^53)
 *                  f64 LE append time, epoch milliseconds
 *                  payload (UTF-8 JSON of the event envelope)
 *
 * The CRC-32 is the IEEE one zlib computes (node:zlib crc32), so spools written by the earlier
 * hand-written implementation read unchanged.
 */
import { crc32 } from 'node:zlib';

export const MAGIC = Buffer.from('SGSPOOL1', 'latin1');
export const HEADER_BYTES = 24;
export const SEGMENT_SUFFIX = '.seg';
/**
 * The largest record a reader accepts, whatever the configured append limit: lowering
 * `maxEventBytes` must not turn records already spooled into "corrupt" ones. The checksum,
 * not this bound, is what tells a record from garbage.
 */
export const READ_LIMIT_BYTES = 64 << 20;

export function segmentFileName(firstSeq: number): string {
  return String(firstSeq).padStart(16, '0') + SEGMENT_SUFFIX;
}

export function parseSegmentFileName(name: string): number | undefined {
  const m = /^(\d{16})\.seg$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** CRC-32 of `buf[start, end)`. */
export function checksum(buf: Uint8Array, start: number, end: number): number {
  return crc32(buf.subarray(start, end));
}

export function encodeRecord(seq: number, timeMs: number, payload: Buffer | string): Buffer {
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  const rec = Buffer.allocUnsafe(HEADER_BYTES + length);
  rec.writeUInt32LE(length, 0);
  rec.writeUInt32LE(seq % 0x100000000, 8);
  rec.writeUInt32LE(Math.floor(seq / 0x100000000), 12);
  rec.writeDoubleLE(timeMs, 16);
  if (typeof payload === 'string') rec.write(payload, HEADER_BYTES, 'utf8');
  else payload.copy(rec, HEADER_BYTES);
  rec.writeUInt32LE(checksum(rec, 8, rec.length), 4);
  return rec;
}

/** Gives an encoded record another sequence id (the writer reuses the ids of refused appends). */
export function restampRecord(rec: Buffer, seq: number): void {
  rec.writeUInt32LE(seq % 0x100000000, 8);
  rec.writeUInt32LE(Math.floor(seq / 0x100000000), 12);
  rec.writeUInt32LE(checksum(rec, 8, rec.length), 4);
}

export interface DecodedHeader {
  length: number;
  seq: number;
  timeMs: number;
}

/**
 * Decodes and verifies the record at `buf[at]`, with `available` bytes of it in the buffer.
 * Returns the header when the whole record is present and its checksum matches, 'short'
 * when more bytes are needed, 'bad' when it cannot be a valid record.
 */
export function checkRecord(buf: Buffer, at: number, available: number, maxPayload: number): DecodedHeader | 'short' | 'bad' {
  if (available < HEADER_BYTES) return 'short';
  const length = buf.readUInt32LE(at);
  if (length > maxPayload) return 'bad';
  if (available < HEADER_BYTES + length) return 'short';
  const crc = buf.readUInt32LE(at + 4);
  if (checksum(buf, at + 8, at + HEADER_BYTES + length) !== crc) return 'bad';
  const seq = readSeq(buf, at);
  return { length, seq, timeMs: buf.readDoubleLE(at + 16) };
}

/** The sequence id field of the record header at `buf[at]` (unverified). */
export function readSeq(buf: Buffer, at: number): number {
  return buf.readUInt32LE(at + 8) + buf.readUInt32LE(at + 12) * 0x100000000;
}

/**
 * After a bad record: the offset in `buf[from, end)` of the first valid whole record whose
 * sequence id lies in [minSeq, maxSeq), if any. Cheap checks (length bound, sequence range) come
 * before the checksum so scanning garbage stays fast.
 */
export function findNextRecord(buf: Buffer, from: number, end: number, minSeq: number, maxSeq: number, maxPayload: number): { at: number; seq: number } | undefined {
  for (let i = from; i + HEADER_BYTES <= end; i++) {
    const len = buf.readUInt32LE(i);
    if (len > maxPayload || i + HEADER_BYTES + len > end) continue;
    const seq = readSeq(buf, i);
    if (seq < minSeq || seq >= maxSeq) continue;
    if (typeof checkRecord(buf, i, end - i, maxPayload) !== 'string') return { at: i, seq };
  }
  return undefined;
}
