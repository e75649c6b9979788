/** Time as the scheduler sees it: the real clock, or a controllable one in tests. */

export interface Clock {
  now(): number;
  /** calls `fn` once, at or after `atMs` on this clock; returns a cancel function */
  setTimer(atMs: number, fn: () => void): () => void;
}

/**
 * The real clock. Timers are capped at one minute and re-armed, so a wake-up from a sleep
 * or suspend (or a wall-clock jump) is noticed within a minute rather than after a timer
 * that Node measured in monotonic time.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(atMs, fn) {
    let handle: NodeJS.Timeout;
    const arm = () => {
      const delay = atMs - Date.now();
      if (delay <= 0) { fn(); return; }
      handle = setTimeout(arm, Math.min(delay, 60_000));
      handle.unref?.();
    };
    arm();
    return () => clearTimeout(handle);
  },
};

/** A clock tests move by hand: `advance(ms)` fires every timer that falls due, in order. */
export class ManualClock implements Clock {
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private nextId = 0;

  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  setTimer(atMs: number, fn: () => void): () => void {
    const id = this.nextId++;
    this.timers.push({ at: atMs, fn, id });
    return () => { this.timers = this.timers.filter((t) => t.id !== id); };
  }

  /** Moves time forward, firing due timers one at a time and letting their async work settle. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      next.fn();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Jumps the clock without firing timers on the way (a suspended machine waking up). */
  async jump(ms: number): Promise<void> {
    this.current += ms;
    const due = this.timers.filter((t) => t.at <= this.current).sort((a, b) => a.at - b.at);
    this.timers = this.timers.filter((t) => t.at > this.current);
    for (const t of due) { t.fn(); await settle(); }
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
