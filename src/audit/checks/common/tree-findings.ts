/** What makes an entry an offender for each `find:` of the file_tree check, and how it is shown. */
import type { Stats } from 'node:fs';

export const TREE_FINDINGS = ['world_writable', 'unowned', 'ungrouped', 'suid', 'sgid', 'world_writable_dirs_without_sticky'] as const;
export type TreeFinding = (typeof TREE_FINDINGS)[number];

/** uids / gids known to the root; undefined when its passwd / group file does not exist. */
export interface IdSets { uids?: ReadonlySet<number>; gids?: ReadonlySet<number> }

/** What the scan keeps of an offending entry. */
export interface TreeOffender { path: string; type: string; mode: number; uid: number; gid: number }

export function isOffender(find: TreeFinding, st: Stats, ids: IdSets): boolean {
  switch (find) {
    case 'world_writable': return st.isFile() && (st.mode & 0o002) !== 0;
    case 'world_writable_dirs_without_sticky': return st.isDirectory() && (st.mode & 0o002) !== 0 && (st.mode & 0o1000) === 0;
    case 'suid': return st.isFile() && (st.mode & 0o4000) !== 0;
    case 'sgid': return st.isFile() && (st.mode & 0o2000) !== 0;
    case 'unowned': return ids.uids !== undefined && !ids.uids.has(st.uid);
    case 'ungrouped': return ids.gids !== undefined && !ids.gids.has(st.gid);
  }
}

/** Every finding an entry is an offender for (usually none). */
export function findingsOf(st: Stats, ids: IdSets): TreeFinding[] {
  const out: TreeFinding[] = [];
  for (const f of TREE_FINDINGS) if (isOffender(f, st, ids)) out.push(f);
  return out;
}

/** "file mode=4755 uid=0 gid=0" */
export function describeOffender(o: TreeOffender): string {
  return `${o.type} mode=${(o.mode & 0o7777).toString(8).padStart(4, '0')} uid=${o.uid} gid=${o.gid}`;
}

export const FINDING_LABELS: Record<TreeFinding, string> = {
  world_writable: 'world-writable files',
  world_writable_dirs_without_sticky: 'world-writable directories without the sticky bit',
  suid: 'SUID files',
  sgid: 'SGID files',
  unowned: 'files without a known owner',
  ungrouped: 'files without a known group',
};
