/**
 * Reads the rpm database of current RHEL / Fedora / SUSE-with-sqlite hosts: the SQLite file
 * `rpmdb.sqlite`, whose `Packages` table holds one rpm header blob per installed package
 * (decoded by rpm-header.ts). BerkeleyDB (`Packages`, RHEL ≤ 8) and ndb (`Packages.db`)
 * databases are recognised and refused with a clear error rather than silently ignored.
 * better-sqlite3 is synchronous, so the sync reader is the reader; the async one exists for
 * callers that read the rest of the host asynchronously.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { HostRoot } from '../../core/host-root.js';
import { SpyglassError } from '../../core/errors.js';
import { formatRpmEvr } from './rpm-version.js';
import { parseRpmHeader, RPM_TAG, rpmTagNumber, rpmTagString } from './rpm-header.js';

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
  /** installed size in bytes (LONGSIZE, else SIZE) */
  size: number | undefined;
  /** SHA1HEADER: the header's own digest, hex; '' when absent */
  sha1Header: string;
  /** INSTALLTIME, seconds since the epoch */
  installTime: number | undefined;
  vendor: string;
  group: string;
}

/** "openssl-3.0.7-24.el9.src.rpm" → { name: "openssl", version: "3.0.7-24.el9" } */
export function parseSourceRpmName(sourceRpm: string): { name: string; version: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(sourceRpm);
  return m ? { name: m[1]!, version: `${m[2]}-${m[3]}` } : undefined;
}

/** The package a header describes; throws SpyglassError 'rpm_header_invalid'. */
export function rpmPackageFromHeader(blob: Buffer): RpmPackage {
  const tags = parseRpmHeader(blob);
  const name = rpmTagString(tags.get(RPM_TAG.NAME));
  const version = rpmTagString(tags.get(RPM_TAG.VERSION));
  if (!name || version === undefined) throw new SpyglassError('rpm_header_invalid', 'rpm header: no NAME or VERSION tag');
  const release = rpmTagString(tags.get(RPM_TAG.RELEASE)) ?? '';
  const epoch = rpmTagNumber(tags.get(RPM_TAG.EPOCH));
  const sourceRpm = rpmTagString(tags.get(RPM_TAG.SOURCERPM)) ?? '';
  const evr = formatRpmEvr(epoch, version, release);
  const src = parseSourceRpmName(sourceRpm);
  return {
    name,
    epoch,
    version,
    release,
    arch: rpmTagString(tags.get(RPM_TAG.ARCH)) ?? '',
    evr,
    sourceRpm,
    source: src?.name ?? name,
    // the source rpm shares the binary's epoch (rpm builds both from one spec)
    sourceVersion: src ? formatRpmEvr(epoch, ...splitVersionRelease(src.version)) : evr,
    size: rpmTagNumber(tags.get(RPM_TAG.LONGSIZE)) ?? rpmTagNumber(tags.get(RPM_TAG.SIZE)),
    sha1Header: rpmTagString(tags.get(RPM_TAG.SHA1HEADER)) ?? '',
    installTime: rpmTagNumber(tags.get(RPM_TAG.INSTALLTIME)),
    vendor: rpmTagString(tags.get(RPM_TAG.VENDOR)) ?? '',
    group: rpmTagString(tags.get(RPM_TAG.GROUP)) ?? '',
  };
}

function splitVersionRelease(vr: string): [string, string] {
  const dash = vr.lastIndexOf('-');
  return [vr.slice(0, dash), vr.slice(dash + 1)];
}

/** Imported signing keys appear in the database as packages named gpg-pubkey: not software. */
export function isRpmSigningKey(p: { name: string }): boolean {
  return p.name === 'gpg-pubkey';
}

/** Where rpm keeps its database: Fedora ≥ 36 moved it to /usr/lib/sysimage/rpm. */
export const RPMDB_DIRS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];

/** Host path of the root's rpmdb.sqlite, or undefined when it has none. */
export function findRpmSqliteSync(root: HostRoot): string | undefined {
  return RPMDB_DIRS.map((dir) => `${dir}/rpmdb.sqlite`).find((p) => root.existsSync(p));
}

export async function findRpmSqlite(root: HostRoot): Promise<string | undefined> {
  return findRpmSqliteSync(root);
}

export interface ReadRpmOptions {
  /**
   * Called for a damaged header row instead of failing the whole read (the SQL table reports
   * it and lists the other packages; the audit wants the read to fail).
   */
  onDamagedRow?: (err: SpyglassError) => void;
}

/**
 * Every package in a root's rpm database; undefined when the root has none. A database in a
 * format we cannot read, or a damaged one, throws SpyglassError naming the file (and the row).
 */
export function readRpmDatabaseSync(root: HostRoot, options: ReadRpmOptions = {}): RpmPackage[] | undefined {
  const sqlitePath = findRpmSqliteSync(root);
  if (sqlitePath) return readRpmSqliteSync(root.resolveSync(sqlitePath), sqlitePath, options);
  for (const dir of RPMDB_DIRS) {
    for (const [file, format] of [['Packages', 'BerkeleyDB'], ['Packages.db', 'ndb']] as const) {
      const p = `${dir}/${file}`;
      if (root.existsSync(p)) {
        throw new SpyglassError('rpmdb_unsupported', `${p}: rpm database in ${format} format; only the SQLite rpmdb (rpm ≥ 4.16, RHEL 9, Fedora ≥ 33) is supported`, { file: p });
      }
    }
  }
  return undefined;
}

export async function readRpmDatabase(root: HostRoot, options: ReadRpmOptions = {}): Promise<RpmPackage[] | undefined> {
  return readRpmDatabaseSync(root, options);
}

/**
 * Reads rpmdb.sqlite at a machine path. Opened read-only; when SQLite cannot open it in place
 * (a read-only mount with a WAL database needs its -shm file), a private copy is read instead.
 */
export function readRpmSqliteSync(machinePath: string, displayPath = machinePath, options: ReadRpmOptions = {}): RpmPackage[] {
  try {
    return readPackagesTable(machinePath, displayPath, options);
  } catch (err) {
    if (err instanceof SpyglassError && err.code !== 'rpmdb_unreadable') throw err;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-rpmdb-'));
    try {
      for (const suffix of ['', '-wal']) {
        try {
          fs.copyFileSync(machinePath + suffix, path.join(tmp, 'rpmdb.sqlite' + suffix));
        } catch (e) {
          if (!(suffix && (e as NodeJS.ErrnoException).code === 'ENOENT')) throw e;
        }
      }
      return readPackagesTable(path.join(tmp, 'rpmdb.sqlite'), displayPath, options);
    } catch (copyErr) {
      if (copyErr instanceof SpyglassError) throw copyErr;
      throw err;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
}

function readPackagesTable(file: string, displayPath: string, options: ReadRpmOptions): RpmPackage[] {
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
        if (!(err instanceof SpyglassError)) throw err;
        const located = new SpyglassError(err.code, `${displayPath}: Packages row ${row.hnum}: ${err.message}`, { file: displayPath, row: row.hnum });
        if (!options.onDamagedRow) throw located;
        options.onDamagedRow(located);
      }
    }
    return packages;
  } finally {
    db.close();
  }
}
