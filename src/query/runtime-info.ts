/**
 * What the self-describing tables (`spyglass_info`, `spyglass_schedule`, and their osquery
 * names `osquery_info`, `osquery_schedule`) report: process-wide facts the scheduler and the
 * CLI fill in. Plain module state, because a table generator has no other way to reach the
 * running scheduler, and there is one agent per process.
 */
import crypto from 'node:crypto';

/** One row of osquery_schedule. */
export interface ScheduledQueryStats {
  name: string;
  query: string;
  interval: number;
  executions: number;
  last_executed: number;
  denylisted: number;
  output_size: number;
  wall_time: number;
  wall_time_ms: number;
  last_wall_time_ms: number;
  user_time: number;
  last_user_time: number;
  system_time: number;
  last_system_time: number;
  average_memory: number;
  last_memory: number;
}

export const runtimeInfo = {
  instanceId: crypto.randomUUID(),
  startTime: Math.floor(Date.now() / 1000),
  /** sha1 of the loaded schedule configuration, '' before one is loaded */
  configHash: '',
  configValid: 0,
  schedule: new Map<string, ScheduledQueryStats>(),
};

/** Replaces the schedule rows (the scheduler calls this as queries run). */
export function setScheduleStats(rows: Iterable<ScheduledQueryStats>): void {
  runtimeInfo.schedule.clear();
  for (const r of rows) runtimeInfo.schedule.set(r.name, r);
}
