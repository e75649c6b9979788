/**
 * The job scheduler: the agent's jobs and each scheduled query (src/query/schedule) run on it.
 * Jobs run on an interval (aligned to a per-host phase) or a cron expression (plus a per-host
 * splay). Guarantees:
 * - a job never runs twice at once: a slot that comes while it still runs is skipped, counted;
 * - missed slots (the machine slept, the agent was busy) are run once, not once per slot;
 * - a job that throws or exceeds its time limit is reported and does not stop the others;
 * - a held job (the watchdog stopped it) is not started again until its hold ends.
 */
import { CronExpressionParser } from 'cron-parser';
import { SpyglassError, toSpyglassError } from '../errors.js';
import { settledWithin } from '../settled-within.js';
import type { Clock } from './clock.js';
import { cronSplayMs, intervalPhaseMs } from './splay.js';

export type JobSchedule =
  | {
    every: number;
    /**
     * Slots fall at anchorMs + phase + k·every. Default 0: aligned to the wall clock, so a
     * restart keeps the slots. A scheduled query anchors at its start, as osquery counts its
     * intervals from there; the first slot at or after the anchor is never skipped.
     */
    anchorMs?: number;
    /** the host's phase lies in [0, maxSplayMs) (default: the whole period) */
    maxSplayMs?: number;
  }
  | { cron: string; timezone?: string; /** spread each run over [0, maxSplayMs) by host */ maxSplayMs?: number };

export interface JobDefinition {
  name: string;
  schedule: JobSchedule;
  /** run once as soon as the scheduler starts, then on schedule */
  runOnStart?: boolean;
  /** the job is aborted (signal) and reported as timed out after this long */
  timeoutMs?: number;
  run(signal: AbortSignal): Promise<void>;
}

export type JobOutcome = 'ok' | 'error' | 'timeout' | 'stopped';

export interface JobState {
  name: string;
  schedule: string;
  running: boolean;
  runs: number;
  lastStart?: number;
  lastEnd?: number;
  lastOutcome?: JobOutcome;
  lastError?: string;
  nextDue?: number;
  /** slots that passed while the machine slept or the job ran long, folded into one run */
  missedSlots: number;
  /** slots skipped because the previous run was still going */
  overlapSkips: number;
  heldUntil?: number;
  heldReason?: string;
}

export interface SchedulerEvents {
  jobFinished?(state: JobState, error?: SpyglassError): void;
}

interface Entry {
  job: JobDefinition;
  state: JobState;
  cancelTimer?: () => void;
  abort?: AbortController;
  running?: Promise<void>;
}

/** Validates a schedule without running anything (for config checking). */
export function validateSchedule(schedule: JobSchedule): SpyglassError | undefined {
  if ('every' in schedule) {
    if (!(schedule.every >= 1000)) return new SpyglassError('schedule_invalid', `interval must be at least 1 s (got ${schedule.every} ms)`);
    if (schedule.maxSplayMs !== undefined && !(schedule.maxSplayMs >= 0 && schedule.maxSplayMs <= schedule.every)) {
      return new SpyglassError('schedule_invalid', `splay must be between 0 and the interval (got ${schedule.maxSplayMs} ms)`);
    }
    return undefined;
  }
  try {
    CronExpressionParser.parse(schedule.cron, { tz: schedule.timezone });
    return undefined;
  } catch (err) {
    return new SpyglassError('schedule_invalid', `cron "${schedule.cron}": ${(err as Error).message}`);
  }
}

export function describeSchedule(schedule: JobSchedule): string {
  return 'every' in schedule ? `every ${schedule.every / 1000}s` : `cron ${schedule.cron}`;
}

/** The first slot of `schedule` strictly after `afterMs`, for this host and job. */
export function nextSlot(schedule: JobSchedule, hostId: string, jobName: string, afterMs: number): number {
  if ('every' in schedule) {
    const phase = (schedule.anchorMs ?? 0) + intervalPhaseMs(hostId, jobName, schedule.maxSplayMs ?? schedule.every);
    return phase + (Math.floor((afterMs - phase) / schedule.every) + 1) * schedule.every;
  }
  const splay = schedule.maxSplayMs ? cronSplayMs(hostId, jobName, schedule.maxSplayMs) : 0;
  const expr = CronExpressionParser.parse(schedule.cron, { currentDate: new Date(afterMs - splay), tz: schedule.timezone ?? 'UTC' });
  return expr.next().getTime() + splay;
}

/**
 * Where the first slot is looked for: from now, or for an anchored interval from just before
 * its anchor, so the first slot is not lost to the milliseconds between anchoring and arming
 * (a slot already past is due at once).
 */
function firstArmFrom(schedule: JobSchedule, nowMs: number): number {
  return 'every' in schedule && schedule.anchorMs !== undefined ? Math.min(nowMs, schedule.anchorMs - 1) : nowMs;
}

export class JobScheduler {
  private readonly entries = new Map<string, Entry>();
  private started = false;

  constructor(
    private readonly clock: Clock,
    private readonly hostId: string,
    private readonly events: SchedulerEvents = {},
  ) {}

  add(job: JobDefinition): void {
    if (this.entries.has(job.name)) throw new SpyglassError('job_duplicate', `a job named ${job.name} exists already`);
    const problem = validateSchedule(job.schedule);
    if (problem) throw problem.withContext({ job: job.name });
    const entry: Entry = { job, state: { name: job.name, schedule: describeSchedule(job.schedule), running: false, runs: 0, missedSlots: 0, overlapSkips: 0 } };
    this.entries.set(job.name, entry);
    if (this.started) this.arm(entry, firstArmFrom(job.schedule, this.clock.now()), job.runOnStart === true);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    const now = this.clock.now();
    for (const entry of this.entries.values()) this.arm(entry, firstArmFrom(entry.job.schedule, now), entry.job.runOnStart === true);
  }

  /** Stops scheduling; aborts running jobs and waits (bounded) for them to end. */
  async stop(graceMs = 10_000): Promise<void> {
    this.started = false;
    const running: Promise<void>[] = [];
    for (const entry of this.entries.values()) {
      entry.cancelTimer?.();
      entry.cancelTimer = undefined;
      if (entry.running) {
        entry.abort?.abort(new SpyglassError('job_stopped', 'agent stopping'));
        running.push(entry.running);
      }
    }
    await settledWithin(running, graceMs);
  }

  /** Keeps a job from starting until `untilMs` (the watchdog's hold), and stops it if running. */
  hold(name: string, untilMs: number, reason: string): void {
    const entry = this.entries.get(name);
    if (!entry) return;
    entry.state.heldUntil = untilMs;
    entry.state.heldReason = reason;
    entry.abort?.abort(new SpyglassError('job_stopped', reason));
  }

  states(): JobState[] {
    return [...this.entries.values()].map((e) => ({ ...e.state }));
  }

  /** Runs a job now, outside its schedule (from `spyglass agent --once` or a test). */
  async runNow(name: string): Promise<JobState> {
    const entry = this.entries.get(name);
    if (!entry) throw new SpyglassError('job_unknown', `no job named ${name}`);
    await this.execute(entry);
    return { ...entry.state };
  }

  private arm(entry: Entry, fromMs: number, immediately: boolean): void {
    entry.cancelTimer?.();
    const due = immediately ? fromMs : nextSlot(entry.job.schedule, this.hostId, entry.job.name, fromMs);
    entry.state.nextDue = due;
    entry.cancelTimer = this.clock.setTimer(due, () => this.onDue(entry, due));
  }

  private onDue(entry: Entry, dueMs: number): void {
    if (!this.started) return;
    const now = this.clock.now();
    // Slots that went by between the due time and now (a suspend): folded into this one run.
    let missed = 0;
    for (let slot = nextSlot(entry.job.schedule, this.hostId, entry.job.name, dueMs); slot <= now && missed < 1_000_000; missed++) {
      slot = nextSlot(entry.job.schedule, this.hostId, entry.job.name, slot);
    }
    entry.state.missedSlots += missed;
    this.arm(entry, now, false);
    if (entry.running) {
      entry.state.overlapSkips++;
      return;
    }
    if (entry.state.heldUntil !== undefined && entry.state.heldUntil > now) return;
    void this.execute(entry);
  }

  private async execute(entry: Entry): Promise<void> {
    if (entry.running) return entry.running;
    const abort = new AbortController();
    entry.abort = abort;
    entry.state.running = true;
    entry.state.lastStart = this.clock.now();
    let timer: NodeJS.Timeout | undefined;
    const run = (async () => {
      let error: SpyglassError | undefined;
      let outcome: JobOutcome = 'ok';
      try {
        const work = entry.job.run(abort.signal);
        const limits: Promise<void>[] = [work, new Promise<void>((_, reject) => abort.signal.addEventListener('abort', () => reject(abort.signal.reason), { once: true }))];
        if (entry.job.timeoutMs) {
          limits.push(new Promise<void>((_, reject) => {
            timer = setTimeout(() => {
              const err = new SpyglassError('job_timeout', `job ${entry.job.name} ran over its ${entry.job.timeoutMs} ms limit`, { job: entry.job.name });
              abort.abort(err);
              reject(err);
            }, entry.job.timeoutMs);
          }));
        }
        work.catch(() => {}); // its rejection is handled through the race; never unhandled
        await Promise.race(limits);
        // A job that returns promptly when aborted still ended because of the abort.
        if (abort.signal.aborted) throw abort.signal.reason;
      } catch (err) {
        error = toSpyglassError(err, 'job_failed', { job: entry.job.name });
        outcome = error.code === 'job_timeout' ? 'timeout' : error.code === 'job_stopped' ? 'stopped' : 'error';
      } finally {
        if (timer) clearTimeout(timer);
      }
      entry.state.running = false;
      entry.state.runs++;
      entry.state.lastEnd = this.clock.now();
      entry.state.lastOutcome = outcome;
      entry.state.lastError = error?.message;
      entry.running = undefined;
      entry.abort = undefined;
      this.events.jobFinished?.({ ...entry.state }, error);
    })();
    entry.running = run;
    return run;
  }
}
