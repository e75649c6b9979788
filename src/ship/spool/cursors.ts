/**
 * Cursor files: one per sink, `cursors/<sink>.json` = {"seq", "segment", "offset"}, the position
 * of the first record the sink has not acknowledged. Written atomically (temporary file, fsync,
 * rename, fsync of the directory) so a crash leaves either the old or the new position.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface CursorPosition {
  /** sequence id of the first record not yet consumed */
  seq: number;
  /** first sequence id of the segment holding it */
  segment: number;
  /** byte offset in that segment where it starts */
  offset: number;
}

export const CURSORS_DIR = 'cursors';

/** What a cursor file holds: a position, nothing (a sink seen for the first time), or something unusable. */
export type CursorFileState =
  | { state: 'valid'; position: CursorPosition }
  | { state: 'missing' }
  | { state: 'invalid'; reason: string };

export function cursorsDir(spoolDir: string): string {
  return path.join(spoolDir, CURSORS_DIR);
}

export function cursorFile(spoolDir: string, name: string): string {
  return path.join(spoolDir, CURSORS_DIR, `${name}.json`);
}

/** Reads and checks one cursor file; never throws. */
export function readCursorFile(spoolDir: string, name: string): CursorFileState {
  let text: string;
  try {
    text = fs.readFileSync(cursorFile(spoolDir, name), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { state: 'missing' };
    return { state: 'invalid', reason: `cannot read it (${code ?? String(err)})` };
  }
  return parseCursor(text);
}

export function parseCursor(text: string): CursorFileState {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { state: 'invalid', reason: 'not JSON' };
  }
  const p = v as Partial<CursorPosition> | null;
  if (p && typeof p === 'object' && isPosition(p.seq) && isPosition(p.segment) && isPosition(p.offset)) {
    return { state: 'valid', position: { seq: p.seq, segment: p.segment, offset: p.offset } };
  }
  return { state: 'invalid', reason: 'not a position {seq, segment, offset} of non-negative integers' };
}

function isPosition(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Names of the sinks with a cursor file, and the other entries of the cursor directory. */
export function listCursorFiles(spoolDir: string): { names: string[]; others: string[] } {
  let entries: string[];
  try {
    entries = fs.readdirSync(cursorsDir(spoolDir));
  } catch {
    return { names: [], others: [] };
  }
  const names: string[] = [];
  const others: string[] = [];
  for (const e of entries.sort()) (e.endsWith('.json') ? names : others).push(e.endsWith('.json') ? e.slice(0, -5) : e);
  return { names, others };
}

/** Removes cursor files (and leftovers such as temporary files) of sinks not in `keep`. */
export function removeCursorsExcept(spoolDir: string, keep: Iterable<string>): void {
  const wanted = new Set(keep);
  for (const file of fs.readdirSync(cursorsDir(spoolDir))) {
    const name = file.replace(/\.json$/, '');
    if (!wanted.has(name)) fs.rmSync(path.join(cursorsDir(spoolDir), file), { force: true, recursive: true });
  }
}

/** Writes one cursor file atomically (not yet the directory fsync: see `syncCursorsDir`). */
export async function writeCursorFile(spoolDir: string, name: string, pos: CursorPosition): Promise<void> {
  const file = cursorFile(spoolDir, name);
  const tmp = `${file}.tmp`;
  try {
    const fh = await fs.promises.open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(pos));
      await fh.datasync();
    } finally { await fh.close(); }
    await fs.promises.rename(tmp, file);
  } catch (err) {
    await fs.promises.rm(tmp, { force: true }).catch(() => {});
    throw err;
  }
}

/**
 * The fallback when a new file cannot be written (a full disk): overwrites the existing cursor
 * file where it is, padded with spaces (JSON allows them) to its old length so no byte of the
 * old position survives and no new block is needed. Not atomic like `writeCursorFile`, but the
 * write is one small pwrite at offset 0; if a crash tore it, the file reads as invalid, which is
 * reported and restarts the sink at the oldest record: duplicates, never a loss.
 */
export async function overwriteCursorFile(spoolDir: string, name: string, pos: CursorPosition): Promise<void> {
  const fh = await fs.promises.open(cursorFile(spoolDir, name), 'r+');
  try {
    const { size } = await fh.stat();
    const json = JSON.stringify(pos);
    await fh.write(json.padEnd(size, ' '), 0, 'utf8');
    await fh.datasync();
  } finally { await fh.close(); }
}

/** Makes the renames of `writeCursorFile` durable. */
export async function syncCursorsDir(spoolDir: string): Promise<void> {
  const dfd = await fs.promises.open(cursorsDir(spoolDir), 'r');
  try { await dfd.sync(); } finally { await dfd.close(); }
}
