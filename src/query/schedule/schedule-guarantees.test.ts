/**
 * start() runs each query as a job on the job scheduler (src/core/scheduler), so scheduled
 * queries get its guarantees: a query that runs past its next slot is not started again
 * beside itself, slots missed while the machine slept are folded into one run, and each
 * query's first run comes within 10% of its interval after the start. Time is a ManualClock;
 * the queries themselves run in the real worker.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventDraft, EventPublisher } from '../../core/event.js';
import { ManualClock } from '../../core/scheduler/clock.js';
import { buildFixtureRoot, type FixtureRoot } from '../../../test/helpers/fixture-root.js';
import { loadScheduleConfig } from './pack-config.js';
import { Scheduler } from './scheduler.js';

class CollectingPublisher implements EventPublisher {
  events: EventDraft[] = [];
  async publish(e: EventDraft): Promise<void> { this.events.push(e); }
}

let fixture: FixtureRoot;
let dir: string;
const START = Date.UTC(2025, 0, 6, 12, 0, 0);

before(async () => {
  fixture = await buildFixtureRoot({ '/etc/passwd': 'root:x:0:0::/root:/bin/sh\n' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-schedule-guarantees-'));
});
after(async () => {
  await fixture.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

function scheduler(name: string, queries: Record<string, unknown>, publisher: EventPublisher, clock: ManualClock): Scheduler {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ queries }));
  return new Scheduler({ config: loadScheduleConfig(file), stateDir: path.join(dir, `state-${name}`), publisher, root: fixture.dir, hostIdentifier: 'test-host', clock });
}

/** Waits in real time for the worker to finish what the manual clock started. */
async function until(what: string, done: () => boolean, ms = 30_000): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > ms) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Long enough (hundreds of ms in SQLite) that several manual intervals pass while it runs.
const SLOW_QUERY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000000) SELECT count(*) AS n FROM c;';

test('a query still running at its next slots is not started again beside itself; the slots are counted as skipped', async () => {
  const clock = new ManualClock(START);
  const pub = new CollectingPublisher();
  const s = scheduler('slow', { slow: { query: SLOW_QUERY, interval: 1, snapshot: true } }, pub, clock);
  s.start();
  await clock.advance(1000); // the first slot (within 100 ms of the start): the run begins
  assert.equal(s.jobStates()[0]!.running, true);
  await clock.advance(3000); // three more slots go by while the query is still in the worker
  const during = s.jobStates()[0]!;
  assert.equal(during.running, true);
  assert.equal(during.overlapSkips, 3, 'each slot that came during the run was skipped');
  await until('the slow run', () => pub.events.length >= 1 && !s.jobStates()[0]!.running);
  assert.equal(pub.events.length, 1, 'one run, not one per slot');
  await clock.advance(1000);
  await until('the next run', () => pub.events.length >= 2 && !s.jobStates()[0]!.running);
  assert.deepEqual(pub.events.map((e) => e.data.counter), [0, 1], 'the next slot runs it again, once');
  await s.stop();
});

test('slots missed while the machine slept are folded into one run, then the query is back on its interval', async () => {
  const clock = new ManualClock(START);
  const pub = new CollectingPublisher();
  const s = scheduler('sleepy', { users: { query: 'SELECT username FROM users;', interval: 1, snapshot: true } }, pub, clock);
  s.start();
  await clock.advance(1000);
  await until('the first run', () => pub.events.length >= 1 && !s.jobStates()[0]!.running);
  await clock.jump(10_000); // suspended for ten intervals
  await until('the run after the wake-up', () => pub.events.length >= 2 && !s.jobStates()[0]!.running);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(pub.events.length, 2, 'ten missed slots give one run');
  const state = s.jobStates()[0]!;
  assert.ok(state.missedSlots >= 9 && state.missedSlots <= 10, `missed ${state.missedSlots}`);
  assert.ok(state.nextDue! > clock.now() && state.nextDue! <= clock.now() + 1000, 'the next slot is one interval away at most');
  await clock.advance(1000);
  await until('the run on the interval again', () => pub.events.length >= 3 && !s.jobStates()[0]!.running);
  assert.deepEqual(pub.events.map((e) => e.data.counter), [0, 1, 2]);
  await s.stop();
});

test('each query runs first within 10% of its interval after the start, at a splay stable for the host', async () => {
  const queries = { hourly: { query: 'SELECT 1 AS one;', interval: 3600 }, minutely: { query: 'SELECT 2 AS two;', interval: '60' } };
  const firstDue = async (clock: ManualClock) => {
    const s = scheduler('splay', queries, new CollectingPublisher(), clock);
    s.start();
    const due = Object.fromEntries(s.jobStates().map((j) => [j.name, j.nextDue! - clock.now()]));
    await s.stop();
    return due;
  };
  const due = await firstDue(new ManualClock(START));
  assert.ok(due.pack_splay_hourly! >= 0 && due.pack_splay_hourly! < 360_000, `hourly first due after ${due.pack_splay_hourly} ms`);
  assert.ok(due.pack_splay_minutely! >= 0 && due.pack_splay_minutely! < 6_000, `minutely first due after ${due.pack_splay_minutely} ms`);
  assert.deepEqual(await firstDue(new ManualClock(START + 12_345_678)), due, 'a restart keeps each query\'s splay');
});
