/** Options of the `auditd_rules` check type. */
import { z } from 'zod';
import { parseAuditRule } from './audit-rule.js';

export const auditdRulesSchema = z.object({
  rules: z.array(z.string().min(1).superRefine((line, ctx) => {
    try {
      if (!parseAuditRule(line)) ctx.addIssue({ code: 'custom', message: 'an audit rule, not a blank or comment line' });
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `not an audit rule: ${(err as Error).message}` });
    }
  })).min(1).describe('Rules that must be in effect, written as auditctl takes them ("-w /etc/sudoers -p wa", "-a always,exit -F arch=b64 -S adjtimex,settimeofday", "-e 2"). Field order, -S grouping, always,exit vs exit,always, auid unset/-1 and keys do not matter; a loaded rule that records more (more syscalls, more permissions, fewer filters) counts.'),
  files: z.array(z.string().min(1)).default(['/etc/audit/rules.d/*.rules'])
    .describe('Rule files (globs), read in this order and each glob in file-name order, as augenrules concatenates them. Use ["/etc/audit/audit.rules"] for the compiled file.'),
  match_key: z.boolean().default(false).describe('Also require the key (-k) given in a wanted rule.'),
  missing: z.enum(['fail', 'not_applicable']).default('fail').describe('Status when no rule file exists.'),
}).strict();

export type AuditdRulesSpec = z.infer<typeof auditdRulesSchema>;
