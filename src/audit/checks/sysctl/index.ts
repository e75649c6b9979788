/**
 * `sysctl` check type: a kernel parameter's runtime value (from <root>/proc/sys, only on the
 * live root) and its persisted value (the sysctl.d files systemd-sysctl applies at boot),
 * compared with what the control wants. Offline, the runtime part is not_applicable and the
 * persisted part decides: never a pass for what could not be seen.
 */
import { toSpyglassError } from '../../../core/errors.js';
import { outcome, type CheckContext, type CheckOutcome, type CheckStatus, type CheckType, type Evidence } from '../../check.js';
import { compareValue, describeExpectation } from '../common/comparison.js';
import { dottedSysctlKey, effectiveSysctl, normalizeSysctlKey, normalizeSysctlValue } from '../../../host/sysctl.js';
import { persistedSysctl } from '../common/persisted-sysctl.js';
import { sysctlSchema, type SysctlSpec } from './schema.js';

interface PartResult {
  status: CheckStatus;
  summary: string;
  evidence: Evidence[];
  error?: ReturnType<typeof toSpyglassError>;
}

async function runtimePart(spec: SysctlSpec, ctx: CheckContext, pathKey: string, expected: string): Promise<PartResult> {
  if (!ctx.root.isLive) {
    return { status: 'not_applicable', summary: 'runtime: not_applicable (the root is not the running system)', evidence: [{ source: 'kernel', note: `runtime value not read: ${ctx.root.dir} is not the live root`, expected }] };
  }
  const procPath = `/proc/sys/${pathKey}`;
  let raw: string | undefined;
  try {
    raw = await ctx.root.readTextIfExists(procPath, 1024 * 1024);
  } catch (err) {
    const e = toSpyglassError(err, 'io_error', { path: procPath });
    return { status: 'error', summary: `runtime: ${e.message}`, evidence: [], error: e };
  }
  if (raw === undefined) {
    return { status: 'not_applicable', summary: `runtime: the kernel has no parameter ${dottedSysctlKey(pathKey)}`, evidence: [{ source: procPath, found: 'no such parameter', expected }] };
  }
  const value = normalizeSysctlValue(raw);
  const r = compareValue(value, spec);
  return {
    status: r.ok ? 'pass' : 'fail',
    summary: `runtime ${value}${r.ok ? '' : ` (want ${expected})`}`,
    evidence: [{ source: procPath, found: value, expected, ...(r.reason ? { note: r.reason } : {}) }],
  };
}

async function persistedPart(spec: SysctlSpec, ctx: CheckContext, pathKey: string, expected: string): Promise<PartResult> {
  let set;
  try {
    set = await persistedSysctl(ctx);
  } catch (err) {
    const e = toSpyglassError(err, 'io_error');
    return { status: 'error', summary: `persisted: ${e.message}`, evidence: [], error: e };
  }
  const winner = effectiveSysctl(set.assignments, pathKey);
  const r = compareValue(winner?.value, spec);
  if (!winner) {
    const note = set.files.length ? `not set in ${set.files.length} sysctl files (${set.files.join(', ')})` : 'no sysctl.d files or /etc/sysctl.conf';
    return {
      status: r.ok ? 'pass' : 'fail',
      summary: `persisted: not set`,
      evidence: [{ source: 'sysctl.d', found: 'not set', expected, note }],
    };
  }
  const via = winner.glob ? ` (via glob ${winner.written})` : '';
  return {
    status: r.ok ? 'pass' : 'fail',
    summary: `persisted ${winner.value} at ${winner.source}:${winner.line}${r.ok ? '' : ` (want ${expected})`}`,
    evidence: [{ source: winner.source, line: winner.line, found: `${winner.written} = ${winner.value}`, expected, ...(via || r.reason ? { note: [via.trim(), r.reason].filter(Boolean).join('; ') } : {}) }],
  };
}

async function evaluateSysctl(spec: SysctlSpec, ctx: CheckContext): Promise<CheckOutcome> {
  const pathKey = normalizeSysctlKey(spec.key);
  const name = dottedSysctlKey(pathKey);
  const expected = describeExpectation(spec);
  const parts: PartResult[] = [];
  if (spec.scope !== 'persisted') parts.push(await runtimePart(spec, ctx, pathKey, expected));
  if (spec.scope !== 'runtime') parts.push(await persistedPart(spec, ctx, pathKey, expected));
  const evidence = parts.flatMap((p) => p.evidence);
  const summary = `${name}: ${parts.map((p) => p.summary).join('; ')}`;
  const errored = parts.find((p) => p.status === 'error');
  if (parts.some((p) => p.status === 'fail')) return outcome.fail(summary, evidence);
  if (errored) return outcome.error(errored.error!.withContext({ check: 'sysctl' }), evidence);
  if (parts.every((p) => p.status === 'not_applicable')) return outcome.notApplicable(summary, evidence);
  return outcome.pass(summary, evidence);
}

export const sysctlCheck: CheckType<typeof sysctlSchema> = {
  type: 'sysctl',
  description: 'A kernel parameter: its runtime value (live root only) and the value the sysctl.d files persist, in systemd-sysctl precedence.',
  schema: sysctlSchema,
  evaluate: evaluateSysctl,
};

export default sysctlCheck;
