import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from './clock.js';
import { JobScheduler, nextSlot, validateSchedule } from './job-scheduler.js';
import { intervalPhaseMs, splayFraction } from './splay.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

test('splay over 10 000 simulated host ids is even, and stable for a host', () => {
  const buckets = new Array(60).fill(0);
  for (let i = 0; i < 10_000; i++) {
    const phase = intervalPhaseMs(`host-${i}-${(i * 7919) % 104729}`, 'audit', HOUR);
    assert.ok(phase >= 0 && phase < HOUR);
    buckets[Math.floor(phase / 60_000)]++;
  }
  const expected = 10_000 / 60;
  const chiSquare = buckets.reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
  // 59 degrees of freedom: p = 0.001 at about 95.6. A clustered splay scores far above.
  assert.ok(chiSquare < 95.6, `chi-square ${chiSquare.toFixed(1)} over minute buckets: ${buckets.join(',')}`);
  assert.ok(Math.min(...buckets) > expected * 0.6 && Math.max(...buckets) < expected * 1.4, buckets.join(','));
  assert.equal(intervalPhaseMs('host-a', 'audit', HOUR), intervalPhaseMs('host-a', 'audit', HOUR), 'stable across restarts');
  assert.notEqual(splayFraction('host-a', 'audit'), splayFraction('host-a', 'packs'), 'jobs of one host spread too');
});

test('an interval job runs at its host phase, once per period', async () => {
  const clock = new ManualClock(10 * DAY);
  const scheduler = new JobScheduler(clock, 'host-1');
  const runs: number[] = [];
  scheduler.add({ name: 'q', schedule: { every: HOUR }, run: async () => { runs.push(clock.now()); } });
  scheduler.start();
  await clock.advance(3 * HOUR);
  assert.equal(runs.length, 3);
  const phase = intervalPhaseMs('host-1', 'q', HOUR);
  for (const t of runs) assert.equal(((t - phase) % HOUR + HOUR) % HOUR, 0);
  await scheduler.stop();
});

test('missed slots after a suspend run once, and are counted', async () => {
  const clock = new ManualClock(0);
  const scheduler = new JobScheduler(clock, 'host-2');
  let runs = 0;
  scheduler.add({ name: 'q', schedule: { every: HOUR }, run: async () => { runs++; } });
  scheduler.start();
  await clock.jump(10 * HOUR + 1);
  assert.equal(runs, 1, 'ten missed slots give one run');
  const state = scheduler.states()[0]!;
  assert.ok(state.missedSlots >= 9 && state.missedSlots <= 10, `missed ${state.missedSlots}`);
  assert.ok(state.nextDue! > clock.now());
  await clock.advance(HOUR);
  assert.equal(runs, 2, 'then back on schedule');
  await scheduler.stop();
});

test('run on start, overlap skipped, a failing job does not stop the others', async () => {
  const clock = new ManualClock(0);
  const finished: string[] = [];
  const scheduler = new JobScheduler(clock, 'host-3', { jobFinished: (s, e) => finished.push(`${s.name}:${s.lastOutcome}${e ? ':' + e.code : ''}`) });
  let release!: () => void;
  const slow = new Promise<void>((r) => { release = r; });
  let okRuns = 0;
  scheduler.add({ name: 'slow', schedule: { every: 60_000 }, runOnStart: true, run: () => slow });
  scheduler.add({ name: 'broken', schedule: { every: 60_000 }, runOnStart: true, run: async () => { throw new Error('disk on fire'); } });
  scheduler.add({ name: 'fine', schedule: { every: 60_000 }, runOnStart: true, run: async () => { okRuns++; } });
  scheduler.start();
  await clock.advance(0);
  await clock.advance(120_000);
  const slowState = scheduler.states().find((s) => s.name === 'slow')!;
  assert.equal(slowState.running, true);
  assert.equal(slowState.overlapSkips, 2);
  assert.equal(okRuns, 3);
  assert.ok(finished.includes('broken:error:internal') || finished.some((f) => f.startsWith('broken:error')), finished.join(' '));
  assert.match(scheduler.states().find((s) => s.name === 'broken')!.lastError!, /disk on fire/);
  release();
  await clock.advance(0);
  assert.equal(scheduler.states().find((s) => s.name === 'slow')!.lastOutcome, 'ok');
  await scheduler.stop();
});

test('a job over its time limit is aborted and reported; a held job waits for its hold to end', async () => {
  const clock = new ManualClock(0);
  const scheduler = new JobScheduler(clock, 'host-4');
  let sawAbort = false;
  scheduler.add({
    name: 'runaway',
    schedule: { every: HOUR },
    timeoutMs: 50,
    run: (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => { sawAbort = true; resolve(); })),
  });
  const state = await scheduler.runNow('runaway');
  assert.equal(state.lastOutcome, 'timeout');
  assert.ok(sawAbort, 'the job saw its abort signal');

  let runs = 0;
  scheduler.add({ name: 'held', schedule: { every: HOUR }, run: async () => { runs++; } });
  scheduler.start();
  scheduler.hold('held', clock.now() + 2.5 * HOUR, 'used 300 MB');
  await clock.advance(2 * HOUR);
  assert.equal(runs, 0);
  await clock.advance(2 * HOUR);
  assert.ok(runs >= 1);
  await scheduler.stop();
});

test('cron schedules with a host splay, and bad schedules are refused with the reason', () => {
  const at = Date.parse('2026-01-01T05:00:00Z');
  const next = nextSlot({ cron: '0 3 * * *', maxSplayMs: HOUR }, 'host-5', 'audit', at);
  const base = Date.parse('2026-01-02T03:00:00Z');
  assert.ok(next >= base && next < base + HOUR, new Date(next).toISOString());
  assert.equal(nextSlot({ cron: '0 3 * * *', maxSplayMs: HOUR }, 'host-5', 'audit', at), next);
  assert.match(validateSchedule({ cron: '61 * * * *' })!.message, /61/);
  assert.match(validateSchedule({ every: 10 })!.message, /at least 1 s/);
});

test('an anchored interval counts from its anchor, splayed within maxSplayMs; its first slot is not lost to a late arm', async () => {
  const anchor = 5 * DAY + 1234;
  const schedule = { every: HOUR, anchorMs: anchor, maxSplayMs: HOUR / 10 };
  const first = nextSlot(schedule, 'host-6', 'q', anchor - 1);
  assert.ok(first >= anchor && first < anchor + HOUR / 10, `first slot ${first - anchor} ms after the anchor`);
  assert.equal(nextSlot(schedule, 'host-6', 'q', first), first + HOUR, 'then every period');
  assert.match(validateSchedule({ every: HOUR, maxSplayMs: 2 * HOUR })!.message, /splay/);

  // armed after the first slot went by (the anchor was taken, then time passed): runs at once
  const clock = new ManualClock(first + 5);
  const scheduler = new JobScheduler(clock, 'host-6');
  const runs: number[] = [];
  scheduler.add({ name: 'q', schedule, run: async () => { runs.push(clock.now()); } });
  scheduler.start();
  await clock.advance(0);
  assert.deepEqual(runs, [first + 5]);
  await clock.advance(HOUR);
  assert.deepEqual(runs, [first + 5, first + HOUR]);
  assert.equal(scheduler.states()[0]!.missedSlots, 0);
  await scheduler.stop();
});
