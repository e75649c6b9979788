/**
 * Read-only look at a spool directory (for `spyglass ship status` while the agent runs or is
 * stopped): segment files, size, head sequence id and each sink's persisted position. Uses the
 * spool's own recovery scan and cursor reader, without repairing anything: it changes nothing
 * on disk, so it is safe beside a running agent.
 */
import { readSegments } from './recovery.js';
import { listCursorFiles, readCursorFile } from './cursors.js';
import { recordTimeAt } from './reader.js';
import { READ_LIMIT_BYTES, segmentFileName } from './record-format.js';

export interface SinkBacklog {
  sink: string;
  /** sequence id of the first record the sink has not acknowledged */
  position: number;
  depth: number;
  oldestAgeSeconds: number | undefined;
  /** the cursor file cannot be used (the agent restarts this sink from the oldest record, and reports it) */
  invalid?: string;
}

export interface SpoolInspection {
  dir: string;
  segments: number;
  bytes: number;
  /** sequence id the next record will get */
  headSeq: number;
  oldestSeq: number;
  sinks: SinkBacklog[];
  /** entries named like segments that are not regular files (never read; the agent moves them aside) */
  strays: string[];
}

export function inspectSpool(dir: string, maxRecordBytes = READ_LIMIT_BYTES): SpoolInspection {
  const found = readSegments(dir, maxRecordBytes);
  const bytes = found.segments.reduce((n, s) => n + s.size, 0);
  const oldestSeq = found.segments[0]?.firstSeq ?? 1;
  const headSeq = found.nextSeq ?? 1;
  const sinks = listCursorFiles(dir).names.map((sink): SinkBacklog => {
    const state = readCursorFile(dir, sink);
    if (state.state !== 'valid') {
      const reason = state.state === 'invalid' ? state.reason : 'missing';
      return { sink, position: oldestSeq, depth: Math.max(0, headSeq - oldestSeq), oldestAgeSeconds: undefined, invalid: reason };
    }
    const pos = state.position;
    const seq = Math.max(pos.seq, oldestSeq);
    let oldestAgeSeconds: number | undefined;
    if (seq < headSeq && found.segments.some((s) => s.firstSeq === pos.segment)) {
      const t = recordTimeAt(dir, segmentFileName(pos.segment), pos.offset);
      if (t !== undefined) oldestAgeSeconds = Math.max(0, (Date.now() - t) / 1000);
    }
    return { sink, position: seq, depth: Math.max(0, headSeq - seq), oldestAgeSeconds };
  });
  return { dir, segments: found.segments.length, bytes, headSeq, oldestSeq, sinks, strays: found.strays };
}
