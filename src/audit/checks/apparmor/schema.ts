/** Options of the `apparmor` check type. */
import { z } from 'zod';

export const apparmorSchema = z.object({
  modes: z.array(z.enum(['enforce', 'complain', 'kill', 'unconfined', 'prompt'])).min(1).default(['enforce', 'complain'])
    .describe('Modes a profile may be in: [enforce, complain] (every profile confines or at least reports), or [enforce] (every profile confines).'),
  min_profiles: z.number().int().min(0).default(1).describe('How many profiles must be loaded (live) or defined (offline) at least.'),
  source: z.enum(['auto', 'kernel', 'policy']).default('auto')
    .describe('auto: the kernel\'s loaded list on the live host (when readable), the policy in /etc/apparmor.d otherwise; kernel / policy: only that one.'),
}).strict();

export type ApparmorSpec = z.infer<typeof apparmorSchema>;
