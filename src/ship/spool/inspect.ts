/**
 * Read-only look at a spool directory (for `spyglass ship status` while the agent runs or is
 * stopped): segment files, size, head sequence id and each sink's persisted position. Reads the
 * newest segment's records to find the head; changes nothing on disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { HEADER_BYTES, MAGIC, checkRecord, parseSegmentFileName } from './record-format.js';

export interface SpoolInspection {
  dir: string;
  segments: number;
  bytes: number;
  /** sequence id the next record will get */
  headSeq: number;
  oldestSeq: number;
  sinks: Array<{ sink: string; position: number; depth: number; oldestAgeSeconds: number | undefined }>;
}

export function inspectSpool(dir: string, maxRecordBytes = 64 << 20): SpoolInspection {
  const files = fs.readdirSync(dir).filter((n) => parseSegmentFileName(n) !== undefined).sort();
  let bytes = 0;
  for (const f of files) bytes += fs.statSync(path.join(dir, f)).size;
  const oldestSeq = files.length ? parseSegmentFileName(files[0]!)! : 1;
  let headSeq = files.length ? parseSegmentFileName(files.at(-1)!)! : 1;
  if (files.length) {
    const buf = fs.readFileSync(path.join(dir, files.at(-1)!));
    let at = MAGIC.length;
    for (;;) {
      const r = checkRecord(buf, at, buf.length - at, maxRecordBytes);
      if (typeof r === 'string') break;
      headSeq = r.seq + 1;
      at += HEADER_BYTES + r.length;
    }
  }
  const cursorsDir = path.join(dir, 'cursors');
  const sinks = (fs.existsSync(cursorsDir) ? fs.readdirSync(cursorsDir).filter((f) => f.endsWith('.json')) : []).map((f) => {
    const pos = JSON.parse(fs.readFileSync(path.join(cursorsDir, f), 'utf8')) as { seq: number; segment: number; offset: number };
    const seq = Math.max(pos.seq, oldestSeq);
    let oldestAgeSeconds: number | undefined;
    const segFile = path.join(dir, String(pos.segment).padStart(16, '0') + '.seg');
    if (seq < headSeq && fs.existsSync(segFile)) {
      const fd = fs.openSync(segFile, 'r');
      const h = Buffer.alloc(HEADER_BYTES);
      if (fs.readSync(fd, h, 0, HEADER_BYTES, pos.offset) === HEADER_BYTES) oldestAgeSeconds = Math.max(0, (Date.now() - h.readDoubleLE(16)) / 1000);
      fs.closeSync(fd);
    }
    return { sink: f.replace(/\.json$/, ''), position: seq, depth: Math.max(0, headSeq - seq), oldestAgeSeconds };
  });
  return { dir, segments: files.length, bytes, headSeq, oldestSeq, sinks };
}
