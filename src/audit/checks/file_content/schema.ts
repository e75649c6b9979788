/** Options of the `file_content` check type: a regex that must / must not match in files. */
import { z } from 'zod';
import { regexProblem } from '../common/comparison.js';

export const fileContentSchema = z.object({
  path: z.string().regex(/^\//, 'path must be an absolute host path').describe(
    'Host path of the file, or a glob such as /etc/modprobe.d/*.conf (every match is read).'),
  pattern: z.string().min(1).describe('Regular expression (RE2 syntax: no lookarounds or backreferences) tried against each line; unanchored, so use ^ and $ to anchor.')
    .superRefine((source, ctx) => {
      const problem = regexProblem(source);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  expect: z.enum(['present', 'absent']).default('present').describe('present: the pattern must match a line; absent: no line of any file may match.'),
  scope: z.enum(['any', 'every']).default('any').describe(
    'With expect present: a match in any one of the files is enough (any), or each file must have one (every). With absent every file is always checked.'),
  ignore_comments: z.boolean().default(false).describe('Skip lines whose first non-blank character starts a comment (see comment_prefix) before matching.'),
  comment_prefix: z.string().min(1).default('#').describe('What starts a comment line when ignore_comments is set.'),
  ignore_case: z.boolean().default(false).describe('Match case-insensitively.'),
  missing: z.enum(['fail', 'pass', 'not_applicable']).optional().describe(
    'Status when no file exists at the path (or the glob matches nothing). Default: fail with expect present, pass with expect absent.'),
}).strict().describe('A regular expression that must or must not match lines of a file or of every file matching a glob.');

export type FileContentSpec = z.infer<typeof fileContentSchema>;
