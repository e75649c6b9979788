/** Options of the `manual` check type: why a person, not the agent, must decide. */
import { z } from 'zod';

export const manualSchema = z.object({
  reason: z.string().trim().min(1).describe('Why the recommendation cannot be decided from files (shown as "manual: <reason>"), e.g. "which services may listen is site policy".'),
}).strict();

export type ManualSpec = z.infer<typeof manualSchema>;
