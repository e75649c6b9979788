/**
 * The profile format as code: one zod schema, the single source of truth for validation,
 * the TypeScript types and the JSON Schema editors use (`profiles/profile.schema.json`).
 *
 * A check spec is a discriminated union on `type`, built from the check-type registry, so
 * the format grows as check types are added: `buildProfileSchemas(CHECK_TYPES)`.
 */
import { z } from 'zod';
import type { CheckType } from '../check.js';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONDITIONS = ['all', 'any', 'none', 'one'] as const;
export type Condition = (typeof CONDITIONS)[number];

/** A check as a profile writes it: `type` plus that check type's own options. */
export interface CheckSpec {
  type: string;
  [option: string]: unknown;
}

const nonEmpty = z.string().trim().min(1);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a calendar date');
/** YAML reads an unquoted 2027-01-31 as a date; accept it and keep the ISO day. */
const dateField = z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v), isoDate);
/** Control ids such as 1.1.2 are numbers to YAML when unquoted: keep them as written text. */
const idField = z.preprocess((v) => (typeof v === 'number' ? String(v) : v),
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'an id is letters, digits and . _ : - (e.g. "5.2.10" or "ssh-root-login")'));

export const exceptionSchema = z.object({
  control: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().regex(/^[A-Za-z0-9*?[\]{}!._:,-]+$/, 'a control id or glob')).describe('The control id the exception covers (a glob such as "1.1.2.*" covers several).'),
  profile: z.string().optional().describe('Only in this profile (id); in an exceptions file without it, in every profile.'),
  reason: nonEmpty.describe('Why the failure is accepted: shown beside the `controlled` status in every report.'),
  expires: dateField.optional().describe('Last day (YYYY-MM-DD, UTC) the exception holds; after it the control fails again.'),
  approved_by: z.string().optional().describe('Who accepted the risk (free text, shown in reports).'),
}).strict().describe('Accepts a failing control: it is reported as `controlled` while the exception is live.');

export type ProfileException = z.infer<typeof exceptionSchema>;

export const exceptionsFileSchema = z.object({
  exceptions: z.array(exceptionSchema).describe('The exceptions, applied to every audited profile (or the one each names).'),
}).strict().describe('A separate exceptions file (`spyglass audit --exceptions FILE`).');

export const benchmarkSchema = z.object({
  name: nonEmpty.describe('The benchmark the profile follows, e.g. "CIS Debian Linux 12 Benchmark".'),
  version: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string()).optional().describe('Benchmark version, e.g. "1.1.0".'),
}).strict();

export const targetSchema = z.object({
  os: nonEmpty.describe('os-release ID, e.g. "debian", "ubuntu".'),
  versions: z.array(z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string())).optional()
    .describe('os-release VERSION_ID values: "12" matches 12 and 12.x; globs allowed ("22.*"). Absent: any version.'),
}).strict();

export const includeSchema = z.union([
  z.string().min(1),
  z.object({
    path: z.string().min(1).describe('Control library file, relative to the including file.'),
    controls: z.array(z.string().min(1)).optional().describe('Only the controls whose id matches one of these globs.'),
    numbering: z.string().regex(/^[A-Za-z0-9_.:-]+$/).optional().describe('Renumber the library\'s controls for this benchmark: each control takes as its id the first entry of its `references.<numbering>` list (e.g. cis_debian_12: ["5.1.20"]); controls without that reference are left out. Lets one library serve benchmarks that number the same control differently.'),
  }).strict(),
]).describe('A control library (a YAML file with `controls:`), relative to this file; its controls are added to this one\'s.');

/** Named values (name -> default) that check options refer to with `{ $value: name }`; a tailoring file overrides them. */
export const valuesSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9_]*$/, 'a value name is lower-case letters, digits and _'),
  z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]),
).default({}).describe('Named values, e.g. max_password_days: 365, that check options use as { $value: max_password_days }; `spyglass audit --tailoring FILE` can override them.');

export interface ProfileSchemas {
  checkSpec: z.ZodType<CheckSpec>;
  control: z.ZodType;
  profile: z.ZodType;
  library: z.ZodType;
}

/** The schemas for a set of check types (normally the registry's CHECK_TYPES). */
export function buildProfileSchemas(checkTypes: readonly CheckType[]): ProfileSchemas {
  const variants = checkTypes.map((ct) => {
    const object = ct.schema as unknown as z.ZodObject;
    return object.extend({ type: z.literal(ct.type).describe(ct.description) }).describe(ct.description);
  });
  const checkSpec = (variants.length === 0
    ? z.object({ type: z.never() })
    : variants.length === 1
      ? variants[0]!
      : z.discriminatedUnion('type', variants as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]])) as unknown as z.ZodType<CheckSpec>;

  const control = z.object({
    id: idField.describe('Unique in the profile; CIS numbering where the control follows CIS ("5.2.10").'),
    title: nonEmpty.describe('One line: what must hold.'),
    section: z.string().optional().describe('Section id the control is grouped under in reports (default: the longest `sections` key that prefixes the id, else the id\'s first number).'),
    description: z.string().optional().describe('What the control checks, for a person.'),
    rationale: z.string().optional().describe('Why it matters.'),
    remediation: z.string().optional().describe('How to fix a failure.'),
    references: z.record(z.string(), z.array(z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string()))).optional()
      .describe('Reference ids by framework: cis, nist_800_53, pci_dss, iso_27001, stig, …'),
    level: z.number().int().min(1).max(3).default(1).describe('Benchmark level (1: baseline, 2: defence in depth).'),
    severity: z.enum(SEVERITIES).default('medium').describe('How bad a failure is.'),
    tags: z.array(z.string().min(1)).default([]).describe('Free tags for --tags selection (globs match tags and ids).'),
    preconditions: z.array(checkSpec).optional().describe('Checks that must all pass for the control to apply; otherwise it is not_applicable with the reason.'),
    preconditions_by_numbering: z.record(z.string(), z.array(checkSpec)).optional().describe(
      'Library controls: preconditions that replace `preconditions` when the control is included under this numbering (e.g. cis_ubuntu_22_04: [] where that ' +
      'benchmark applies the control unconditionally). Numberings not listed keep `preconditions`.'),
    condition: z.enum(CONDITIONS).default('all').describe('all: every check passes; any: at least one passes; none: no check passes; one: exactly one check passes.'),
    checks: z.array(checkSpec).min(1).describe('The checks the condition is over.'),
  }).strict().describe('One control: a rule with its checks and the text a person needs.');

  const controls = z.array(control);
  const profile = z.object({
    $schema: z.string().optional().describe('Path or URL of profile.schema.json, for editors.'),
    id: idField.describe('Unique profile id, e.g. "cis-debian-12-starter".'),
    title: nonEmpty,
    version: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), nonEmpty).describe('Version of this profile.'),
    description: z.string().optional(),
    benchmark: benchmarkSchema.optional(),
    targets: z.array(targetSchema).default([]).describe('The OS releases the profile is written for (empty: any).'),
    selected_by_default: z.boolean().default(true).describe('false: a plain `spyglass audit` (and the agent without targeting rules) does not run it even when its targets match; name it with --profile or in targeting.'),
    sections: z.record(z.string(), z.string()).default({}).describe('Section titles by section id, e.g. "5.2": "SSH server".'),
    values: valuesSchema,
    include: z.array(includeSchema).default([]),
    controls: controls.default([]),
    exceptions: z.array(exceptionSchema).default([]),
  }).strict().describe('A Spyglass compliance profile.');

  const library = z.object({
    $schema: z.string().optional(),
    description: z.string().optional(),
    sections: z.record(z.string(), z.string()).default({}),
    values: valuesSchema,
    include: z.array(includeSchema).default([]),
    controls: controls,
  }).strict().describe('A control library included by profiles.');

  return { checkSpec, control, profile, library };
}

export type ControlInput = {
  id: string;
  title: string;
  section?: string;
  description?: string;
  rationale?: string;
  remediation?: string;
  references?: Record<string, string[]>;
  level: number;
  severity: Severity;
  tags: string[];
  preconditions?: CheckSpec[];
  preconditions_by_numbering?: Record<string, CheckSpec[]>;
  condition: Condition;
  checks: CheckSpec[];
};

export type IncludeInput = string | { path: string; controls?: string[]; numbering?: string };

export interface ProfileInput {
  $schema?: string;
  id: string;
  title: string;
  version: string;
  description?: string;
  benchmark?: { name: string; version?: string };
  targets: Array<{ os: string; versions?: string[] }>;
  selected_by_default: boolean;
  sections: Record<string, string>;
  values: Record<string, unknown>;
  include: IncludeInput[];
  controls: ControlInput[];
  exceptions: ProfileException[];
}

export interface LibraryInput {
  sections: Record<string, string>;
  values: Record<string, unknown>;
  include: IncludeInput[];
  controls: ControlInput[];
}

/** The profile JSON Schema (input shape: defaults are optional), for profile.schema.json. */
export function profileJsonSchema(checkTypes: readonly CheckType[]): Record<string, unknown> {
  const { profile } = buildProfileSchemas(checkTypes);
  const schema = z.toJSONSchema(profile, { io: 'input', unrepresentable: 'any', reused: 'ref' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://spyglass.dev/schemas/profile.schema.json',
    title: 'Spyglass compliance profile',
  };
}
