/**
 * A small reader for ZIP archives (PKWARE APPNOTE 6.3): the end-of-central-directory record
 * (and its ZIP64 form), the central directory, and each entry's data, stored or deflated
 * (node:zlib inflateRaw), checked against its CRC-32. Enough for OSV's `all.zip` exports
 * without a dependency. It reads through positional reads, so only the central directory
 * and one entry at a time are in memory; every inconsistency is an error naming the
 * archive and the byte offset.
 */
import { promises as fsp } from 'node:fs';
import { crc32, createInflateRaw } from 'node:zlib';
import { SpyglassError } from '../../core/errors.js';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  /** offset of the entry's local header */
  localHeaderOffset: number;
}

/** Random access to the archive's bytes: a file handle, or a buffer in tests. */
export interface RandomAccess {
  size: number;
  /** exactly `length` bytes at `position`, or fewer at the end of the file */
  read(position: number, length: number): Promise<Buffer>;
}

export function bufferAccess(buf: Buffer): RandomAccess {
  return { size: buf.length, read: async (position, length) => buf.subarray(position, Math.min(buf.length, position + length)) };
}

/**
 * Positional reads from a file through a read-ahead window: entries are laid out one after
 * another, so reading them in order costs one read per window, not two per entry.
 */
export async function fileAccess(handle: fsp.FileHandle, windowSize = 1024 * 1024): Promise<RandomAccess> {
  const size = (await handle.stat()).size;
  let window: Buffer = Buffer.alloc(0);
  let windowStart = 0;
  const readAt = async (position: number, length: number): Promise<Buffer> => {
    const out = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - position)));
    let done = 0;
    while (done < out.length) {
      const { bytesRead } = await handle.read(out, done, out.length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return out.subarray(0, done);
  };
  return {
    size,
    async read(position, length) {
      const end = Math.min(size, position + length);
      if (position < windowStart || end > windowStart + window.length) {
        if (length > windowSize) return readAt(position, length);
        window = await readAt(position, windowSize);
        windowStart = position;
      }
      return window.subarray(position - windowStart, end - windowStart);
    },
  };
}

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

export class ZipReader {
  private constructor(private readonly access: RandomAccess, private readonly file: string, readonly entries: ZipEntry[]) {}

  static async open(access: RandomAccess, file: string): Promise<ZipReader> {
    return new ZipReader(access, file, await readCentralDirectory(access, file));
  }

  /** The entry's bytes, inflated and CRC-checked. */
  async read(entry: ZipEntry): Promise<Buffer> {
    const h = entry.localHeaderOffset;
    const header = await this.access.read(h, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== SIG_LOCAL) throw zipError(this.file, `${entry.name}: local header missing`, h);
    const start = h + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const raw = await this.access.read(start, entry.compressedSize);
    if (raw.length < entry.compressedSize) throw zipError(this.file, `${entry.name}: data runs past the end of the file: truncated`, start);
    let data: Buffer;
    if (entry.method === 0) data = raw;
    else if (entry.method === 8) {
      if (entry.size > MAX_ENTRY_BYTES) throw zipError(this.file, `${entry.name}: ${entry.size} bytes inflated, over the ${MAX_ENTRY_BYTES}-byte limit for one entry: not read`, h);
      if (entry.size > RATIO_FLOOR_BYTES && entry.size / Math.max(1, entry.compressedSize) > MAX_INFLATE_RATIO) {
        throw zipError(this.file, `${entry.name}: inflates ${Math.round(entry.size / Math.max(1, entry.compressedSize))}:1, over the ${MAX_INFLATE_RATIO}:1 limit (a zip bomb?): not read`, h);
      }
      // the central directory's size can lie: stop at it, so memory stays within the caps
      data = await inflateBounded(raw, entry.size).catch((err: unknown) => {
        throw zipError(this.file, `${entry.name}: cannot inflate: ${(err as Error).message}`, start);
      });
    } else throw zipError(this.file, `${entry.name}: compression method ${entry.method} is not supported (only stored and deflate)`, h);
    if (data.length !== entry.size || crc32(data) !== entry.crc) throw zipError(this.file, `${entry.name}: size or CRC-32 does not match the central directory: damaged`, start);
    return data;
  }
}

/** Largest inflated entry: an OSV record is KBs, the largest known tens of KB. */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
/** Highest compression ratio accepted for entries over RATIO_FLOOR_BYTES (JSON deflates about 10:1). */
export const MAX_INFLATE_RATIO = 200;
const RATIO_FLOOR_BYTES = 1024 * 1024;

/** Inflates a raw deflate stream in chunks, failing as soon as it yields more than `limit` bytes. */
function inflateBounded(raw: Buffer, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw();
    const chunks: Buffer[] = [];
    let total = 0;
    inflater.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > limit) {
        inflater.destroy(new Error(`inflates past the ${limit} bytes the central directory declares`));
        return;
      }
      chunks.push(chunk);
    });
    inflater.on('error', reject);
    inflater.on('end', () => resolve(Buffer.concat(chunks, total)));
    inflater.end(raw);
  });
}

function zipError(file: string, message: string, offset?: number): SpyglassError {
  return new SpyglassError('feed_zip_invalid', `${file}: ${message}${offset !== undefined ? ` (at byte ${offset})` : ''}`, { file, ...(offset !== undefined ? { offset } : {}) });
}

async function readCentralDirectory(access: RandomAccess, file: string): Promise<ZipEntry[]> {
  // the EOCD record is the last thing in the file, followed by a comment of up to 64 KiB
  const tailStart = Math.max(0, access.size - 22 - 0xffff - 20);
  const tail = await access.read(tailStart, access.size - tailStart);
  let eocd = -1;
  for (let p = tail.length - 22; p >= 0; p--) {
    if (tail.readUInt32LE(p) === SIG_EOCD) { eocd = p; break; }
  }
  if (eocd < 0) throw zipError(file, 'not a zip archive, or truncated: no end-of-central-directory record');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== SIG_ZIP64_LOCATOR) throw zipError(file, 'ZIP64 archive without a ZIP64 locator', tailStart + eocd);
    const z64Offset = Number(tail.readBigUInt64LE(loc + 8));
    const z64 = await access.read(z64Offset, 56);
    if (z64.length < 56 || z64.readUInt32LE(0) !== SIG_ZIP64_EOCD) throw zipError(file, 'ZIP64 end-of-central-directory record missing', z64Offset);
    count = Number(z64.readBigUInt64LE(32));
    cdSize = Number(z64.readBigUInt64LE(40));
    cdOffset = Number(z64.readBigUInt64LE(48));
  }
  if (cdOffset + cdSize > access.size) throw zipError(file, `central directory (${cdSize} bytes at ${cdOffset}) runs past the end of the ${access.size}-byte file: truncated`, cdOffset);
  const cd = await access.read(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let k = 0; k < count; k++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) throw zipError(file, `central directory entry ${k + 1} of ${count} is damaged`, cdOffset + p);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localHeaderOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    // ZIP64 extended information: the 8-byte values of fields saturated at 0xffffffff
    let x = p + 46 + nameLen;
    const extraEnd = x + extraLen;
    while (x + 4 <= extraEnd) {
      const id = cd.readUInt16LE(x);
      const len = cd.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        if (size === 0xffffffff) { size = Number(cd.readBigUInt64LE(q)); q += 8; }
        if (compressedSize === 0xffffffff) { compressedSize = Number(cd.readBigUInt64LE(q)); q += 8; }
        if (localHeaderOffset === 0xffffffff) { localHeaderOffset = Number(cd.readBigUInt64LE(q)); q += 8; }
      }
      x += 4 + len;
    }
    entries.push({ name, method, compressedSize, size, crc, localHeaderOffset });
    p = extraEnd + commentLen;
  }
  return entries;
}
