/** Turns a job's configuration fields (every / cron / run_on_start / timeout) into a scheduler job. */
import type { JobDefinition, JobSchedule } from '../../core/scheduler/job-scheduler.js';

export interface ScheduleFields {
  every?: number;
  cron?: string;
  timezone?: string;
  splay?: number;
  run_on_start: boolean;
  timeout?: number;
  enabled: boolean;
}

/** A cron job's default splay: a tenth of a day, at most an hour. */
const DEFAULT_CRON_SPLAY_MS = 3_600_000;

export function scheduledJob(name: string, fields: ScheduleFields, run: JobDefinition['run']): JobDefinition {
  const schedule: JobSchedule = fields.every !== undefined
    ? { every: fields.every }
    : { cron: fields.cron!, timezone: fields.timezone, maxSplayMs: fields.splay ?? DEFAULT_CRON_SPLAY_MS };
  return { name, schedule, runOnStart: fields.run_on_start, timeoutMs: fields.timeout, run };
}
