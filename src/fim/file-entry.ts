/**
 * What the baseline knows about one path, and how two records of the same path differ.
 * An entry is built from lstat (never following a link), plus the hashes of a regular file
 * and the target of a symlink.
 */
import type { FIM_FILE_TYPE_NAMES, FileType } from '../host/file-type.js';

/** FIM's spelling of a file type (src/host/file-type.ts), as events and baselines store it */
export type EntryType = (typeof FIM_FILE_TYPE_NAMES)[FileType];

export interface FileEntry {
  /** host path */
  path: string;
  type: EntryType;
  size: number;
  /** permission and special bits (07777) */
  mode: number;
  uid: number;
  gid: number;
  inode: number;
  /** modification and status-change times, milliseconds since the epoch (with fractions) */
  mtime: number;
  ctime: number;
  /** algorithm -> hex digest; empty when not hashed (not a file, too large, unreadable) */
  hashes: Record<string, string>;
  /** symlink target as stored in the link (never followed) */
  target?: string;
  /** why the content could not be hashed (unreadable, too large) */
  hashError?: string;
  /** text content kept for diffs (small text files, when diffs are on) */
  content?: string;
}

/** One changed attribute with its old and new value. */
export interface AttributeChange { old: unknown; new: unknown }

export type ChangedAttributes = Record<string, AttributeChange>;

/** Attributes whose change means the content changed ("modified") rather than metadata only. */
export const CONTENT_ATTRIBUTES = new Set(['type', 'size', 'hashes', 'target']);

export function formatMode(mode: number): string {
  return '0' + (mode & 0o7777).toString(8).padStart(3, '0');
}

/**
 * Every attribute that differs between the baseline record and the current one. Hashes are
 * compared per algorithm present in both (a file not hashed before is not "changed" by a hash
 * appearing, unless its content attributes changed too).
 */
export function compareEntries(old: FileEntry, cur: FileEntry): ChangedAttributes {
  const changes: ChangedAttributes = {};
  if (old.type !== cur.type) changes.type = { old: old.type, new: cur.type };
  if (old.size !== cur.size && cur.type !== 'directory') changes.size = { old: old.size, new: cur.size };
  if (old.mode !== cur.mode) changes.mode = { old: formatMode(old.mode), new: formatMode(cur.mode) };
  if (old.uid !== cur.uid) changes.uid = { old: old.uid, new: cur.uid };
  if (old.gid !== cur.gid) changes.gid = { old: old.gid, new: cur.gid };
  if (old.inode !== cur.inode) changes.inode = { old: old.inode, new: cur.inode };
  if (old.mtime !== cur.mtime && cur.type !== 'directory') changes.mtime = { old: new Date(old.mtime).toISOString(), new: new Date(cur.mtime).toISOString() };
  if ((old.target ?? null) !== (cur.target ?? null)) changes.target = { old: old.target ?? null, new: cur.target ?? null };
  const hashChanged: Record<string, AttributeChange> = {};
  for (const [alg, digest] of Object.entries(cur.hashes)) {
    const before = old.hashes[alg];
    if (before !== undefined && before !== digest) hashChanged[alg] = { old: before, new: digest };
  }
  if (Object.keys(hashChanged).length) changes.hashes = { old: Object.fromEntries(Object.entries(hashChanged).map(([k, v]) => [k, v.old])), new: Object.fromEntries(Object.entries(hashChanged).map(([k, v]) => [k, v.new])) };
  // ctime alone changes on every link count or rename; it is reported only with another change
  if (Object.keys(changes).length && old.ctime !== cur.ctime) changes.ctime = { old: new Date(old.ctime).toISOString(), new: new Date(cur.ctime).toISOString() };
  return changes;
}

/** "modified" when content changed, "attributes" when only metadata did, undefined when nothing did. */
export function changeKind(changes: ChangedAttributes): 'modified' | 'attributes' | undefined {
  const keys = Object.keys(changes);
  if (keys.length === 0) return undefined;
  return keys.some((k) => CONTENT_ATTRIBUTES.has(k)) ? 'modified' : 'attributes';
}
