/**
 * Synchronous reads through the host root for the SQL tables (virtual tables pull rows
 * synchronously): text files that may be missing, directory listings, stats, and the
 * root's local accounts with their home directories (for the per-user tables:
 * shell_history, authorized_keys, known_hosts, user_ssh_keys, python_packages).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { HostRoot } from '../../core/host-root.js';
import { parseGroup, parsePasswd, type GroupEntry, type PasswdEntry } from '../../core/passwd.js';
import { resolveSync } from '../path-constraints.js';

/** Bytes a table reads from one file at most (a runaway history file must not stall a query). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The file's bytes, or undefined when it is missing, unreadable or not a regular file. */
export function readBytesSync(root: HostRoot, hostPath: string, maxBytes = MAX_FILE_BYTES): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(resolveSync(root, hostPath), 'r');
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return undefined;
    if (!st.isFile() || st.size === 0) {
      // /proc and /sys files report size 0: read them in chunks up to the limit
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buf = Buffer.alloc(65536);
        const n = fs.readSync(fd, buf, 0, buf.length, null);
        if (n <= 0) break;
        chunks.push(buf.subarray(0, n));
        total += n;
        if (total >= maxBytes) break;
      }
      return Buffer.concat(chunks);
    }
    const size = Math.min(st.size, maxBytes);
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = fs.readSync(fd, buf, off, size - off, off);
      if (n <= 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export function readTextSync(root: HostRoot, hostPath: string, maxBytes = MAX_FILE_BYTES): string | undefined {
  return readBytesSync(root, hostPath, maxBytes)?.toString('utf8');
}

/** Entry names of a directory, sorted; [] when missing. */
export function listDirSync(root: HostRoot, hostDir: string): string[] {
  try {
    return fs.readdirSync(resolveSync(root, hostDir)).sort();
  } catch {
    return [];
  }
}

/** stat (following links inside the root), or undefined. */
export function statSync(root: HostRoot, hostPath: string): fs.Stats | undefined {
  try {
    return fs.statSync(resolveSync(root, hostPath));
  } catch {
    return undefined;
  }
}

function hostParentReal(root: HostRoot, hostPath: string): string {
  const parent = path.posix.dirname(path.posix.normalize('/' + hostPath));
  return root.toHostPath(resolveSync(root, parent));
}

/** readlink of a path inside the root, or undefined. */
export function readlinkSync(root: HostRoot, hostPath: string): string | undefined {
  try {
    return fs.readlinkSync(root.join(path.posix.join(hostParentReal(root, hostPath), path.posix.basename(hostPath))));
  } catch {
    return undefined;
  }
}

/** The root's /etc/passwd entries ([] when missing). */
export function localUsers(root: HostRoot): PasswdEntry[] {
  const text = readTextSync(root, '/etc/passwd');
  return text === undefined ? [] : parsePasswd(text).entries;
}

/** The root's /etc/group entries ([] when missing). */
export function localGroups(root: HostRoot): GroupEntry[] {
  const text = readTextSync(root, '/etc/group');
  return text === undefined ? [] : parseGroup(text).entries;
}

/**
 * Users whose files a per-user table reads: each passwd entry with a home directory,
 * narrowed to `uid = N` when the query gives one; a home shared by several accounts
 * (/ or /nonexistent) is read once, for the first of them.
 */
export function usersWithHomes(root: HostRoot, uids?: Array<string | number | bigint>): PasswdEntry[] {
  const wanted = uids?.map(Number);
  const seenHomes = new Set<string>();
  const out: PasswdEntry[] = [];
  for (const u of localUsers(root)) {
    if (wanted && !wanted.includes(u.uid)) continue;
    if (!u.home || seenHomes.has(u.home)) continue;
    seenHomes.add(u.home);
    out.push(u);
  }
  return out;
}

/** Splits text into lines without the trailing empty one. */
export function lines(text: string): string[] {
  const out = text.split('\n');
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}
