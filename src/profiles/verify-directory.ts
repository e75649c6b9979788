/**
 * Verifies a profile directory end to end: the MANIFEST is signed by a trusted key, every
 * file it lists is present with the listed digest, and no file is there that it does not list
 * (an added file could be a profile nobody signed). Returns every problem found, each naming
 * the file, so an event can say exactly which file failed and why.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { SpyglassError, toSpyglassError } from '../core/errors.js';
import { MANIFEST_FILE, SIGNATURE_FILE, buildManifest, formatManifest, listSignableFiles, parseManifest, sha256File } from './manifest.js';
import { parseSignatureFile, signManifest, verifyManifestSignature, type TrustAnchors } from './signing.js';
import { readRegularFile } from '../core/regular-file.js';

/** A MANIFEST lists one line per file: a few KB; its signature less. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface DirectoryVerification {
  ok: boolean;
  /** files whose digest matched the signed MANIFEST */
  verifiedFiles: string[];
  problems: SpyglassError[];
}

export async function verifyProfileDirectory(dir: string, trust: TrustAnchors): Promise<DirectoryVerification> {
  const problems: SpyglassError[] = [];
  const verifiedFiles: string[] = [];
  let manifestBytes: Buffer;
  let sigText: string;
  try {
    manifestBytes = await readRegularFile(path.join(dir, MANIFEST_FILE), { maxBytes: MAX_MANIFEST_BYTES });
    sigText = (await readRegularFile(path.join(dir, SIGNATURE_FILE), { maxBytes: MAX_MANIFEST_BYTES })).toString('utf8');
  } catch (err) {
    const e = toSpyglassError(err, 'io_error');
    return { ok: false, verifiedFiles, problems: [new SpyglassError('manifest_missing', `unsigned profile set: ${e.message}`, { path: dir })] };
  }
  try {
    verifyManifestSignature(manifestBytes, parseSignatureFile(sigText, SIGNATURE_FILE), trust, SIGNATURE_FILE);
  } catch (err) {
    // An unverified MANIFEST vouches for nothing: stop here, every file is untrusted.
    return { ok: false, verifiedFiles, problems: [toSpyglassError(err, 'signature_invalid', { path: dir })] };
  }
  let entries;
  try {
    entries = parseManifest(manifestBytes.toString('utf8'));
  } catch (err) {
    return { ok: false, verifiedFiles, problems: [toSpyglassError(err, 'manifest_malformed', { path: dir })] };
  }
  const listed = new Set(entries.map((e) => e.path));
  for (const entry of entries) {
    let actual: string;
    try {
      actual = await sha256File(path.join(dir, entry.path));
    } catch (err) {
      problems.push(new SpyglassError('file_missing', `${entry.path}: listed in the MANIFEST but cannot be read (${toSpyglassError(err).message})`, { file: entry.path }));
      continue;
    }
    if (actual !== entry.sha256) {
      problems.push(new SpyglassError('digest_mismatch', `${entry.path}: SHA-256 ${actual} differs from the signed ${entry.sha256} (file changed after signing)`, { file: entry.path }));
    } else {
      verifiedFiles.push(entry.path);
    }
  }
  try {
    for (const rel of await listSignableFiles(dir)) {
      if (!listed.has(rel)) problems.push(new SpyglassError('unlisted_file', `${rel}: not in the signed MANIFEST`, { file: rel }));
    }
  } catch (err) {
    problems.push(toSpyglassError(err, 'io_error', { path: dir }));
  }
  return { ok: problems.length === 0, verifiedFiles, problems };
}

/** Writes MANIFEST and MANIFEST.sig for a directory; returns the number of files signed. */
export async function signProfileDirectory(dir: string, privateKeyPem: string, certificatesPem: string[] = []): Promise<number> {
  const entries = await buildManifest(dir);
  const manifest = Buffer.from(formatManifest(entries));
  const signature = signManifest(manifest, privateKeyPem, certificatesPem);
  await fsp.writeFile(path.join(dir, MANIFEST_FILE), manifest);
  await fsp.writeFile(path.join(dir, SIGNATURE_FILE), JSON.stringify(signature, null, 2) + '\n');
  return entries.length;
}
