/**
 * RPM package headers as rpm stores them in its database (rpm's lib/header.c "headerImport"
 * layout without the lead magic): the one decoder behind the audit's package check, the
 * vulnerability scanner and the rpm_packages table.
 *
 *   int32 BE  il      number of index entries
 *   int32 BE  dl      size of the data store
 *   il × 16 bytes     index entries: tag, type, offset (into the data store), count (all BE)
 *   dl bytes          data store
 *
 * Every offset and count is bounds-checked, so a damaged blob is an error (SpyglassError
 * 'rpm_header_invalid') instead of a package with garbage fields.
 */
import { SpyglassError } from '../../core/errors.js';

/** The tags a package inventory reads (rpm's rpmtag.h numbers). */
export const RPM_TAG = {
  SHA1HEADER: 269,
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  SUMMARY: 1004,
  INSTALLTIME: 1008,
  SIZE: 1009,
  VENDOR: 1011,
  GROUP: 1016,
  ARCH: 1022,
  SOURCERPM: 1044,
  LONGSIZE: 5009,
} as const;

export const RPM_TYPE = {
  NULL: 0, CHAR: 1, INT8: 2, INT16: 3, INT32: 4, INT64: 5, STRING: 6, BIN: 7, STRING_ARRAY: 8, I18NSTRING: 9,
} as const;

/** One tag's value: a STRING is a string, the other types arrays (BIN: the bytes). */
export type RpmTagValue = string | string[] | number[] | bigint[] | Buffer;

const ALL_TAGS: ReadonlySet<number> = new Set(Object.values(RPM_TAG));

/** Decodes the wanted tags (by default every tag of RPM_TAG) of one header blob. */
export function parseRpmHeader(blob: Buffer, wanted: ReadonlySet<number> = ALL_TAGS): Map<number, RpmTagValue> {
  const bad = (why: string) => new SpyglassError('rpm_header_invalid', `rpm header: ${why}`);
  if (blob.length < 8) throw bad(`${blob.length} bytes, shorter than the 8-byte preamble`);
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  if (il > 0xffff || dataStart + dl > blob.length) {
    throw bad(`index of ${il} entries and ${dl}-byte data store do not fit in ${blob.length} bytes`);
  }
  const data = blob.subarray(dataStart, dataStart + dl);
  const tags = new Map<number, RpmTagValue>();
  for (let e = 0; e < il; e++) {
    const at = 8 + e * 16;
    const tag = blob.readInt32BE(at);
    if (!wanted.has(tag)) continue;
    const type = blob.readUInt32BE(at + 4);
    const offset = blob.readInt32BE(at + 8);
    const count = blob.readUInt32BE(at + 12);
    if (offset < 0 || offset > data.length) throw bad(`tag ${tag}: offset ${offset} outside the ${data.length}-byte data store`);
    const readStrings = (n: number): string[] => {
      const out: string[] = [];
      let p = offset;
      for (let k = 0; k < n; k++) {
        const end = data.indexOf(0, p);
        if (end < 0) throw bad(`tag ${tag}: unterminated string`);
        out.push(data.toString('utf8', p, end));
        p = end + 1;
      }
      return out;
    };
    const readNumbers = <T>(width: number, read: (at: number) => T): T[] => {
      if (offset + count * width > data.length) throw bad(`tag ${tag}: ${count} ${width * 8}-bit values run past the data store`);
      const values: T[] = [];
      for (let k = 0; k < count; k++) values.push(read(offset + k * width));
      return values;
    };
    switch (type) {
      case RPM_TYPE.STRING:
        tags.set(tag, readStrings(1)[0]!);
        break;
      case RPM_TYPE.STRING_ARRAY:
      case RPM_TYPE.I18NSTRING:
        tags.set(tag, readStrings(count));
        break;
      case RPM_TYPE.CHAR:
      case RPM_TYPE.INT8:
        tags.set(tag, readNumbers(1, (p) => data.readUInt8(p)));
        break;
      case RPM_TYPE.INT16:
        tags.set(tag, readNumbers(2, (p) => data.readUInt16BE(p)));
        break;
      case RPM_TYPE.INT32:
        tags.set(tag, readNumbers(4, (p) => data.readUInt32BE(p)));
        break;
      case RPM_TYPE.INT64:
        tags.set(tag, readNumbers(8, (p) => data.readBigUInt64BE(p)));
        break;
      default:
        if (offset + count > data.length) throw bad(`tag ${tag}: ${count} bytes run past the data store`);
        tags.set(tag, data.subarray(offset, offset + count));
    }
  }
  return tags;
}

/** A string tag's value (the first string of an array or i18n string), else undefined. */
export function rpmTagString(v: RpmTagValue | undefined): string | undefined {
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

/** An integer tag's first value as a number, else undefined. */
export function rpmTagNumber(v: RpmTagValue | undefined): number | undefined {
  if (!Array.isArray(v)) return undefined;
  const first = v[0];
  return typeof first === 'number' ? first : typeof first === 'bigint' ? Number(first) : undefined;
}
