/** Options of the `file_tree` check type: a bounded scan of directory trees for risky files. */
import { z } from 'zod';

import { TREE_FINDINGS } from '../common/tree-findings.js';
import { DEFAULT_SCAN_LIMITS } from '../common/tree-scan.js';

export { TREE_FINDINGS, type TreeFinding } from '../common/tree-findings.js';

const hostGlob = z.string().regex(/^\//, 'must be an absolute host path or glob');

export const fileTreeSchema = z.object({
  find: z.enum(TREE_FINDINGS).describe(
    'What counts as an offender: world_writable (a regular file with o+w), unowned (uid not in <root>/etc/passwd), ' +
    'ungrouped (gid not in <root>/etc/group), suid / sgid (regular files with the set-user-ID / set-group-ID bit), ' +
    'world_writable_dirs_without_sticky (directories with o+w and no sticky bit).'),
  paths: z.array(hostGlob).min(1).default(['/']).describe('Where the scan starts (host paths).'),
  exclude: z.array(hostGlob).default([]).describe(
    'Globs of host paths not scanned (`/var/lib/docker`, `/home/*/.cache`): a matching directory is skipped with everything below it.'),
  one_filesystem: z.boolean().default(true).describe(
    'Stay on the filesystem of each start path (like find -xdev). On the live root, /proc, /sys, /dev, /run and pseudo or network filesystems are skipped either way.'),
  allow: z.array(hostGlob).default([]).describe('Globs of expected offenders (e.g. known SUID programs): they are counted in the evidence but do not fail the check.'),
  max_files: z.number().int().positive().default(DEFAULT_SCAN_LIMITS.max_files).describe('Stop after examining this many entries. A scan stopped early never passes: it fails if it found offenders, else it is an error.'),
  time_budget_seconds: z.number().positive().default(DEFAULT_SCAN_LIMITS.time_budget_seconds).describe('Stop after this many seconds (same rule as max_files: an incomplete scan never passes).'),
  limit: z.number().int().positive().default(50).describe('How many offending paths the evidence lists; the total count is always given.'),
}).strict().describe('A bounded scan of directory trees (lstat, no links followed) for world-writable, unowned, ungrouped, SUID or SGID files.');

export type FileTreeSpec = z.infer<typeof fileTreeSchema>;
