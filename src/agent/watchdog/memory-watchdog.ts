/**
 * Memory limit for the agent's jobs, like osquery's watchdog but without killing the agent:
 * RSS is sampled on an interval; when it goes over the limit while jobs run, the job that
 * has grown the most since it started is stopped and held back, and an agent event says so.
 * V8's heap is collected first (when exposed) so garbage alone never stops a job.
 */

export interface RunningJob {
  name: string;
  /** RSS when the job started */
  rssAtStart: number;
}

export interface MemoryWatchdogOptions {
  limitBytes: number;
  intervalMs?: number;
  rss?: () => number;
  runningJobs: () => RunningJob[];
  /** stop and hold the job; `reason` goes into the agent event */
  stopJob: (name: string, reason: string) => void;
}

export class MemoryWatchdog {
  private timer: NodeJS.Timeout | undefined;
  /** how many jobs were stopped for memory since start (health) */
  stops = 0;

  constructor(private readonly options: MemoryWatchdogOptions) {}

  start(): void {
    this.timer = setInterval(() => this.check(), this.options.intervalMs ?? 2_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One check; returns the job it stopped, if any. */
  check(): string | undefined {
    const rss = (this.options.rss ?? (() => process.memoryUsage.rss()))();
    if (rss <= this.options.limitBytes) return undefined;
    const jobs = this.options.runningJobs();
    if (jobs.length === 0) return undefined;
    const culprit = jobs.reduce((a, b) => (rss - b.rssAtStart > rss - a.rssAtStart ? b : a));
    const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
    this.options.stopJob(culprit.name, `agent RSS ${mb(rss)} over the ${mb(this.options.limitBytes)} limit while ${culprit.name} ran (it started at ${mb(culprit.rssAtStart)})`);
    this.stops++;
    return culprit.name;
  }
}
