/** What makes an entry an offender for each `find:` of the file_tree check, and how it is shown. */
import type { Stats } from 'node:fs';
import type { TreeFinding } from './schema.js';

export interface IdSets { uids?: ReadonlySet<number>; gids?: ReadonlySet<number> }

export function isOffender(find: TreeFinding, st: Stats, ids: IdSets): boolean {
  switch (find) {
    case 'world_writable': return st.isFile() && (st.mode & 0o002) !== 0;
    case 'world_writable_dirs_without_sticky': return st.isDirectory() && (st.mode & 0o002) !== 0 && (st.mode & 0o1000) === 0;
    case 'suid': return st.isFile() && (st.mode & 0o4000) !== 0;
    case 'sgid': return st.isFile() && (st.mode & 0o2000) !== 0;
    case 'unowned': return !ids.uids!.has(st.uid);
    case 'ungrouped': return !ids.gids!.has(st.gid);
  }
}

function typeOf(st: Stats): string {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  return 'special';
}

/** "file mode=4755 uid=0 gid=0" */
export function describeEntry(st: Stats): string {
  return `${typeOf(st)} mode=${(st.mode & 0o7777).toString(8).padStart(4, '0')} uid=${st.uid} gid=${st.gid}`;
}

export const FINDING_LABELS: Record<TreeFinding, string> = {
  world_writable: 'world-writable files',
  world_writable_dirs_without_sticky: 'world-writable directories without the sticky bit',
  suid: 'SUID files',
  sgid: 'SGID files',
  unowned: 'files without a known owner',
  ungrouped: 'files without a known group',
};
