/**
 * The agent's status file (state_dir/status.json), written atomically (temp file + rename)
 * after every job and on an interval, and read by `spyglass status`. The agent opens no
 * socket, so this file is how a person or a monitoring check asks it how it is doing.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { JobState } from '../core/scheduler/job-scheduler.js';
import { toSpyglassError } from '../core/errors.js';

export const STATUS_FILE = 'status.json';

export interface SinkStatus {
  name: string;
  /** events spooled and not yet acknowledged by this sink */
  pending: number;
  /** age in seconds of the oldest pending event */
  oldestAgeSeconds: number | null;
  delivered: number;
  deadLettered: number;
  lastError?: string;
}

export interface AgentStatus {
  version: string;
  pid: number;
  hostId: string;
  startedAt: string;
  updatedAt: string;
  profileSet?: { version?: string; source?: string; lastUpdate?: string; lastProblem?: string };
  jobs: JobState[];
  sinks: SinkStatus[];
  /** refusedWriteFailed: events refused because the spool could not write (a full disk) */
  spool?: { bytes: number; events: number; droppedOldest: number; corruptSkipped: number; refusedWriteFailed: number; checkpointFailures: number };
  fim?: { watchedPaths: number; unwatchedPaths: number; overflows: number; events: number };
  resources: { rssBytes: number; cpuSharePercent: number; throttledMs: number; watchdogStops: number };
  errors: Array<{ at: string; message: string }>;
}

export async function writeStatus(stateDir: string, status: AgentStatus): Promise<void> {
  const file = path.join(stateDir, STATUS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, JSON.stringify(status, null, 2) + '\n', { mode: 0o644 });
  await fsp.rename(tmp, file);
}

export async function readStatus(stateDir: string): Promise<AgentStatus | undefined> {
  try {
    return JSON.parse(await fsp.readFile(path.join(stateDir, STATUS_FILE), 'utf8')) as AgentStatus;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw toSpyglassError(err, 'status_unreadable', { path: path.join(stateDir, STATUS_FILE) });
  }
}

/** True when the process that wrote the status is still alive. */
export function isAgentRunning(status: AgentStatus): boolean {
  try {
    process.kill(status.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const ago = (iso: string | undefined, now: number) => {
  if (!iso) return 'never';
  const s = Math.round((now - Date.parse(iso)) / 1000);
  return s < 120 ? `${s}s ago` : s < 7200 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`;
};

/** The status for people: jobs, sinks, resources, recent errors. */
export function formatStatus(status: AgentStatus, running: boolean, now = Date.now()): string {
  const lines = [
    `spyglass ${status.version}, pid ${status.pid} ${running ? 'running' : 'NOT RUNNING (status is stale)'}, host ${status.hostId}`,
    `started ${ago(status.startedAt, now)}, status written ${ago(status.updatedAt, now)}`,
    `memory ${(status.resources.rssBytes / 1024 / 1024).toFixed(0)} MB RSS, CPU ${status.resources.cpuSharePercent.toFixed(1)}% of a core, throttled ${Math.round(status.resources.throttledMs / 1000)}s, watchdog stops ${status.resources.watchdogStops}`,
  ];
  if (status.profileSet) lines.push(`profiles: ${status.profileSet.version ?? 'built-in'} from ${status.profileSet.source ?? 'the package'}${status.profileSet.lastProblem ? ` (last update rejected: ${status.profileSet.lastProblem})` : ''}`);
  lines.push('', 'JOB                  SCHEDULE          LAST RUN      RESULT    NEXT');
  for (const job of status.jobs) {
    const last = job.lastEnd ? ago(new Date(job.lastEnd).toISOString(), now) : job.running ? 'running' : 'never';
    const next = job.nextDue ? new Date(job.nextDue).toISOString().replace('.000Z', 'Z') : '-';
    const result = job.heldUntil && job.heldUntil > now ? 'held' : job.lastOutcome ?? '-';
    lines.push(`${job.name.padEnd(20)} ${job.schedule.padEnd(17)} ${last.padEnd(13)} ${result.padEnd(9)} ${next}${job.lastError ? `  (${job.lastError})` : ''}`);
  }
  if (status.sinks.length) {
    lines.push('', 'SINK                 PENDING   OLDEST    DELIVERED  DEAD-LETTER');
    for (const sink of status.sinks) {
      lines.push(`${sink.name.padEnd(20)} ${String(sink.pending).padEnd(9)} ${(sink.oldestAgeSeconds === null ? '-' : `${sink.oldestAgeSeconds}s`).padEnd(9)} ${String(sink.delivered).padEnd(10)} ${sink.deadLettered}${sink.lastError ? `  (${sink.lastError})` : ''}`);
    }
  }
  if (status.fim) lines.push('', `file integrity: ${status.fim.watchedPaths} paths watched, ${status.fim.unwatchedPaths} over the watch limit (scanned instead), ${status.fim.overflows} queue overflows, ${status.fim.events} events`);
  if (status.errors.length) {
    lines.push('', 'recent errors:');
    for (const e of status.errors.slice(-10)) lines.push(`  ${e.at}  ${e.message}`);
  }
  return lines.join('\n') + '\n';
}
