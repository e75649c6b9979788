/**
 * The MANIFEST of a profile directory: one SHA-256 digest per file, sorted by path, so a
 * detached signature over this one file vouches for every file of the set.
 *
 *   # spyglass-manifest v1
 *   sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  debian-12.yaml
 *
 * Building walks the directory (symlinks are refused: a signed set is plain files), skipping
 * the MANIFEST and its signature and version-control metadata (.git).
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { SpyglassError } from '../core/errors.js';
import { readRegularFile } from '../core/regular-file.js';

export const MANIFEST_FILE = 'MANIFEST';
export const SIGNATURE_FILE = 'MANIFEST.sig';
const HEADER = '# spyglass-manifest v1';
const SKIPPED = new Set([MANIFEST_FILE, SIGNATURE_FILE, '.git']);

export interface ManifestEntry {
  /** path relative to the profile directory, with "/" separators */
  path: string;
  sha256: string;
}

/** A signed set holds profiles, packs and settings (YAML under 4 MiB each): room to spare. */
const MAX_SIGNED_FILE_BYTES = 64 * 1024 * 1024;

/** SHA-256 of a regular file (a FIFO or device swapped in is refused, never read). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(await readRegularFile(file, { maxBytes: MAX_SIGNED_FILE_BYTES }));
  return hash.digest('hex');
}

/** Every regular file below `dir` (relative paths, sorted), refusing links and special files. */
export async function listSignableFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(rel: string): Promise<void> {
    const entries = await fsp.readdir(path.join(dir, rel), { withFileTypes: true });
    for (const entry of entries) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (!rel && SKIPPED.has(entry.name)) continue;
      if (entry.isDirectory()) await walk(relPath);
      else if (entry.isFile()) found.push(relPath);
      else throw new SpyglassError('unsignable_file', `${relPath}: only regular files and directories can be in a signed profile set`, { file: relPath });
    }
  }
  await walk('');
  return found.sort();
}

export async function buildManifest(dir: string): Promise<ManifestEntry[]> {
  const entries: ManifestEntry[] = [];
  for (const rel of await listSignableFiles(dir)) entries.push({ path: rel, sha256: await sha256File(path.join(dir, rel)) });
  return entries;
}

export function formatManifest(entries: ManifestEntry[]): string {
  return [HEADER, ...entries.map((e) => `sha256 ${e.sha256}  ${e.path}`)].join('\n') + '\n';
}

/** Parses MANIFEST text; a malformed line is an error naming its line number. */
export function parseManifest(text: string, file = MANIFEST_FILE): ManifestEntry[] {
  const lines = text.split('\n');
  if (lines[0] !== HEADER) throw new SpyglassError('manifest_malformed', `first line must be "${HEADER}"`, { file, line: 1 });
  const entries: ManifestEntry[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const m = /^sha256 ([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (!m) throw new SpyglassError('manifest_malformed', 'expected "sha256 <64 hex digits>  <path>"', { file, line: i + 1 });
    const rel = m[2]!;
    if (rel.startsWith('/') || rel.split('/').includes('..')) {
      throw new SpyglassError('manifest_malformed', `path "${rel}" leaves the profile directory`, { file, line: i + 1 });
    }
    if (seen.has(rel)) throw new SpyglassError('manifest_malformed', `"${rel}" is listed twice`, { file, line: i + 1 });
    seen.add(rel);
    entries.push({ path: rel, sha256: m[1]! });
  }
  return entries;
}
