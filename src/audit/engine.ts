/**
 * The audit engine: evaluates the selected controls of loaded profiles against a HostRoot
 * and returns an AuditResult. Controls run with a concurrency limit; each check gets its own
 * time budget (an AbortSignal, and the engine stops waiting when it runs out); anything a
 * check throws becomes an `error` outcome naming the profile, control and check, so one
 * control's problem never stops the others. A per-audit memo lets 40 controls that read
 * sshd_config parse it once.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { SpyglassError, toSpyglassError } from '../core/errors.js';
import type { HostRoot } from '../core/host-root.js';
import { readHostName } from '../host/hostname.js';
import { readOsRelease } from '../host/os-release.js';
import { AGENT_VERSION } from '../core/version.js';
import type { CheckContext, CheckOutcome, CheckStatus, CheckType } from './check.js';
import { CHECK_TYPES } from './checks/registry.js';
import { redactOutcome } from './evidence-redaction.js';
import { selectControls } from './filters.js';
import { findException } from './profile/exceptions.js';
import type { LoadedControl, LoadedException, LoadedProfile } from './profile/load-profile.js';
import type { CheckSpec, Condition } from './profile/schema.js';
import {
  RESULT_SCHEMA_VERSION, summarize, type AuditFilters, type AuditResult, type CheckResult, type ControlResult, type ControlStatus, type HostFacts,
} from './result.js';

export interface ProgressEvent {
  /** controls finished so far, of `total` */
  done: number;
  total: number;
  control?: string;
  check?: string;
  /** a long check's own note ("12000 files scanned") */
  note?: string;
}

export interface AuditOptions {
  profiles: LoadedProfile[];
  root: HostRoot;
  filters?: AuditFilters;
  /** exceptions from --exceptions files, besides each profile's own */
  exceptions?: LoadedException[];
  /** how many controls are evaluated at once (default 8) */
  concurrency?: number;
  /** a check's time budget in ms (default 60 s; a check with time_budget_seconds gets that plus 10 s) */
  checkTimeoutMs?: number;
  checkTypes?: readonly CheckType[];
  onProgress?: (event: ProgressEvent) => void;
  /** awaited before each control: the agent's CPU governor slows an audit down to its CPU share */
  pace?: () => Promise<void>;
  /** the clock for exception expiry and timestamps (tests) */
  now?: () => Date;
}

const DEFAULT_CONCURRENCY = 8;
const DEFAULT_CHECK_TIMEOUT_MS = 60_000;

export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const t0 = performance.now();
  const checkTypes = options.checkTypes ?? CHECK_TYPES;
  const filters = options.filters ?? {};
  const memo = new Map<string, Promise<unknown>>();
  const selected = options.profiles.map((p) => ({ profile: p, controls: selectControls(p.controls, filters) }));
  const work = selected.flatMap(({ profile, controls }) => controls.map((control) => ({ profile, control })));
  const results: ControlResult[] = new Array(work.length);
  let done = 0;
  const emit = (e: Omit<ProgressEvent, 'done' | 'total'>) => options.onProgress?.({ done, total: work.length, ...e });

  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const i = next++;
      const { profile, control } = work[i]!;
      await options.pace?.();
      emit({ control: control.id });
      results[i] = await evaluateControl(profile, control, {
        root: options.root, memo, checkTypes, now: now(),
        exceptions: [...profile.exceptions, ...(options.exceptions ?? [])],
        timeoutMs: options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
        progress: (check, note) => emit({ control: control.id, check, note }),
      });
      done++;
      emit({ control: control.id });
    }
  };
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  await Promise.all(Array.from({ length: Math.min(concurrency, work.length) }, worker));

  const host = await hostFacts(options.root);
  const profileSummaries: AuditResult['profile_summaries'] = {};
  for (const { profile } of selected) profileSummaries[profile.id] = summarize(results.filter((r) => r.profile === profile.id));
  const finishedAt = now();
  return {
    schema_version: RESULT_SCHEMA_VERSION,
    tool: { name: 'spyglass', version: AGENT_VERSION },
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    duration_ms: round(performance.now() - t0),
    host,
    profiles: selected.map(({ profile, controls }) => ({
      id: profile.id, title: profile.title, version: profile.version,
      ...(profile.benchmark ? { benchmark: profile.benchmark } : {}),
      file: profile.file, controls_selected: controls.length, controls_total: profile.controls.length,
    })),
    filters,
    summary: summarize(results),
    profile_summaries: profileSummaries,
    controls: results,
  };
}

interface ControlEnv {
  root: HostRoot;
  memo: Map<string, Promise<unknown>>;
  checkTypes: readonly CheckType[];
  exceptions: LoadedException[];
  now: Date;
  timeoutMs: number;
  progress: (check: string, note: string) => void;
}

async function evaluateControl(profile: LoadedProfile, control: LoadedControl, env: ControlEnv): Promise<ControlResult> {
  const t0 = performance.now();
  const base = {
    profile: profile.id, id: control.id, title: control.title, section: control.section,
    ...(profile.sections[control.section] ? { section_title: profile.sections[control.section] } : {}),
    level: control.level, severity: control.severity, tags: control.tags, references: control.references ?? {},
    ...(control.description !== undefined ? { description: control.description } : {}),
    ...(control.rationale !== undefined ? { rationale: control.rationale } : {}),
    ...(control.remediation !== undefined ? { remediation: control.remediation } : {}),
    condition: control.condition,
    source: `${control.source.file}${control.source.line ? `:${control.source.line}` : ''}`,
  };
  const run = (spec: CheckSpec) => evaluateCheck(spec, env, { profile: profile.id, control: control.id });

  const preconditions: CheckResult[] = [];
  for (const spec of control.preconditions ?? []) {
    const r = await run(spec);
    preconditions.push(r);
    if (r.status !== 'pass') {
      const status: ControlStatus = r.status === 'error' ? 'error' : 'not_applicable';
      const summary = r.status === 'error' ? `precondition could not be evaluated: ${r.summary}` : `precondition not met: ${r.summary}`;
      return { ...base, status, summary, preconditions, checks: [], duration_ms: round(performance.now() - t0) };
    }
  }

  const checks: CheckResult[] = [];
  for (const spec of control.checks) checks.push(await run(spec));
  const verdict = combine(control.condition, checks);
  let status: ControlStatus = verdict.status;
  let summary = verdict.summary;
  let exception: ControlResult['exception'];
  if (status === 'fail') {
    const match = findException(profile.id, control.id, env.exceptions, env.now);
    if (match) {
      const e = match.exception;
      exception = {
        reason: e.reason, expired: !match.live,
        ...(e.expires ? { expires: e.expires } : {}), ...(e.approved_by ? { approved_by: e.approved_by } : {}),
        source: `${e.source.file}${e.source.line ? `:${e.source.line}` : ''}`,
      };
      if (match.live) {
        status = 'controlled';
        summary = `exception: ${e.reason}${e.expires ? ` (until ${e.expires})` : ''} — ${summary}`;
      } else {
        summary = `${summary} (exception expired ${e.expires})`;
      }
    }
  }
  return { ...base, status, summary, ...(exception ? { exception } : {}), preconditions, checks, duration_ms: round(performance.now() - t0) };
}

/**
 * The control's verdict from its checks. all: a failure decides, then an error, then passes
 * (not_applicable checks are left out; all of them n/a makes the control n/a). any: a pass
 * decides, then an error, then a failure. none: a pass fails the control, then an error,
 * then a failure (which is what none wants) passes it. one: exactly one pass passes; two or
 * more fail the control (naming them); with none, an error decides before the failures.
 */
export function combine(condition: Condition, checks: readonly CheckResult[]): { status: CheckStatus; summary: string } {
  const by = (s: CheckStatus) => checks.filter((c) => c.status === s);
  const join = (list: CheckResult[]) => list.map((c) => c.summary).join('; ');
  const [pass, fail, error] = [by('pass'), by('fail'), by('error')];
  switch (condition) {
    case 'all':
      if (fail.length) return { status: 'fail', summary: join(fail) };
      if (error.length) return { status: 'error', summary: join(error) };
      if (pass.length) return { status: 'pass', summary: join(pass) };
      return { status: 'not_applicable', summary: join(checks as CheckResult[]) };
    case 'any':
      if (pass.length) return { status: 'pass', summary: join(pass) };
      if (error.length) return { status: 'error', summary: join(error) };
      if (fail.length) return { status: 'fail', summary: join(fail) };
      return { status: 'not_applicable', summary: join(checks as CheckResult[]) };
    case 'none':
      if (pass.length) return { status: 'fail', summary: `should not hold: ${join(pass)}` };
      if (error.length) return { status: 'error', summary: join(error) };
      if (fail.length) return { status: 'pass', summary: `none holds: ${join(fail)}` };
      return { status: 'not_applicable', summary: join(checks as CheckResult[]) };
    case 'one':
      // an error could hide a second pass, so a single pass beside an error is not a verdict
      if (pass.length > 1) return { status: 'fail', summary: `only one should hold, ${pass.length} do: ${join(pass)}` };
      if (error.length) return { status: 'error', summary: join(error) };
      if (pass.length === 1) return { status: 'pass', summary: join(pass) };
      if (fail.length) return { status: 'fail', summary: `none holds: ${join(fail)}` };
      return { status: 'not_applicable', summary: join(checks as CheckResult[]) };
  }
}

async function evaluateCheck(spec: CheckSpec, env: ControlEnv, where: { profile: string; control: string }): Promise<CheckResult> {
  const t0 = performance.now();
  const { type, ...options } = spec;
  const context = { ...where, check: type };
  const finish = (raw: CheckOutcome): CheckResult => {
    const o = redactOutcome(raw);
    const err = o.error ? o.error.withContext(context) : undefined;
    return {
      type, spec: options, status: o.status, summary: o.summary, evidence: o.evidence, duration_ms: round(performance.now() - t0),
      ...(err ? { error: { code: err.code, message: err.message, context: { ...err.context } } } : {}),
    };
  };
  const checkType = env.checkTypes.find((c) => c.type === type);
  if (!checkType) return finish(errorOutcome(new SpyglassError('unknown_check_type', `no check type "${type}" in this build`, context)));

  const budgetSeconds = typeof options.time_budget_seconds === 'number' ? options.time_budget_seconds : 0;
  const timeoutMs = Math.max(env.timeoutMs, budgetSeconds > 0 ? (budgetSeconds + 10) * 1000 : 0);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new SpyglassError('timeout', `check timed out after ${timeoutMs / 1000} s`, context));
      resolve(errorOutcome(new SpyglassError('timeout', `check did not finish within its time budget of ${timeoutMs / 1000} s`, context)));
    }, timeoutMs);
  });
  const ctx: CheckContext = {
    root: env.root,
    signal: controller.signal,
    progress: (note) => env.progress(type, note),
    memo: <T>(key: string, compute: () => Promise<T>): Promise<T> => {
      let p = env.memo.get(key) as Promise<T> | undefined;
      if (!p) {
        p = compute();
        env.memo.set(key, p);
      }
      return p;
    },
  };
  try {
    const evaluation = (async () => checkType.evaluate(options as never, ctx))();
    // a check that overran its budget may still settle later; its late failure is dropped
    // (Promise.race subscribes too, but this keeps it explicit should the race change)
    evaluation.catch(() => {});
    const o = await Promise.race([evaluation, timedOut]);
    return finish(o);
  } catch (err) {
    return finish(errorOutcome(toSpyglassError(err, 'check_crashed', context)));
  } finally {
    clearTimeout(timer);
  }
}

function errorOutcome(error: SpyglassError): CheckOutcome {
  return { status: 'error', summary: error.message, evidence: [], error };
}

async function hostFacts(root: HostRoot): Promise<HostFacts> {
  const osr = await readOsRelease(root).catch(() => undefined);
  return {
    hostname: (await readHostName(root)) ?? 'unknown',
    os: osr ? { id: osr.id, version_id: osr.versionId, pretty_name: osr.prettyName } : null,
    kernel: root.isLive ? os.release() : null,
    root: root.dir,
    live: root.isLive,
  };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
