/**
 * Decoder of RPM package headers as rpm stores them in its database (the header "region"
 * without the lead magic): a big-endian index count and data length, that many 16-byte
 * index entries (tag, type, offset, count), then the data store. Only the value types the
 * rpm_packages table reads are decoded: integers, strings, string arrays, i18n strings and
 * binary blobs.
 */

export const RPM_TAGS = {
  SHA1HEADER: 269, NAME: 1000, VERSION: 1001, RELEASE: 1002, EPOCH: 1003, SUMMARY: 1004, INSTALLTIME: 1008,
  SIZE: 1009, VENDOR: 1011, GROUP: 1016, ARCH: 1022, SOURCERPM: 1044, LONGSIZE: 5009,
} as const;

const INT8 = 2, INT16 = 3, INT32 = 4, INT64 = 5, STRING = 6, BIN = 7, STRING_ARRAY = 8, I18NSTRING = 9;

export type HeaderValue = string | number | bigint | string[] | Buffer;

function readString(data: Buffer, off: number): [string, number] {
  const end = data.indexOf(0, off);
  const stop = end < 0 ? data.length : end;
  return [data.toString('utf8', off, stop), stop + 1];
}

/** tag -> value (first element for numeric arrays; first string for i18n strings). */
export function decodeRpmHeader(blob: Buffer): Map<number, HeaderValue> {
  const out = new Map<number, HeaderValue>();
  if (blob.length < 8) return out;
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  if (il > 0x10000 || dataStart + dl > blob.length) return out; // not a header
  const data = blob.subarray(dataStart, dataStart + dl);
  for (let i = 0; i < il; i++) {
    const e = 8 + i * 16;
    const tag = blob.readInt32BE(e);
    const type = blob.readUInt32BE(e + 4);
    const off = blob.readInt32BE(e + 8);
    const count = blob.readUInt32BE(e + 12);
    if (off < 0 || off >= data.length) continue;
    try {
      switch (type) {
        case INT8: out.set(tag, data.readUInt8(off)); break;
        case INT16: out.set(tag, data.readUInt16BE(off)); break;
        case INT32: out.set(tag, data.readUInt32BE(off)); break;
        case INT64: out.set(tag, data.readBigUInt64BE(off)); break;
        case STRING: case I18NSTRING: out.set(tag, readString(data, off)[0]); break;
        case STRING_ARRAY: {
          const list: string[] = [];
          let p = off;
          for (let n = 0; n < count && p < data.length; n++) { const [s, next] = readString(data, p); list.push(s); p = next; }
          out.set(tag, list);
          break;
        }
        case BIN: out.set(tag, Buffer.from(data.subarray(off, off + count))); break;
        default: break;
      }
    } catch { /* an entry pointing past the data: skip it */ }
  }
  return out;
}
