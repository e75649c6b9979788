/** Options of the `auditd_rules` check type. */
import { z } from 'zod';
import { parseAuditRule } from './audit-rule.js';

const privilegedProgramsSchema = z.object({
  rule: z.string().min(1).refine((r) => r.includes('{path}'), 'the rule must contain {path}, where each program\'s path goes').superRefine((line, ctx) => {
    try {
      if (!parseAuditRule(line.replaceAll('{path}', '/x'))) ctx.addIssue({ code: 'custom', message: 'an audit rule, not a blank or comment line' });
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `not an audit rule: ${(err as Error).message}` });
    }
  }).describe('The rule each program needs, with {path} for its path: "-a always,exit -F path={path} -F perm=x -F auid>=1000 -F auid!=unset".'),
  paths: z.array(z.string().regex(/^\//)).min(1).default(['/']).describe('Where to look for SUID and SGID programs (the same bounded walk as file_tree; one walk serves both when the options match).'),
  exclude: z.array(z.string().regex(/^\//)).default(['/proc', '/sys', '/dev', '/run']).describe('Globs of host paths not scanned.'),
}).strict();

export const auditdRulesSchema = z.object({
  rules: z.array(z.string().min(1).superRefine((line, ctx) => {
    try {
      if (!parseAuditRule(line)) ctx.addIssue({ code: 'custom', message: 'an audit rule, not a blank or comment line' });
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `not an audit rule: ${(err as Error).message}` });
    }
  })).default([]).describe('Rules that must be in effect, written as auditctl takes them ("-w /etc/sudoers -p wa", "-a always,exit -F arch=b64 -S adjtimex,settimeofday", "-e 2"). Field order, -S grouping, always,exit vs exit,always, auid unset/-1 and keys do not matter; a loaded rule that records more (more syscalls, more permissions, fewer filters) counts.'),
  privileged_programs: privilegedProgramsSchema.optional().describe(
    'Also require `rule` for every SUID or SGID regular file the root has (found by a filesystem walk, offline too), as the benchmark asks for privileged commands. ' +
    'A walk that could not finish never passes.'),
  files: z.array(z.string().min(1)).default(['/etc/audit/rules.d/*.rules'])
    .describe('Rule files (globs), read in this order and each glob in file-name order, as augenrules concatenates them. Use ["/etc/audit/audit.rules"] for the compiled file.'),
  match_key: z.boolean().default(false).describe('Also require the key (-k) given in a wanted rule.'),
  missing: z.enum(['fail', 'not_applicable']).default('fail').describe('Status when no rule file exists.'),
}).strict().refine((s) => s.rules.length > 0 || s.privileged_programs !== undefined, { message: 'give rules, privileged_programs, or both', path: ['rules'] });

export type AuditdRulesSpec = z.infer<typeof auditdRulesSchema>;
