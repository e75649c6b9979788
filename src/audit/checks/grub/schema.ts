/** Options of the `grub` check type. */
import { z } from 'zod';
import { parseArgRule } from './grub-config.js';

const argRule = z.string().min(1).superRefine((s, ctx) => {
  try { parseArgRule(s); } catch (err) { ctx.addIssue({ code: 'custom', message: (err as Error).message }); }
});

export const grubSchema = z.object({
  path: z.string().default('/boot/grub/grub.cfg').describe('The generated GRUB configuration.'),
  kernel_args: z.array(argRule).default([]).describe('Arguments every kernel entry must have: "audit=1" (that value, last one wins), "nosmt" (present), "audit_backlog_limit>=8192" (a number at least that). With /etc/default/grub present, GRUB_CMDLINE_LINUX must carry them too, so update-grub keeps them.'),
  forbidden_args: z.array(argRule).default([]).describe('Arguments no kernel entry may have (e.g. "apparmor=0", "audit=0").'),
  password: z.boolean().optional().describe('true: grub.cfg sets superusers and a PBKDF2 password for one of them, so entries cannot be edited at the console without it.'),
  defaults_file: z.string().default('/etc/default/grub').describe('Where update-grub takes the command line from; checked for kernel_args when it exists.'),
  missing: z.enum(['not_applicable', 'fail']).default('not_applicable').describe('Status when there is no grub.cfg (containers, other boot loaders).'),
}).strict();

export type GrubSpec = z.infer<typeof grubSchema>;
