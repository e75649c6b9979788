/** Options of the `sysctl` check type: a kernel parameter, at runtime and as persisted. */
import { z } from 'zod';
import { comparisonFields, comparisonProblems } from '../common/comparison.js';

export const sysctlSchema = z.object({
  key: z.string().regex(/^[A-Za-z0-9_.\/:@+-]+$/, 'key must be a sysctl name such as net.ipv4.ip_forward').describe(
    'Kernel parameter, with dots (net.ipv4.ip_forward) or slashes (net/ipv4/ip_forward), as sysctl.d(5) accepts.'),
  ...comparisonFields,
  scope: z.enum(['runtime', 'persisted', 'both']).default('both').describe(
    'runtime: the value in <root>/proc/sys now (only on the live root; not_applicable otherwise); persisted: the value the sysctl.d files set at boot; ' +
    'both (default): each part that can be evaluated must hold, and offline the persisted part decides.'),
}).strict().superRefine((spec, ctx) => {
  for (const p of comparisonProblems(spec)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
}).describe('A kernel parameter: runtime value from /proc/sys and persisted value from sysctl.d files in systemd-sysctl precedence.');

export type SysctlSpec = z.infer<typeof sysctlSchema>;
