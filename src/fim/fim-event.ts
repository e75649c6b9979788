/**
 * The one shape of every FIM event (the `data` of an EventDraft of kind 'fim'):
 *
 *   { action: 'created' | 'modified' | 'attributes' | 'deleted' | 'moved' | 'unreadable'
 *             | 'overflow' | 'watch_limit' | 'scan_completed',
 *     path, old_path?, category, detection: 'realtime' | 'scan' | 'overflow-rescan',
 *     type, size, mode, uid, gid, owner, group, inode, mtime, hashes, target?,
 *     changes: { attribute: { old, new } }, diff?, error? }
 *
 * `changes` holds every attribute that differs from the baseline (size, mode, uid, gid,
 * inode, mtime, ctime, hashes, target, type); `owner` / `group` are names resolved through
 * the root's account files. A deleted entry carries its last recorded state.
 */
import type { EventDraft } from '../core/event.js';
import { formatMode, type ChangedAttributes, type FileEntry } from './file-entry.js';
import type { OwnerNames } from './owner-names.js';

export type FimAction = 'created' | 'modified' | 'attributes' | 'deleted' | 'moved' | 'unreadable' | 'overflow' | 'watch_limit' | 'scan_completed';
export type Detection = 'realtime' | 'scan' | 'overflow-rescan';

export interface FimEventData {
  action: FimAction;
  path: string;
  old_path?: string;
  category: string;
  detection: Detection;
  type?: string;
  size?: number;
  mode?: string;
  uid?: number;
  gid?: number;
  owner?: string | null;
  group?: string | null;
  inode?: number;
  mtime?: string;
  hashes?: Record<string, string>;
  target?: string;
  changes?: ChangedAttributes;
  diff?: string;
  error?: string;
  [key: string]: unknown;
}

export function entryEvent(
  action: FimAction, entry: FileEntry, opts: { category: string; detection: Detection; names: OwnerNames; changes?: ChangedAttributes; oldPath?: string; diff?: string; time?: Date },
): EventDraft & { data: FimEventData } {
  const data: FimEventData = {
    action, path: entry.path, category: opts.category, detection: opts.detection,
    type: entry.type, size: entry.size, mode: formatMode(entry.mode), uid: entry.uid, gid: entry.gid,
    owner: opts.names.user(entry.uid), group: opts.names.group(entry.gid), inode: entry.inode,
    mtime: new Date(entry.mtime).toISOString(), hashes: entry.hashes,
  };
  if (opts.oldPath !== undefined) data.old_path = opts.oldPath;
  if (entry.target !== undefined) data.target = entry.target;
  if (opts.changes && Object.keys(opts.changes).length) {
    data.changes = opts.changes;
    const ch = opts.changes;
    if (ch.uid) ch.owner = { old: opts.names.user(ch.uid.old as number), new: opts.names.user(ch.uid.new as number) };
    if (ch.gid) ch.group = { old: opts.names.group(ch.gid.old as number), new: opts.names.group(ch.gid.new as number) };
  }
  if (opts.diff !== undefined) data.diff = opts.diff;
  if (entry.hashError !== undefined) data.error = entry.hashError;
  return { kind: 'fim', source: opts.category, time: opts.time ?? new Date(), data };
}

export function noticeEvent(action: FimAction, path: string, category: string, detection: Detection, extra: Record<string, unknown>): EventDraft & { data: FimEventData } {
  return { kind: 'fim', source: category, time: new Date(), data: { action, path, category, detection, ...extra } };
}
