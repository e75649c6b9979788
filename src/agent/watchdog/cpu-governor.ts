/**
 * Keeps the agent's CPU use under a share of one core, by slowing work down instead of
 * killing the process. Long loops (scans, hashing, audits) call `await governor.pace()`
 * between units of work. A token bucket of CPU time fills at `share` ms per wall ms and holds
 * at most `share × burstMs`; work spends from it, and `pace` sleeps while it is in debt. So
 * over any span of T ms the agent uses at most share × (T + burstMs) of CPU — over a minute
 * with the defaults, at most 10% + 0.5% of a core. Cheap: one process.cpuUsage() per call.
 */

export interface CpuGovernorOptions {
  /** share of one core, 0 < share ≤ 1 (0.1 = 10%) */
  share: number;
  /** how long a burst at full speed may last after idling (default 3 s) */
  burstMs?: number;
  now?: () => number;
  cpuMicros?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class CpuGovernor {
  private readonly share: number;
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly cpuMicros: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private tokens: number;
  private lastWall: number;
  private lastCpu: number;
  /** total time spent sleeping to stay in budget: reported in health */
  throttledMs = 0;

  constructor(options: CpuGovernorOptions) {
    this.share = options.share;
    this.capacity = options.share * (options.burstMs ?? 3_000);
    this.now = options.now ?? (() => performance.now());
    this.cpuMicros = options.cpuMicros ?? (() => { const u = process.cpuUsage(); return u.user + u.system; });
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.tokens = this.capacity;
    this.lastWall = this.now();
    this.lastCpu = this.cpuMicros() / 1000;
  }

  /** Sleeps as long as needed so that the CPU used stays within the share. */
  async pace(): Promise<void> {
    const wall = this.now();
    const cpu = this.cpuMicros() / 1000;
    this.tokens = Math.min(this.capacity, this.tokens + (wall - this.lastWall) * this.share) - (cpu - this.lastCpu);
    this.lastWall = wall;
    this.lastCpu = cpu;
    if (this.tokens >= 0) return;
    const wait = -this.tokens / this.share;
    this.throttledMs += wait;
    await this.sleep(wait);
    // The sleep refilled exactly the debt; the next call accounts from here.
    this.tokens = 0;
    this.lastWall = this.now();
    this.lastCpu = this.cpuMicros() / 1000;
  }
}
