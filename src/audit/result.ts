/**
 * The audit result: what `spyglass audit --format json` prints and every other report is
 * rendered from. Versioned by `schema_version`; documented in docs/audit-result.md. Add
 * fields freely; renaming or removing one bumps the version.
 */
import type { CheckStatus, Evidence } from './check.js';
import type { Condition, Severity } from './profile/schema.js';

export const RESULT_SCHEMA_VERSION = 1 as const;

/** A control's status: a check's, plus `controlled` (a failure covered by a live exception). */
export type ControlStatus = CheckStatus | 'controlled';
export const CONTROL_STATUSES: readonly ControlStatus[] = ['pass', 'fail', 'controlled', 'not_applicable', 'error'];

export interface ErrorInfo {
  code: string;
  message: string;
  context: Record<string, unknown>;
}

export interface CheckResult {
  type: string;
  /** the spec as written (defaults applied) */
  spec: Record<string, unknown>;
  status: CheckStatus;
  summary: string;
  evidence: Evidence[];
  duration_ms: number;
  error?: ErrorInfo;
}

export interface ControlResult {
  profile: string;
  id: string;
  title: string;
  section: string;
  section_title?: string;
  level: number;
  severity: Severity;
  tags: string[];
  references: Record<string, string[]>;
  description?: string;
  rationale?: string;
  remediation?: string;
  condition: Condition;
  status: ControlStatus;
  /** one line: why this status */
  summary: string;
  /** set when the control is controlled, or failed because its exception expired */
  exception?: { reason: string; expires?: string; approved_by?: string; expired: boolean; source: string };
  preconditions: CheckResult[];
  checks: CheckResult[];
  duration_ms: number;
  /** where the control is defined: file:line */
  source: string;
}

export interface HostFacts {
  hostname: string;
  os: { id: string; version_id: string; pretty_name: string } | null;
  /** kernel release (live root only) */
  kernel: string | null;
  /** the audited root directory */
  root: string;
  /** true when the root is this running system */
  live: boolean;
}

export interface ProfileInfo {
  id: string;
  title: string;
  version: string;
  benchmark?: { name: string; version?: string };
  file: string;
  /** controls of this profile that the filters selected */
  controls_selected: number;
  controls_total: number;
}

export interface StatusCounts {
  pass: number;
  fail: number;
  controlled: number;
  not_applicable: number;
  error: number;
}

export interface Summary {
  total: number;
  counts: StatusCounts;
  /** (pass + controlled) / (pass + controlled + fail) in percent, one decimal; null when nothing was decided */
  score: number | null;
  /** the same score without crediting exceptions: pass / (pass + controlled + fail) */
  score_without_exceptions: number | null;
}

export interface AuditFilters {
  tags?: string[];
  /** leave out controls matching these (same matching as tags), e.g. filesystem-scan */
  skip_tags?: string[];
  level?: number;
  controls?: string[];
}

export interface AuditResult {
  schema_version: typeof RESULT_SCHEMA_VERSION;
  tool: { name: 'spyglass'; version: string };
  started_at: string;
  finished_at: string;
  duration_ms: number;
  host: HostFacts;
  profiles: ProfileInfo[];
  filters: AuditFilters;
  summary: Summary;
  /** per profile id */
  profile_summaries: Record<string, Summary>;
  controls: ControlResult[];
  /** only with --fail-under: the threshold, and whether the score met it (the exit code follows) */
  fail_under?: { threshold: number; met: boolean };
}

export function summarize(controls: readonly Pick<ControlResult, 'status'>[]): Summary {
  const counts: StatusCounts = { pass: 0, fail: 0, controlled: 0, not_applicable: 0, error: 0 };
  for (const c of controls) counts[c.status]++;
  const decided = counts.pass + counts.controlled + counts.fail;
  const pct = (n: number) => (decided === 0 ? null : Math.round((n / decided) * 1000) / 10);
  return {
    total: controls.length,
    counts,
    score: pct(counts.pass + counts.controlled),
    score_without_exceptions: pct(counts.pass),
  };
}
