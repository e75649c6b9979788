/**
 * A small reader for ZIP archives (PKWARE APPNOTE 6.3): the end-of-central-directory record
 * (and its ZIP64 form), the central directory, and each entry's data, stored or deflated
 * (node:zlib inflateRaw), checked against its CRC-32. Enough for OSV's `all.zip` exports
 * without a dependency; every inconsistency is an error naming the archive and the offset.
 */
import { crc32, inflateRawSync } from 'node:zlib';
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

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

export class ZipReader {
  readonly entries: ZipEntry[];

  constructor(private readonly buf: Buffer, private readonly file: string) {
    this.entries = this.readCentralDirectory();
  }

  private fail(message: string, offset?: number): SpyglassError {
    return new SpyglassError('feed_zip_invalid', `${this.file}: ${message}${offset !== undefined ? ` (at byte ${offset})` : ''}`, { file: this.file, ...(offset !== undefined ? { offset } : {}) });
  }

  private readCentralDirectory(): ZipEntry[] {
    const buf = this.buf;
    // the EOCD record is the last thing in the file, followed by a comment of up to 64 KiB
    let eocd = -1;
    for (let p = buf.length - 22; p >= Math.max(0, buf.length - 22 - 0xffff); p--) {
      if (buf.readUInt32LE(p) === SIG_EOCD) { eocd = p; break; }
    }
    if (eocd < 0) throw this.fail('not a zip archive, or truncated: no end-of-central-directory record');
    let count = buf.readUInt16LE(eocd + 10);
    let cdSize = buf.readUInt32LE(eocd + 12);
    let cdOffset = buf.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || buf.readUInt32LE(loc) !== SIG_ZIP64_LOCATOR) throw this.fail('ZIP64 archive without a ZIP64 locator', eocd);
      const z64 = Number(buf.readBigUInt64LE(loc + 8));
      if (z64 + 56 > buf.length || buf.readUInt32LE(z64) !== SIG_ZIP64_EOCD) throw this.fail('ZIP64 end-of-central-directory record missing', z64);
      count = Number(buf.readBigUInt64LE(z64 + 32));
      cdSize = Number(buf.readBigUInt64LE(z64 + 40));
      cdOffset = Number(buf.readBigUInt64LE(z64 + 48));
    }
    if (cdOffset + cdSize > buf.length) throw this.fail(`central directory (${cdSize} bytes at ${cdOffset}) runs past the end of the ${buf.length}-byte file: truncated`, cdOffset);
    const entries: ZipEntry[] = [];
    let p = cdOffset;
    for (let k = 0; k < count; k++) {
      if (p + 46 > buf.length || buf.readUInt32LE(p) !== SIG_CENTRAL) throw this.fail(`central directory entry ${k + 1} of ${count} is damaged`, p);
      const method = buf.readUInt16LE(p + 10);
      const crc = buf.readUInt32LE(p + 16);
      let compressedSize = buf.readUInt32LE(p + 20);
      let size = buf.readUInt32LE(p + 24);
      const nameLen = buf.readUInt16LE(p + 28);
      const extraLen = buf.readUInt16LE(p + 30);
      const commentLen = buf.readUInt16LE(p + 32);
      let localHeaderOffset = buf.readUInt32LE(p + 42);
      const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
      // ZIP64 extended information: the 8-byte values for fields saturated at 0xffffffff
      let x = p + 46 + nameLen;
      const extraEnd = x + extraLen;
      while (x + 4 <= extraEnd) {
        const id = buf.readUInt16LE(x);
        const len = buf.readUInt16LE(x + 2);
        if (id === 0x0001) {
          let q = x + 4;
          if (size === 0xffffffff) { size = Number(buf.readBigUInt64LE(q)); q += 8; }
          if (compressedSize === 0xffffffff) { compressedSize = Number(buf.readBigUInt64LE(q)); q += 8; }
          if (localHeaderOffset === 0xffffffff) { localHeaderOffset = Number(buf.readBigUInt64LE(q)); q += 8; }
        }
        x += 4 + len;
      }
      entries.push({ name, method, compressedSize, size, crc, localHeaderOffset });
      p = extraEnd + commentLen;
    }
    return entries;
  }

  /** The entry's bytes, inflated and CRC-checked. */
  read(entry: ZipEntry): Buffer {
    const buf = this.buf;
    const h = entry.localHeaderOffset;
    if (h + 30 > buf.length || buf.readUInt32LE(h) !== SIG_LOCAL) throw this.fail(`${entry.name}: local header missing`, h);
    const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
    const end = start + entry.compressedSize;
    if (end > buf.length) throw this.fail(`${entry.name}: data runs past the end of the file: truncated`, start);
    const raw = buf.subarray(start, end);
    let data: Buffer;
    if (entry.method === 0) data = raw;
    else if (entry.method === 8) {
      try {
        data = inflateRawSync(raw);
      } catch (err) {
        throw this.fail(`${entry.name}: cannot inflate: ${(err as Error).message}`, start);
      }
    } else throw this.fail(`${entry.name}: compression method ${entry.method} is not supported (only stored and deflate)`, h);
    if (data.length !== entry.size || crc32(data) !== entry.crc) throw this.fail(`${entry.name}: size or CRC-32 does not match the central directory: damaged`, start);
    return data;
  }
}
