/**
 * Reading a file that must be a regular file of bounded size: the one opener for every file
 * Spyglass reads (host files through HostRoot, and its own inputs: profiles and their
 * includes, packs, configuration and drop-ins, vulnerability feeds). It opens non-blocking,
 * so a FIFO cannot hang the open waiting for a writer, checks the opened file (not the path,
 * which could be swapped in between) is regular, and stops reading at the cap, so neither
 * /dev/zero nor a file that grows while read can exhaust memory.
 */
import fs, { promises as fsp, type Stats } from 'node:fs';
import { SpyglassError, toSpyglassError } from './errors.js';

// O_NONBLOCK makes open() of a FIFO return at once instead of waiting for a writer; for
// regular files it changes nothing.
const OPEN_FOR_READ = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;
const READ_CHUNK = 64 * 1024;

export interface RegularFileRead {
  /** refuse files larger than this many bytes */
  maxBytes: number;
  /** how errors name the file (a host path under a root); default: the path opened */
  label?: string;
}

/** The bytes of a regular file; SpyglassError not_regular_file / is_directory / file_too_large / not_found / … */
export async function readRegularFile(file: string, options: RegularFileRead): Promise<Buffer> {
  const label = options.label ?? file;
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(file, OPEN_FOR_READ);
    checkReadable(label, await handle.stat(), options.maxBytes);
    // Files in /proc report size 0: read until EOF, still bounded.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(label, options.maxBytes);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    throw toSpyglassError(err, 'io_error', { path: label });
  } finally {
    await handle?.close();
  }
}

/**
 * Opens a regular file for reading in place (positional or streamed reads of something too
 * large to hold, such as a vulnerability feed). The caller closes it. Same refusals as
 * readRegularFile, without the size cap.
 */
export async function openRegularFile(file: string, label = file): Promise<fsp.FileHandle> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(file, OPEN_FOR_READ);
    checkReadable(label, await handle.stat(), Number.POSITIVE_INFINITY);
    return handle;
  } catch (err) {
    await handle?.close();
    throw toSpyglassError(err, 'io_error', { path: label });
  }
}

/** readRegularFile for callers that must stay synchronous (SQL tables, pack loading). */
export function readRegularFileSync(file: string, options: RegularFileRead): Buffer {
  const label = options.label ?? file;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, OPEN_FOR_READ);
    checkReadable(label, fs.fstatSync(fd), options.maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(READ_CHUNK);
      const bytesRead = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > options.maxBytes) throw tooLarge(label, options.maxBytes);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    throw toSpyglassError(err, 'io_error', { path: label });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function tooLarge(label: string, maxBytes: number): SpyglassError {
  return new SpyglassError('file_too_large', `${label}: over the ${maxBytes}-byte limit for this read`, { path: label });
}

/** Refuses what a read must not touch: directories, FIFOs, sockets, devices, files over the cap. */
function checkReadable(label: string, st: Stats, maxBytes: number): void {
  if (st.isDirectory()) throw new SpyglassError('is_directory', `${label}: is a directory`, { path: label });
  if (!st.isFile()) {
    throw new SpyglassError('not_regular_file', `${label}: not a regular file (${fileKind(st)}); not read`, { path: label });
  }
  if (st.size > maxBytes) {
    throw new SpyglassError('file_too_large', `${label}: ${st.size} bytes, over the ${maxBytes}-byte limit for this read`, { path: label });
  }
}

/** What a non-regular file is, in words. */
export function fileKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'a special file';
}
