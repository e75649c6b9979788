/** Options of the `file` check type: what a profile writes under `type: file`. */
import { z } from 'zod';
import { KNOWN_FILE_TYPES } from '../../../host/file-type.js';

const principal = z.union([z.string().min(1), z.number().int().nonnegative()]);

export const fileSchema = z.object({
  path: z.string().regex(/^\//, 'path must be an absolute host path').describe(
    'Host path of the file, or a glob (`*`, `?`, `[…]`, `**`): every match must satisfy the check.'),
  exists: z.boolean().default(true).describe('Whether the path must exist (true) or must not (false). With false, the other attributes are not checked.'),
  file_type: z.enum(KNOWN_FILE_TYPES).optional().describe('Required type. `symlink` examines the link itself; other types follow links (see follow_symlinks).'),
  owner: z.union([principal, z.array(principal).min(1)]).optional().describe(
    'Required owner: a user name or numeric uid, or a list of allowed ones. Names are resolved through <root>/etc/passwd, never this machine\'s.'),
  group: z.union([principal, z.array(principal).min(1)]).optional().describe(
    'Required group: a group name or numeric gid, or a list of allowed ones. Names are resolved through <root>/etc/group.'),
  mode: z.string().regex(/^0?[0-7]{3,4}$/, 'mode must be octal, e.g. "0640" or "640"').optional().describe(
    'Most permissive mode allowed, in octal ("0640"): the file may have no permission bit outside it, setuid, setgid and sticky included.'),
  follow_symlinks: z.boolean().default(true).describe(
    'Examine what a symlink points to (true) or the link itself (false). file_type "symlink" always examines the link.'),
  missing: z.enum(['fail', 'pass', 'not_applicable']).default('fail').describe(
    'Status when exists is true and nothing is at the path (or the glob matches nothing): fail (default), pass, or not_applicable (e.g. "if the file exists, it must be 0600").'),
}).strict().describe('A file\'s existence, type, owner, group and mode.');

export type FileSpec = z.infer<typeof fileSchema>;
