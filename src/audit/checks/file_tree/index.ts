/**
 * `file_tree` check type: a bounded scan (tree-walk.ts) of directory trees for world-writable,
 * unowned, ungrouped, SUID or SGID entries, with exclusions, an allow-list, one filesystem at
 * a time, entry and time limits. An incomplete scan never passes: it fails when it already
 * found offenders and is an error otherwise.
 */
import type { Stats } from 'node:fs';
import picomatch from 'picomatch';
import { SpyglassError, toSpyglassError } from '../../../core/errors.js';
import { parseMountTable } from '../../../core/mounts.js';
import { readAccountFile } from '../../../core/passwd.js';
import { outcome, type CheckContext, type CheckOutcome, type CheckType, type Evidence } from '../../check.js';
import { fileTreeSchema, type FileTreeSpec } from './schema.js';
import { describeEntry, FINDING_LABELS, isOffender, type IdSets } from './findings.js';
import { walkTrees, type WalkResult } from './tree-walk.js';

/** Filesystems with nothing on disk to audit (kernel views) or on other hosts. */
export const PSEUDO_FILESYSTEMS = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'cgroup', 'cgroup2', 'securityfs', 'debugfs', 'tracefs', 'pstore', 'bpf', 'mqueue',
  'hugetlbfs', 'configfs', 'fusectl', 'binfmt_misc', 'autofs', 'efivarfs', 'rpc_pipefs', 'nsfs', 'selinuxfs', 'ramfs',
]);
export const NETWORK_FILESYSTEMS = new Set(['nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'ncpfs', 'afs', 'ceph', 'glusterfs', 'fuse.sshfs', 'fuse.glusterfs', '9p', 'lustre', 'gfs2', 'ocfs2']);
/** Never scanned on the live root: kernel and runtime state, not files a package or admin left. */
export const LIVE_SKIP_DIRS = ['/proc', '/sys', '/dev', '/run'];

/** A matcher for globs of host paths (picomatch, dot files included). An excluded directory is skipped with its whole subtree. */
export function pathMatcher(patterns: readonly string[]): (hostPath: string) => boolean {
  if (patterns.length === 0) return () => false;
  return picomatch(patterns as string[], { dot: true });
}

async function skipDirsFor(ctx: CheckContext): Promise<{ dirs: Set<string>; evidence: Evidence[] }> {
  if (!ctx.root.isLive) return { dirs: new Set(), evidence: [] };
  const dirs = new Set(LIVE_SKIP_DIRS);
  const text = await ctx.root.readTextIfExists('/proc/self/mounts');
  for (const m of text ? parseMountTable(text) : []) {
    if (PSEUDO_FILESYSTEMS.has(m.fstype) || NETWORK_FILESYSTEMS.has(m.fstype)) dirs.add(m.target);
  }
  return { dirs, evidence: [] };
}

async function idSets(spec: FileTreeSpec, ctx: CheckContext): Promise<IdSets> {
  const ids: IdSets = {};
  if (spec.find === 'unowned') {
    const passwd = await ctx.memo('accounts:/etc/passwd', () => readAccountFile(ctx.root, 'passwd'));
    if (!passwd) throw new SpyglassError('not_found', '/etc/passwd does not exist in the audited root: owners cannot be told apart', { path: '/etc/passwd' });
    ids.uids = new Set(passwd.entries.map((u) => u.uid));
  }
  if (spec.find === 'ungrouped') {
    const group = await ctx.memo('accounts:/etc/group', () => readAccountFile(ctx.root, 'group'));
    if (!group) throw new SpyglassError('not_found', '/etc/group does not exist in the audited root: groups cannot be told apart', { path: '/etc/group' });
    ids.gids = new Set(group.entries.map((g) => g.gid));
  }
  return ids;
}

function scanNote(walk: WalkResult): string {
  return `${walk.entries} entries in ${walk.dirs} directories, ${(walk.elapsedMs / 1000).toFixed(1)} s`;
}

async function evaluateFileTree(spec: FileTreeSpec, ctx: CheckContext): Promise<CheckOutcome> {
  let ids: IdSets;
  let skip: Set<string>;
  try {
    ids = await idSets(spec, ctx);
    skip = (await skipDirsFor(ctx)).dirs;
  } catch (err) {
    return outcome.error(toSpyglassError(err, 'io_error'));
  }
  const excluded = pathMatcher(spec.exclude);
  const allowed = pathMatcher(spec.allow);
  const offenders: { path: string; st: Stats }[] = [];
  let offenderCount = 0;
  let allowedCount = 0;
  const keep = Math.max(spec.limit * 20, 1000); // paths kept for sorting; the count covers every one

  const walk = await walkTrees({
    root: ctx.root,
    starts: spec.paths,
    isExcluded: excluded,
    oneFilesystem: spec.one_filesystem,
    skipDirs: skip,
    maxEntries: spec.max_files,
    deadline: Date.now() + spec.time_budget_seconds * 1000,
    signal: ctx.signal,
    onEntry(path, st) {
      if (!isOffender(spec.find, st, ids)) return;
      if (allowed(path)) { allowedCount++; return; }
      offenderCount++;
      if (offenders.length < keep) offenders.push({ path, st });
    },
    onProgress: (entries, dirs, lastDir) => ctx.progress(`file_tree ${spec.find}: ${entries} entries, ${dirs} directories, at ${lastDir}`),
  });

  const label = FINDING_LABELS[spec.find];
  const where = spec.paths.join(', ');
  const context: Evidence[] = [{ source: where, found: scanNote(walk), ...(allowedCount ? { note: `${allowedCount} allowed by the allow list` } : {}) }];
  for (const s of walk.skippedStarts) context.push({ source: s.path, note: `not scanned: ${s.why}` });
  if (walk.unreadable.length) context.push({ source: walk.unreadable[0]!.path, note: `${walk.unreadable.length} entries could not be read (${walk.unreadable.slice(0, 5).map((u) => `${u.path}: ${u.code}`).join(', ')})` });
  if (walk.notEntered.length) context.push({ note: `not entered (other filesystem, pseudo or network mount): ${walk.notEntered.slice(0, 10).join(', ')}${walk.notEntered.length > 10 ? ` and ${walk.notEntered.length - 10} more` : ''}` });

  const incomplete = walk.stopped !== undefined || walk.unreadable.length > 0;
  const why = walk.stopped === 'max_files' ? `stopped at max_files (${spec.max_files})`
    : walk.stopped === 'time_budget' ? `stopped at the time budget (${spec.time_budget_seconds} s)`
      : walk.stopped === 'aborted' ? 'aborted' : `${walk.unreadable.length} entries could not be read`;

  if (offenderCount > 0) {
    offenders.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const shown = offenders.slice(0, spec.limit).map((o): Evidence => ({ source: o.path, found: describeEntry(o.st), expected: `not one of the ${label}` }));
    const more = offenderCount - shown.length;
    const summary = `${offenderCount} ${label} under ${where}${more > 0 ? ` (first ${shown.length} listed)` : ''}: ${offenders[0]!.path}${incomplete ? `; scan incomplete: ${why}` : ''}`;
    return outcome.fail(summary, [...shown, ...context]);
  }
  if (walk.skippedStarts.length === spec.paths.length && walk.entries === 0) {
    return outcome.notApplicable(`nothing to scan: ${walk.skippedStarts.map((s) => `${s.path} ${s.why}`).join('; ')}`, context);
  }
  if (incomplete) {
    return outcome.error(new SpyglassError('scan_incomplete', `scan of ${where} incomplete (${why}) after ${scanNote(walk)}; no ${label} found so far, which is not a pass`, { path: where }), context);
  }
  return outcome.pass(`no ${label} under ${where} (${scanNote(walk)})`, context);
}

export const fileTreeCheck: CheckType<typeof fileTreeSchema> = {
  type: 'file_tree',
  description: 'A bounded scan of directory trees for world-writable, unowned, ungrouped, SUID or SGID files, with exclusions, an allow-list, one filesystem at a time and a time budget.',
  schema: fileTreeSchema,
  evaluate: evaluateFileTree,
};
