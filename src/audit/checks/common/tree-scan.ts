/**
 * One walk shared by every file_tree check of an audit that scans the same trees the same
 * way (paths, exclude, one_filesystem, max_files, time budget): the walk records offenders for
 * all six findings at once, so a profile asking for world-writable, unowned, ungrouped, SUID
 * and SGID files over `/` reads the filesystem once, not five times. Memoised through
 * `ctx.memo`; the first check to ask drives the walk (its signal and progress are used).
 */
import { countNoun } from '../../../core/count-noun.js';
import { parseMountTable } from '../../../host/mounts.js';
import { readAccountFile } from '../../../host/account-files.js';
import { fileTypeOf } from '../../../host/file-type.js';
import type { CheckContext } from '../../check.js';
import picomatch from 'picomatch';
import { TREE_FINDINGS, findingsOf, type IdSets, type TreeFinding, type TreeOffender } from './tree-findings.js';
import { walkTrees, type WalkResult } from './tree-walk.js';

/** Offenders kept per finding (the total is always counted); beyond it, allow-list counts are not exact. */
export const MAX_KEPT_OFFENDERS = 100_000;

/** Filesystems with nothing on disk to audit (kernel views) or on other hosts. */
export const PSEUDO_FILESYSTEMS = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2', 'securityfs', 'debugfs', 'tracefs', 'pstore', 'bpf', 'mqueue',
  'hugetlbfs', 'configfs', 'fusectl', 'binfmt_misc', 'autofs', 'efivarfs', 'rpc_pipefs', 'nsfs', 'selinuxfs', 'ramfs',
]);
export const NETWORK_FILESYSTEMS = new Set(['nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'ncpfs', 'afs', 'ceph', 'glusterfs', 'fuse.sshfs', 'fuse.glusterfs', '9p', 'lustre', 'gfs2', 'ocfs2']);
/** Never scanned on the live root: kernel and runtime state, not files a package or admin left. */
export const LIVE_SKIP_DIRS = ['/proc', '/sys', '/dev', '/run'];

export interface TreeScan {
  walk: WalkResult;
  offenders: Record<TreeFinding, TreeOffender[]>;
  totals: Record<TreeFinding, number>;
}

/** A matcher for globs of host paths (picomatch, dot files included). An excluded directory is skipped with its whole subtree. */
export function pathMatcher(patterns: readonly string[]): (hostPath: string) => boolean {
  if (patterns.length === 0) return () => false;
  return picomatch(patterns as string[], { dot: true });
}

async function skipDirsFor(ctx: CheckContext): Promise<Set<string>> {
  if (!ctx.root.isLive) return new Set();
  const dirs = new Set(LIVE_SKIP_DIRS);
  const text = await ctx.root.readTextIfExists('/proc/self/mounts');
  for (const m of text ? parseMountTable(text) : []) {
    if (PSEUDO_FILESYSTEMS.has(m.fstype) || NETWORK_FILESYSTEMS.has(m.fstype)) dirs.add(m.target);
  }
  return dirs;
}

/** uids and gids of the root (memoised with the accounts check's parse). */
export async function rootIdSets(ctx: CheckContext): Promise<IdSets> {
  const passwd = await ctx.memo('accounts:/etc/passwd', () => readAccountFile(ctx.root, 'passwd'));
  const group = await ctx.memo('accounts:/etc/group', () => readAccountFile(ctx.root, 'group'));
  return {
    ...(passwd ? { uids: new Set(passwd.entries.map((u) => u.uid)) } : {}),
    ...(group ? { gids: new Set(group.entries.map((g) => g.gid)) } : {}),
  };
}

/** What decides a walk (checks asking with the same options share one walk). */
export interface TreeScanOptions {
  paths: string[];
  exclude: string[];
  one_filesystem: boolean;
  max_files: number;
  time_budget_seconds: number;
}

/** file_tree's defaults, for other check types that scan the same way. */
export const DEFAULT_SCAN_LIMITS = { max_files: 5_000_000, time_budget_seconds: 600 } as const;

export function sharedTreeScan(ctx: CheckContext, spec: TreeScanOptions): Promise<TreeScan> {
  const key = JSON.stringify([spec.paths, spec.exclude, spec.one_filesystem, spec.max_files, spec.time_budget_seconds]);
  return ctx.memo(`file_tree:scan:${key}`, async () => {
    const ids = await rootIdSets(ctx);
    const skipDirs = await skipDirsFor(ctx);
    const offenders = Object.fromEntries(TREE_FINDINGS.map((f) => [f, [] as TreeOffender[]])) as Record<TreeFinding, TreeOffender[]>;
    const totals = Object.fromEntries(TREE_FINDINGS.map((f) => [f, 0])) as Record<TreeFinding, number>;
    const walk = await walkTrees({
      root: ctx.root,
      starts: spec.paths,
      isExcluded: pathMatcher(spec.exclude),
      oneFilesystem: spec.one_filesystem,
      skipDirs,
      maxEntries: spec.max_files,
      deadline: Date.now() + spec.time_budget_seconds * 1000,
      signal: ctx.signal,
      onEntry(path, st) {
        const found = findingsOf(st, ids);
        if (found.length === 0) return;
        const o: TreeOffender = { path, type: fileTypeOf(st), mode: st.mode, uid: st.uid, gid: st.gid };
        for (const f of found) {
          totals[f]++;
          if (offenders[f].length < MAX_KEPT_OFFENDERS) offenders[f].push(o);
        }
      },
      onProgress: (entries, dirs, lastDir) => ctx.progress(`file_tree: ${countNoun(entries, 'entry', 'entries')}, ${countNoun(dirs, 'directory', 'directories')}, at ${lastDir}`),
    });
    for (const f of TREE_FINDINGS) offenders[f].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { walk, offenders, totals };
  });
}
