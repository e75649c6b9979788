/** Builds rpm header blobs and rpmdb.sqlite files for tests, in rpm's own layout. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { RPM_TAG, RPM_TYPE } from './rpm-header.js';

export type RpmHeaderEntry = { tag: number; type: number; value: string | string[] | number[] };

/**
 * Writes an rpm header blob the way rpm's headerExport lays it out: big-endian index entries
 * then the data store, int32 values 4-byte aligned, strings NUL-terminated.
 */
export function encodeRpmHeader(entries: RpmHeaderEntry[]): Buffer {
  const index: Buffer[] = [];
  const store: Buffer[] = [];
  let size = 0;
  for (const e of entries) {
    let data: Buffer;
    let count: number;
    if (e.type === RPM_TYPE.INT32) {
      const values = e.value as number[];
      const pad = (4 - (size % 4)) % 4;
      if (pad) { store.push(Buffer.alloc(pad)); size += pad; }
      data = Buffer.alloc(values.length * 4);
      values.forEach((v, k) => data.writeUInt32BE(v, k * 4));
      count = values.length;
    } else {
      const strings = Array.isArray(e.value) ? (e.value as string[]) : [e.value as string];
      data = Buffer.concat(strings.map((s) => Buffer.from(s + '\0')));
      count = strings.length;
    }
    const entry = Buffer.alloc(16);
    entry.writeInt32BE(e.tag, 0);
    entry.writeUInt32BE(e.type, 4);
    entry.writeInt32BE(size, 8);
    entry.writeUInt32BE(count, 12);
    index.push(entry);
    store.push(data);
    size += data.length;
  }
  const preamble = Buffer.alloc(8);
  preamble.writeUInt32BE(entries.length, 0);
  preamble.writeUInt32BE(size, 4);
  return Buffer.concat([preamble, ...index, ...store]);
}


/** A header for one package (NAME, VERSION, RELEASE, ARCH, optional EPOCH and SOURCERPM). */
export function rpmPackageHeader(name: string, version: string, release: string, arch: string, epoch?: number, sourceRpm?: string): Buffer {
  const entries: RpmHeaderEntry[] = [
    { tag: RPM_TAG.NAME, type: RPM_TYPE.STRING, value: name },
    { tag: RPM_TAG.VERSION, type: RPM_TYPE.STRING, value: version },
    { tag: RPM_TAG.RELEASE, type: RPM_TYPE.STRING, value: release },
    { tag: 1004, type: RPM_TYPE.I18NSTRING, value: ['a summary', 'eine Zusammenfassung'] }, // SUMMARY, ignored
    { tag: RPM_TAG.ARCH, type: RPM_TYPE.STRING, value: arch },
  ];
  if (epoch !== undefined) entries.push({ tag: RPM_TAG.EPOCH, type: RPM_TYPE.INT32, value: [epoch] });
  if (sourceRpm) entries.push({ tag: RPM_TAG.SOURCERPM, type: RPM_TYPE.STRING, value: sourceRpm });
  return encodeRpmHeader(entries);
}

/** Writes <rootDir><dbDir>/rpmdb.sqlite with rpm's Packages table holding these blobs. */
export function writeRpmdbSqlite(rootDir: string, blobs: Buffer[], dbDir = '/var/lib/rpm'): string {
  mkdirSync(path.join(rootDir, dbDir), { recursive: true });
  const file = path.join(rootDir, dbDir, 'rpmdb.sqlite');
  const db = new Database(file);
  db.exec("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)");
  const insert = db.prepare('INSERT INTO Packages (blob) VALUES (?)');
  for (const b of blobs) insert.run(b);
  db.close();
  return file;
}
