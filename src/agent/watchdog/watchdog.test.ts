import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CpuGovernor } from './cpu-governor.js';
import { MemoryWatchdog } from './memory-watchdog.js';

test('the CPU governor lets a burst through, then paces a busy loop down to its share', async () => {
  let wall = 0;
  let cpu = 0; // ms
  const governor = new CpuGovernor({
    share: 0.1,
    burstMs: 3_000,
    now: () => wall,
    cpuMicros: () => cpu * 1000,
    sleep: async (ms) => { wall += ms; },
  });
  // A loop that burns 100 ms of CPU per 100 ms of wall time when it is not paced.
  const history: Array<{ wall: number; cpu: number }> = [{ wall: 0, cpu: 0 }];
  for (let i = 0; i < 600; i++) {
    wall += 100;
    cpu += 100;
    await governor.pace();
    history.push({ wall, cpu });
  }
  // Over every minute of the run, at most 10% of a core plus the 3 s burst at 10% (300 ms),
  // plus one 100 ms step of slack.
  for (const start of history) {
    const end = [...history].reverse().find((h) => h.wall <= start.wall + 60_000)!;
    assert.ok(end.cpu - start.cpu <= 6_000 + 300 + 100, `${end.cpu - start.cpu} ms of CPU in the minute from ${start.wall}`);
  }
  const share = cpu / wall;
  assert.ok(share > 0.05, `paced too hard: ${(share * 100).toFixed(1)}%`);
  assert.ok(governor.throttledMs > 0);
});

test('the CPU governor never sleeps while under budget', async () => {
  let wall = 0;
  let cpu = 0;
  let slept = 0;
  const governor = new CpuGovernor({ share: 0.5, now: () => wall, cpuMicros: () => cpu * 1000, sleep: async (ms) => { slept += ms; } });
  for (let i = 0; i < 100; i++) { wall += 100; cpu += 10; await governor.pace(); }
  assert.equal(slept, 0);
});

test('the memory watchdog stops the job that grew the most, only when over the limit', () => {
  let rss = 150e6;
  const stopped: string[] = [];
  const dog = new MemoryWatchdog({
    limitBytes: 200e6,
    rss: () => rss,
    runningJobs: () => [{ name: 'audit', rssAtStart: 140e6 }, { name: 'queries', rssAtStart: 60e6 }],
    stopJob: (name, reason) => stopped.push(`${name}: ${reason}`),
  });
  assert.equal(dog.check(), undefined);
  rss = 260e6;
  assert.equal(dog.check(), 'queries');
  assert.match(stopped[0]!, /queries: agent RSS 248 MB over the 191 MB limit/);
  assert.equal(dog.stops, 1);
});
