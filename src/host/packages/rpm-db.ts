/**
 * Reads the rpm database of current RHEL / Fedora / SUSE-with-sqlite hosts: the SQLite file
 * `rpmdb.sqlite`, whose `Packages` table holds one rpm header blob per installed package.
 * The header format (rpm's lib/header.c, "headerImport" layout without the lead magic):
 *
 *   int32 BE  il      number of index entries
 *   int32 BE  dl      size of the data store
 *   il × 16 bytes     index entries: tag, type, offset (into the data store), count (all BE)
 *   dl bytes          data store
 *
 * We read only the tags a package inventory needs; every offset is bounds-checked so a
 * damaged blob is reported (with its row number) instead of yielding garbage.
 * BerkeleyDB (`Packages`, RHEL ≤ 8) and ndb (`Packages.db`) databases are recognised and
 * refused with a clear error rather than silently ignored.
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { HostRoot } from '../../core/host-root.js';
import { SpyglassError } from '../../core/errors.js';
import { formatRpmEvr } from './rpm-version.js';

export const RPM_TAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  ARCH: 1022,
  SOURCERPM: 1044,
} as const;

export const RPM_TYPE = {
  NULL: 0, CHAR: 1, INT8: 2, INT16: 3, INT32: 4, INT64: 5, STRING: 6, BIN: 7, STRING_ARRAY: 8, I18NSTRING: 9,
} as const;

export interface RpmPackage {
  name: string;
  epoch: number | undefined;
  version: string;
  release: string;
  arch: string;
  /** "E:V-R" (epoch only when set) */
  evr: string;
  /** the source rpm file name, e.g. "openssl-3.0.7-24.el9.src.rpm"; '' for gpg-pubkey and the like */
  sourceRpm: string;
  /** source package name from sourceRpm ("openssl"); the binary name when there is none */
  source: string;
  /** the source package's version-release from sourceRpm; the binary EVR when there is none */
  sourceVersion: string;
}

/** One header tag's raw value. */
type TagValue = string | string[] | number[] | Buffer;

/** Decodes the tags we want from one header blob; throws SpyglassError 'rpm_header_invalid'. */
export function parseRpmHeader(blob: Buffer, wanted: ReadonlySet<number> = new Set(Object.values(RPM_TAG))): Map<number, TagValue> {
  const bad = (why: string) => new SpyglassError('rpm_header_invalid', `rpm header: ${why}`);
  if (blob.length < 8) throw bad(`${blob.length} bytes, shorter than the 8-byte preamble`);
  const il = blob.readUInt32BE(0);
  const dl = blob.readUInt32BE(4);
  const dataStart = 8 + il * 16;
  if (il > 0xffff || dataStart + dl > blob.length) {
    throw bad(`index of ${il} entries and ${dl}-byte data store do not fit in ${blob.length} bytes`);
  }
  const data = blob.subarray(dataStart, dataStart + dl);
  const tags = new Map<number, TagValue>();
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
    switch (type) {
      case RPM_TYPE.STRING:
        tags.set(tag, readStrings(1)[0]!);
        break;
      case RPM_TYPE.STRING_ARRAY:
      case RPM_TYPE.I18NSTRING:
        tags.set(tag, readStrings(count));
        break;
      case RPM_TYPE.INT32: {
        if (offset + count * 4 > data.length) throw bad(`tag ${tag}: ${count} int32 values run past the data store`);
        const values: number[] = [];
        for (let k = 0; k < count; k++) values.push(data.readUInt32BE(offset + k * 4));
        tags.set(tag, values);
        break;
      }
      case RPM_TYPE.INT16: {
        if (offset + count * 2 > data.length) throw bad(`tag ${tag}: ${count} int16 values run past the data store`);
        const values: number[] = [];
        for (let k = 0; k < count; k++) values.push(data.readUInt16BE(offset + k * 2));
        tags.set(tag, values);
        break;
      }
      default:
        if (offset + count > data.length) throw bad(`tag ${tag}: ${count} bytes run past the data store`);
        tags.set(tag, data.subarray(offset, offset + count));
    }
  }
  return tags;
}

const firstString = (v: TagValue | undefined): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;

/** "openssl-3.0.7-24.el9.src.rpm" → { name: "openssl", version: "3.0.7-24.el9" } */
export function parseSourceRpmName(sourceRpm: string): { name: string; version: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(sourceRpm);
  return m ? { name: m[1]!, version: `${m[2]}-${m[3]}` } : undefined;
}

/** The package a header describes. */
export function rpmPackageFromHeader(blob: Buffer): RpmPackage {
  const tags = parseRpmHeader(blob);
  const name = firstString(tags.get(RPM_TAG.NAME));
  const version = firstString(tags.get(RPM_TAG.VERSION));
  if (!name || version === undefined) throw new SpyglassError('rpm_header_invalid', 'rpm header: no NAME or VERSION tag');
  const release = firstString(tags.get(RPM_TAG.RELEASE)) ?? '';
  const epochTag = tags.get(RPM_TAG.EPOCH);
  const epoch = Array.isArray(epochTag) && typeof epochTag[0] === 'number' ? epochTag[0] : undefined;
  const sourceRpm = firstString(tags.get(RPM_TAG.SOURCERPM)) ?? '';
  const evr = formatRpmEvr(epoch, version, release);
  const src = parseSourceRpmName(sourceRpm);
  return {
    name,
    epoch,
    version,
    release,
    arch: firstString(tags.get(RPM_TAG.ARCH)) ?? '',
    evr,
    sourceRpm,
    source: src?.name ?? name,
    // the source rpm shares the binary's epoch (rpm builds both from one spec)
    sourceVersion: src ? formatRpmEvr(epoch, ...splitVersionRelease(src.version)) : evr,
  };
}

function splitVersionRelease(vr: string): [string, string] {
  const dash = vr.lastIndexOf('-');
  return [vr.slice(0, dash), vr.slice(dash + 1)];
}

/** Where rpm keeps its database: Fedora ≥ 36 moved it to /usr/lib/sysimage/rpm. */
export const RPMDB_DIRS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];

/** Host path of the root's rpmdb.sqlite, or undefined when it has none. */
export async function findRpmSqlite(root: HostRoot): Promise<string | undefined> {
  for (const dir of RPMDB_DIRS) {
    if (await root.exists(`${dir}/rpmdb.sqlite`)) return `${dir}/rpmdb.sqlite`;
  }
  return undefined;
}

/**
 * Every package in a root's rpm database; undefined when the root has none. A database in a
 * format we cannot read, or a damaged one, throws SpyglassError naming the file (and the row).
 */
export async function readRpmDatabase(root: HostRoot): Promise<RpmPackage[] | undefined> {
  const sqlitePath = await findRpmSqlite(root);
  if (sqlitePath) return readRpmSqlite(await root.resolve(sqlitePath), sqlitePath);
  for (const dir of RPMDB_DIRS) {
    for (const [file, format] of [['Packages', 'BerkeleyDB'], ['Packages.db', 'ndb']] as const) {
      const p = `${dir}/${file}`;
      if (await root.exists(p)) {
        throw new SpyglassError('rpmdb_unsupported', `${p}: rpm database in ${format} format; only the SQLite rpmdb (rpm ≥ 4.16, RHEL 9, Fedora ≥ 33) is supported`, { file: p });
      }
    }
  }
  return undefined;
}

/**
 * Reads rpmdb.sqlite at a machine path. Opened read-only; when SQLite cannot open it in place
 * (a read-only mount with a WAL database needs its -shm file), a private copy is read instead.
 */
export async function readRpmSqlite(machinePath: string, displayPath = machinePath): Promise<RpmPackage[]> {
  try {
    return readPackagesTable(machinePath, displayPath);
  } catch (err) {
    if (err instanceof SpyglassError && err.code !== 'rpmdb_unreadable') throw err;
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'spyglass-rpmdb-'));
    try {
      for (const suffix of ['', '-wal']) {
        await fsp.copyFile(machinePath + suffix, path.join(tmp, 'rpmdb.sqlite' + suffix)).catch((e: NodeJS.ErrnoException) => {
          if (!(suffix && e.code === 'ENOENT')) throw e;
        });
      }
      return readPackagesTable(path.join(tmp, 'rpmdb.sqlite'), displayPath);
    } catch (copyErr) {
      if (copyErr instanceof SpyglassError) throw copyErr;
      throw err;
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  }
}

function readPackagesTable(file: string, displayPath: string): RpmPackage[] {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new SpyglassError('rpmdb_unreadable', `${displayPath}: cannot open the rpm database: ${(err as Error).message}`, { file: displayPath }, { cause: err });
  }
  try {
    let rows: Array<{ hnum: number; blob: Buffer }>;
    try {
      rows = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum').all() as Array<{ hnum: number; blob: Buffer }>;
    } catch (err) {
      throw new SpyglassError('rpmdb_unreadable', `${displayPath}: not an rpm database (${(err as Error).message})`, { file: displayPath }, { cause: err });
    }
    const packages: RpmPackage[] = [];
    for (const row of rows) {
      try {
        if (!Buffer.isBuffer(row.blob)) throw new SpyglassError('rpm_header_invalid', 'rpm header: blob column is not a BLOB');
        packages.push(rpmPackageFromHeader(row.blob));
      } catch (err) {
        if (err instanceof SpyglassError) throw new SpyglassError(err.code, `${displayPath}: Packages row ${row.hnum}: ${err.message}`, { file: displayPath, row: row.hnum });
        throw err;
      }
    }
    return packages;
  } finally {
    db.close();
  }
}
