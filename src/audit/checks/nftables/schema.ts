/** Options of the `nftables` check type. */
import { z } from 'zod';
import { isUserRegex } from '../../../core/user-regex.js';

const HOOKS = ['input', 'forward', 'output', 'prerouting', 'postrouting'] as const;

export const nftablesSchema = z.object({
  path: z.string().default('/etc/nftables.conf').describe('The ruleset nftables.service loads at boot; its `include`s are followed.'),
  tables: z.number().int().min(0).default(1).describe('At least this many tables (inet, ip, ip6, …) must be defined.'),
  hooks: z.array(z.enum(HOOKS)).default([]).describe('Each hook must have a filter base chain (type filter hook HOOK priority …) in an inet, ip or ip6 table.'),
  policy: z.enum(['drop', 'accept']).optional().describe('The base chains of the listed hooks must all have this policy (default of a chain without one: accept).'),
  rules: z.array(z.object({
    hook: z.enum(HOOKS).describe('A base chain on this hook must hold the rule.'),
    pattern: z.string().min(1).refine(isUserRegex, 'a valid regular expression (RE2 syntax)')
      .describe('Regular expression (RE2 syntax) a rule of that chain must match, e.g. \'^iif(name)? "?lo"? accept$\'.'),
  }).strict()).default([]).describe('Rules that must be in the base chains of given hooks.'),
  missing: z.enum(['fail', 'not_applicable']).default('fail').describe('Status when the ruleset file does not exist.'),
}).strict();

export type NftablesSpec = z.infer<typeof nftablesSchema>;
