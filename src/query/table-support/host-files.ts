/**
 * Synchronous reads through the host root for the SQL tables (virtual tables pull rows
 * synchronously): text files that may be missing, directory listings, stats, and the
 * root's local accounts with their home directories (for the per-user tables:
 * shell_history, authorized_keys, known_hosts, user_ssh_keys, python_packages).
 */
import type fs from 'node:fs';
import type { HostRoot } from '../../core/host-root.js';
import { readAccountFileSync } from '../../host/account-files.js';
import type { GroupEntry } from '../../host/group.js';
import type { PasswdEntry } from '../../host/passwd.js';

/** Bytes a table reads from one file at most (a runaway history file must not stall a query). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

// A table reports what it can read and skips the rest (osquery's tables do the same): these
// wrap HostRoot's sync reads, which confine paths to the root and refuse FIFOs and devices,
// and turn any error into undefined.

/** The file's bytes, or undefined when it is missing, unreadable, over the cap or not a regular file. */
export function readBytesSync(root: HostRoot, hostPath: string, maxBytes = MAX_FILE_BYTES): Buffer | undefined {
  try {
    return root.readBytesSync(hostPath, maxBytes);
  } catch {
    return undefined;
  }
}

export function readTextSync(root: HostRoot, hostPath: string, maxBytes = MAX_FILE_BYTES): string | undefined {
  return readBytesSync(root, hostPath, maxBytes)?.toString('utf8');
}

/** Entry names of a directory, sorted; [] when missing or unreadable. */
export function listDirSync(root: HostRoot, hostDir: string): string[] {
  try {
    return root.listDirSync(hostDir);
  } catch {
    return [];
  }
}

/** stat (following links inside the root), or undefined. */
export function statSync(root: HostRoot, hostPath: string): fs.Stats | undefined {
  try {
    return root.statSync(hostPath);
  } catch {
    return undefined;
  }
}

/** lstat (the parents followed inside the root, not the last component), or undefined. */
export function lstatSync(root: HostRoot, hostPath: string): fs.Stats | undefined {
  try {
    return root.lstatSync(hostPath);
  } catch {
    return undefined;
  }
}

/** readlink of a path inside the root, or undefined. */
export function readlinkSync(root: HostRoot, hostPath: string): string | undefined {
  try {
    return root.readlinkSync(hostPath);
  } catch {
    return undefined;
  }
}

/** The root's /etc/passwd entries ([] when missing). */
export function localUsers(root: HostRoot): PasswdEntry[] {
  try {
    return readAccountFileSync(root, 'passwd')?.entries ?? [];
  } catch {
    return [];
  }
}

/** The root's /etc/group entries ([] when missing). */
export function localGroups(root: HostRoot): GroupEntry[] {
  try {
    return readAccountFileSync(root, 'group')?.entries ?? [];
  } catch {
    return [];
  }
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
