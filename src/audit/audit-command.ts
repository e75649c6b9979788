/**
 * What `spyglass audit` does once its options are parsed: check the root, pick and load the
 * profiles and exceptions (every problem printed, exit 2), run the engine with a progress
 * line on a TTY, write each report where the output plan says, and work out the exit code.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ProfileError, SpyglassError, formatError } from '../core/errors.js';
import { HostRoot } from '../core/host-root.js';
import { runAudit, type ProgressEvent } from './engine.js';
import { loadExceptionsFile, unmatchedExceptions } from './profile/exceptions.js';
import { unmatchedFilters } from './filters.js';
import type { LoadedException } from './profile/load-profile.js';
import { profilesForAudit } from './profile/select-profiles.js';
import { applyTailoring, loadTailoringFile } from './tailoring/tailoring.js';
import { planOutputs } from './report/output-plan.js';
import { CONTROL_STATUSES, type AuditFilters, type AuditResult, type ControlStatus } from './result.js';

export interface AuditRunOptions {
  profile: string[];
  root: string;
  format: string[];
  output: string[];
  tags: string[];
  skipTags: string[];
  level?: string;
  controls: string[];
  exceptions: string[];
  /** --tailoring FILE: select/deselect controls and override named values (src/audit/tailoring) */
  tailoring?: string;
  failUnder?: string;
  checkTimeout: string;
  concurrency: string;
  hidePassing?: boolean;
  /** --status: the table lists only these */
  status?: string[];
  wide?: boolean;
  progress: boolean;
}

export interface AuditStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** A usage or profile problem: the CLI exits 2. */

function number(name: string, text: string | undefined, min: number, max: number, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new SpyglassError('usage', `${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${text}"`);
  }
  return n;
}

/** Runs the audit command; resolves to the exit code (0, 1), throws SpyglassError for exit 2. */
export async function runAuditCommand(opts: AuditRunOptions, streams: AuditStreams = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const level = number('--level', opts.level, 1, 3, true);
  const failUnder = number('--fail-under', opts.failUnder, 0, 100, false);
  const checkTimeout = number('--check-timeout', opts.checkTimeout, 0.001, 86_400, false)!;
  const concurrency = number('--concurrency', opts.concurrency, 1, 256, true)!;
  const plan = planOutputs(opts.format, opts.output);
  const statuses = statusList(opts.status ?? []);

  const rootDir = path.resolve(opts.root);
  const st = await fsp.stat(rootDir).catch(() => undefined);
  if (!st) throw new SpyglassError('usage', `--root ${opts.root}: no such directory`, { path: rootDir });
  if (!st.isDirectory()) throw new SpyglassError('usage', `--root ${opts.root}: not a directory`, { path: rootDir });
  const root = new HostRoot(rootDir);

  const selection = await profilesForAudit(opts.profile, root);
  const problems: ProfileError[] = [...selection.errors];
  const exceptions: LoadedException[] = [];
  for (const file of opts.exceptions) {
    const r = await loadExceptionsFile(file);
    problems.push(...r.errors);
    exceptions.push(...r.exceptions);
  }
  if (opts.tailoring && problems.length === 0) {
    const t = await loadTailoringFile(opts.tailoring);
    problems.push(...t.errors);
    if (t.tailoring) {
      const tailored = await applyTailoring(selection.profiles, t.tailoring);
      problems.push(...tailored.errors);
      selection.profiles = tailored.profiles;
    }
  }
  if (problems.length === 0) problems.push(...unmatchedExceptions(selection.profiles, exceptions));
  if (problems.length) {
    for (const p of problems) streams.stderr.write(`spyglass: ${formatError(p)}\n`);
    throw new SpyglassError('profile_invalid', `${problems.length} problem${problems.length === 1 ? '' : 's'} in the profiles or exceptions: nothing audited`);
  }

  const filters: AuditFilters = {
    ...(opts.tags.length ? { tags: opts.tags } : {}),
    ...(opts.skipTags.length ? { skip_tags: opts.skipTags } : {}),
    ...(level !== undefined ? { level } : {}),
    ...(opts.controls.length ? { controls: opts.controls } : {}),
  };
  const unmatched = unmatchedFilters(selection.profiles.flatMap((p) => p.controls), filters);
  if (unmatched.length) {
    for (const u of unmatched) streams.stderr.write(`spyglass: ${u.option} ${u.glob}: matches no control ${u.option === '--controls' ? 'id' : 'id, tag or CIS-<ref>'} of ${selection.profiles.map((p) => p.id).join(', ')}\n`);
    throw new SpyglassError('usage', `${unmatched.length === 1 ? 'a filter matches' : `${unmatched.length} filters match`} no control: nothing audited`);
  }
  const progress = opts.progress && streams.stderr.isTTY ? progressLine(streams.stderr) : undefined;
  let result: AuditResult;
  try {
    result = await runAudit({
      profiles: selection.profiles, root, filters, exceptions, concurrency, checkTimeoutMs: checkTimeout * 1000,
      ...(progress ? { onProgress: progress.update } : {}),
    });
  } finally {
    progress?.clear();
  }
  // each filter matched something, but together they left nothing: still nothing was audited
  if (result.controls.length === 0) throw new SpyglassError('usage', `no control matched the filters together (${describeFilters(filters)}): nothing audited`);

  if (failUnder !== undefined) {
    const score = result.summary.score;
    result = { ...result, fail_under: { threshold: failUnder, met: score === null || score >= failUnder } };
  }

  const color = Boolean(streams.stdout.isTTY) && !process.env.NO_COLOR;
  for (const out of plan) {
    const toTerminal = out.file === undefined && Boolean(streams.stdout.isTTY);
    const text = out.format.render(result, {
      color: out.file === undefined && color, showPassing: !opts.hidePassing, wide: Boolean(opts.wide) || !toTerminal,
      ...(statuses ? { statuses } : {}),
    });
    if (out.file === undefined) streams.stdout.write(text);
    else {
      try {
        await fsp.writeFile(out.file, text);
      } catch (err) {
        throw new SpyglassError('usage', `cannot write ${out.format.name} report to ${out.file}: ${(err as Error).message}`, { path: out.file });
      }
      streams.stderr.write(`spyglass: wrote ${out.format.name} report to ${out.file}\n`);
    }
  }

  if (result.fail_under) {
    const score = result.summary.score;
    const shown = score === null ? 'n/a (no control was decided)' : `${score.toFixed(1)}%`;
    streams.stderr.write(`spyglass: score ${shown} ${result.fail_under.met ? 'meets' : 'is under'} --fail-under ${failUnder}${result.fail_under.met ? '' : ': exit 1'}\n`);
    return result.fail_under.met ? 0 : 1;
  }
  return result.summary.counts.fail > 0 ? 1 : 0;
}

/** --status names (n/a and na for not_applicable, as the table prints it); undefined when none given */
function statusList(names: readonly string[]): ControlStatus[] | undefined {
  if (names.length === 0) return undefined;
  return names.map((n) => {
    const s = n.toLowerCase() === 'n/a' || n.toLowerCase() === 'na' ? 'not_applicable' : n.toLowerCase();
    if (!(CONTROL_STATUSES as readonly string[]).includes(s)) throw new SpyglassError('usage', `--status ${n}: not a status (${CONTROL_STATUSES.join(', ')})`);
    return s as ControlStatus;
  });
}

function describeFilters(f: AuditFilters): string {
  return [
    f.tags && `--tags ${f.tags.join(',')}`, f.skip_tags && `--skip-tags ${f.skip_tags.join(',')}`,
    f.level !== undefined && `--level ${f.level}`, f.controls && `--controls ${f.controls.join(',')}`,
  ].filter(Boolean).join(' ');
}

/**
 * "about 2m10s left", from the pace so far; nothing in the first 5 seconds or before a tenth
 * of the controls is done (too early for a pace worth printing), nor at the end.
 */
export function etaText(elapsedMs: number, done: number, total: number): string | undefined {
  if (elapsedMs < 5000 || done === 0 || done >= total || done < total / 10) return undefined;
  const left = Math.round((elapsedMs / done) * (total - done) / 1000);
  return `about ${left >= 60 ? `${Math.floor(left / 60)}m${String(left % 60).padStart(2, '0')}s` : `${left}s`} left`;
}

/** A one-line progress display on a terminal, redrawn at most 10 times a second. */
function progressLine(stream: NodeJS.WritableStream): { update: (e: ProgressEvent) => void; clear: () => void } {
  let last = 0;
  let shown = false;
  const started = Date.now();
  return {
    update(e) {
      const now = Date.now();
      if (now - last < 100 && e.done !== e.total) return;
      last = now;
      const cols = (stream as { columns?: number }).columns || 100; // 0 when the terminal size is unknown
      const note = e.note && e.check && e.note.startsWith(`${e.check}:`) ? e.note.slice(e.check.length + 1).trim() : e.note;
      const eta = etaText(now - started, e.done, e.total);
      const text = `[${e.done}/${e.total}${eta ? `, ${eta}` : ''}] ${e.control ?? ''}${e.check ? ` ${e.check}` : ''}${note ? `: ${note}` : ''}`;
      stream.write(`\r\x1b[K${text.slice(0, cols - 1)}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
