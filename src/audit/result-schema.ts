/**
 * The audit result (`--format json`) as a zod schema, so consumers get a JSON Schema
 * (`docs/audit-result.schema.json`, generated) and tests check real output against it. The
 * compiler checks below keep it and the TypeScript types in result.ts the same shape.
 */
import { z } from 'zod';
import { RESULT_SCHEMA_VERSION, type AuditResult } from './result.js';

const status = z.enum(['pass', 'fail', 'not_applicable', 'error']);
const controlStatus = z.enum(['pass', 'fail', 'controlled', 'not_applicable', 'error']);

const evidence = z.object({
  source: z.string().optional().describe('host path the fact comes from, or a pseudo-source such as "kernel"'),
  line: z.number().int().positive().optional().describe('1-based line in source'),
  found: z.string().optional(),
  expected: z.string().optional(),
  note: z.string().optional(),
}).strict();

const errorInfo = z.object({ code: z.string(), message: z.string(), context: z.record(z.string(), z.unknown()) }).strict();

const checkResult = z.object({
  type: z.string(),
  spec: z.record(z.string(), z.unknown()).describe('the check options as evaluated (defaults applied)'),
  status,
  summary: z.string(),
  evidence: z.array(evidence),
  duration_ms: z.number().nonnegative(),
  error: errorInfo.optional(),
}).strict();

const counts = z.object({
  pass: z.number().int(), fail: z.number().int(), controlled: z.number().int(), not_applicable: z.number().int(), error: z.number().int(),
}).strict();

const summary = z.object({
  total: z.number().int(),
  counts,
  score: z.number().nullable().describe('(pass + controlled) / (pass + controlled + fail) in percent; null when nothing was decided'),
  score_without_exceptions: z.number().nullable(),
}).strict();

const controlResult = z.object({
  profile: z.string(), id: z.string(), title: z.string(), section: z.string(), section_title: z.string().optional(),
  level: z.number().int(), severity: z.enum(['info', 'low', 'medium', 'high', 'critical']), tags: z.array(z.string()),
  references: z.record(z.string(), z.array(z.string())),
  description: z.string().optional(), rationale: z.string().optional(), remediation: z.string().optional(),
  condition: z.enum(['all', 'any', 'none', 'one']),
  status: controlStatus,
  summary: z.string(),
  exception: z.object({
    reason: z.string(), expires: z.string().optional(), approved_by: z.string().optional(), expired: z.boolean(), source: z.string(),
  }).strict().optional(),
  preconditions: z.array(checkResult),
  checks: z.array(checkResult),
  duration_ms: z.number().nonnegative(),
  source: z.string().describe('file:line where the control is defined'),
}).strict();

export const auditResultSchema = z.object({
  schema_version: z.literal(RESULT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('spyglass'), version: z.string() }).strict(),
  started_at: z.string(),
  finished_at: z.string(),
  duration_ms: z.number().nonnegative(),
  host: z.object({
    hostname: z.string(),
    os: z.object({ id: z.string(), version_id: z.string(), pretty_name: z.string() }).strict().nullable(),
    kernel: z.string().nullable().describe('kernel release, live root only'),
    root: z.string(),
    live: z.boolean(),
  }).strict(),
  profiles: z.array(z.object({
    id: z.string(), title: z.string(), version: z.string(),
    benchmark: z.object({ name: z.string(), version: z.string().optional() }).strict().optional(),
    file: z.string(), controls_selected: z.number().int(), controls_total: z.number().int(),
  }).strict()),
  filters: z.object({
    tags: z.array(z.string()).optional(), skip_tags: z.array(z.string()).optional(), level: z.number().int().optional(), controls: z.array(z.string()).optional(),
  }).strict(),
  summary,
  profile_summaries: z.record(z.string(), summary),
  controls: z.array(controlResult),
  fail_under: z.object({ threshold: z.number(), met: z.boolean() }).strict().optional().describe('only with --fail-under: the threshold and whether the score met it (exit 1 when not)'),
}).strict().describe('Spyglass audit result, schema version 1 (docs/audit-result.md)');

// The schema and the TypeScript types must describe the same thing (checked at compile time).
type Parsed = z.infer<typeof auditResultSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const resultTypesAgree: Same<Parsed, AuditResult> = true;
void resultTypesAgree;

export function auditResultJsonSchema(): Record<string, unknown> {
  return { ...(z.toJSONSchema(auditResultSchema, { unrepresentable: 'any' }) as Record<string, unknown>), $id: 'https://spyglass.dev/schemas/audit-result.schema.json', title: 'Spyglass audit result' };
}
