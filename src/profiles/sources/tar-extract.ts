/**
 * Extracts a (gzipped) tar archive of a profile set: regular files and directories only. A
 * signed profile set is plain files, so links, devices and FIFOs are refused, and so is any
 * path that is absolute or climbs out with "..". Sizes are bounded so a hostile bundle cannot
 * fill the disk. POSIX ustar with pax `path` records (long names) and GNU long names.
 */
import { gunzipSync } from 'node:zlib';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { SpyglassError } from '../../core/errors.js';

const BLOCK = 512;

export interface ExtractLimits {
  /** largest uncompressed archive (default 256 MiB) */
  maxBytes: number;
  /** most entries (default 100 000) */
  maxEntries: number;
}

const DEFAULT_LIMITS: ExtractLimits = { maxBytes: 256 * 1024 * 1024, maxEntries: 100_000 };

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function octal(block: Buffer, offset: number, length: number): number {
  const text = field(block, offset, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function safeRelative(name: string, source: string): string | undefined {
  const clean = name.replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (clean === '' || clean === '.') return undefined;
  if (clean.startsWith('/') || clean.split('/').includes('..')) {
    throw new SpyglassError('bundle_unsafe', `archive entry "${name}" leaves the profile directory`, { file: source });
  }
  return clean;
}

/** Extracts `archive` (gzip or plain tar) into `dir`; returns the files written (relative paths). */
export async function extractTar(archive: Buffer, dir: string, source: string, limits: Partial<ExtractLimits> = {}): Promise<string[]> {
  const { maxBytes, maxEntries } = { ...DEFAULT_LIMITS, ...limits };
  let tar: Buffer;
  try {
    tar = archive[0] === 0x1f && archive[1] === 0x8b ? gunzipSync(archive, { maxOutputLength: maxBytes }) : archive;
  } catch (err) {
    throw new SpyglassError('bundle_malformed', `not a readable gzip archive: ${(err as Error).message}`, { file: source });
  }
  const written: string[] = [];
  let offset = 0;
  let entries = 0;
  let longName: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break; // end of archive
    if (++entries > maxEntries) throw new SpyglassError('bundle_too_large', `more than ${maxEntries} entries`, { file: source });
    const stored = octal(header, 148, 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    if (sum !== stored) throw new SpyglassError('bundle_malformed', `bad tar header checksum at byte ${offset}`, { file: source });
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new SpyglassError('bundle_malformed', `archive truncated inside entry at byte ${offset}`, { file: source });
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    const prefix = field(header, 345, 155);
    const baseName = field(header, 0, 100);
    const name = longName ?? (prefix && field(header, 257, 6) === 'ustar' ? `${prefix}/${baseName}` : baseName);
    if (type === 'x') {
      // pax extended header: only the path record matters here
      const m = /\d+ path=([^\n]*)\n/.exec(data.toString('utf8'));
      longName = m?.[1];
      continue;
    }
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    longName = undefined;
    if (type === 'g') continue; // global pax header: nothing we use
    const rel = safeRelative(name, source);
    if (type === '5') {
      if (rel) await fsp.mkdir(path.join(dir, rel), { recursive: true });
      continue;
    }
    if (type !== '0' && type !== '\0' && type !== '7') {
      throw new SpyglassError('bundle_unsafe', `archive entry "${name}" is not a regular file or directory (type ${JSON.stringify(type)})`, { file: source });
    }
    if (!rel) continue;
    await fsp.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fsp.writeFile(path.join(dir, rel), data, { mode: 0o644 });
    written.push(rel);
  }
  return written.sort();
}
