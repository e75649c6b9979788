/**
 * Scheduled queries end to end on a fixture root: differential results across runs and a
 * restart, snapshots, removed: false, decorators, the watchdog (time and row limits,
 * denylist) with the other queries going on, and pack-level discovery / platform.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventDraft, EventPublisher } from '../../core/event.js';
import { buildFixtureRoot, type FixtureRoot } from '../../../test/helpers/fixture-root.js';
import { loadScheduleConfig } from './pack-config.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';

class CollectingPublisher implements EventPublisher {
  events: EventDraft[] = [];
  async publish(e: EventDraft): Promise<void> { this.events.push(e); }
  take(): Array<Record<string, unknown>> { const out = this.events.map((e) => e.data); this.events = []; return out; }
}

let fixture: FixtureRoot;
let dir: string;
const passwd = (names: string[]) => names.map((n, i) => `${n}:x:${i === 0 ? 0 : 1000 + i}:${i === 0 ? 0 : 1000 + i}::/home/${n}:/bin/sh\n`).join('');

before(async () => {
  fixture = await buildFixtureRoot({ '/etc/passwd': passwd(['root', 'alice']), '/etc/hostname': 'fixture\n' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spyglass-schedule-'));
});
after(async () => {
  await fixture.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function scheduler(file: string, stateDir: string, publisher: EventPublisher, extra: Partial<SchedulerOptions> = {}): Scheduler {
  return new Scheduler({ config: loadScheduleConfig(file), stateDir, publisher, root: fixture.dir, hostIdentifier: 'test-host', ...extra });
}

const summarize = (events: Array<Record<string, unknown>>) =>
  events.map((e) => `${e.name} ${e.action} ${e.columns ? (e.columns as Record<string, string>).username : (e.snapshot as unknown[] | undefined)?.length ?? ''}`).sort();

test('differential results: added/removed across runs, snapshot, removed: false, and a restart emits only real changes', async () => {
  const pack = writeFile('accounts.conf', JSON.stringify({
    queries: {
      users: { query: 'SELECT username, uid FROM users;', interval: '3600' },
      users_snapshot: { query: 'SELECT username FROM users;', interval: 60, snapshot: true },
      users_added_only: { query: 'SELECT username FROM users;', interval: 60, removed: false },
    },
  }, null, 2));
  const stateDir = path.join(dir, 'state-diff');
  await fixture.add({ '/etc/passwd': passwd(['root', 'alice']) });
  const pub = new CollectingPublisher();
  let s = scheduler(pack, stateDir, pub);
  await s.runOnce();
  let events = pub.take();
  assert.deepEqual(summarize(events), [
    'pack_accounts_users added alice', 'pack_accounts_users added root',
    'pack_accounts_users_added_only added alice', 'pack_accounts_users_added_only added root',
    'pack_accounts_users_snapshot snapshot 2',
  ]);
  const first = events.find((e) => e.name === 'pack_accounts_users')!;
  assert.equal(first.hostIdentifier, 'test-host');
  assert.equal(first.counter, 0);
  assert.equal(first.epoch, 0);
  assert.match(String(first.calendarTime), /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4} UTC$/);
  assert.equal(typeof first.unixTime, 'number');
  assert.deepEqual(first.decorations, {});
  assert.deepEqual((events.find((e) => e.name === 'pack_accounts_users' && (e.columns as Record<string, string>).username === 'root'))!.columns, { uid: '0', username: 'root' }, 'values logged as strings, as osquery does');

  await fixture.add({ '/etc/passwd': passwd(['root', 'bob']) });
  await s.runOnce();
  events = pub.take();
  assert.deepEqual(summarize(events), [
    'pack_accounts_users added bob', 'pack_accounts_users removed alice',
    'pack_accounts_users_added_only added bob',
    'pack_accounts_users_snapshot snapshot 2',
  ]);
  assert.ok(events.filter((e) => e.name === 'pack_accounts_users').every((e) => e.counter === 1));
  await s.stop();

  // a new process with the same state directory: nothing changed, so only the snapshot
  s = scheduler(pack, stateDir, pub);
  await s.runOnce();
  events = pub.take();
  assert.deepEqual(summarize(events), ['pack_accounts_users_snapshot snapshot 2']);
  assert.equal(events[0]!.counter, 2);
  await fixture.add({ '/etc/passwd': passwd(['root', 'bob', 'carol']) });
  await s.runOnce();
  assert.deepEqual(summarize(pub.take()), ['pack_accounts_users added carol', 'pack_accounts_users_added_only added carol', 'pack_accounts_users_snapshot snapshot 3']);
  await s.stop();
});

test('watchdog: a runaway query is stopped, reported and held back; a row flood is cut; the rest goes on', async () => {
  const pack = writeFile('watchdog.json', JSON.stringify({
    queries: {
      a_runaway: { query: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c;', interval: 60 },
      b_flood: { query: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 5000) SELECT x FROM c;', interval: 60 },
      c_fine: { query: "SELECT username FROM users WHERE uid = 0;", interval: 60 },
      d_self: { query: 'SELECT name, denylisted, executions FROM spyglass_schedule ORDER BY name;', interval: 60, snapshot: true },
    },
  }));
  const pub = new CollectingPublisher();
  const s = scheduler(pack, path.join(dir, 'state-watchdog'), pub, { watchdog: { timeoutMs: 1500, maxRows: 1000, denylistSeconds: 600 } });
  const started = Date.now();
  const summary = await s.runOnce();
  assert.ok(Date.now() - started < 30_000, 'the runaway query did not hold the run up');
  assert.deepEqual(summary.errors.map((e) => `${e.name} ${e.code}`), ['pack_watchdog_a_runaway query_timeout', 'pack_watchdog_b_flood row_limit']);
  assert.deepEqual(summary.ran, ['pack_watchdog_c_fine', 'pack_watchdog_d_self']);
  const events = pub.take();
  const timeout = events.find((e) => e.name === 'pack_watchdog_a_runaway')!;
  assert.equal(timeout.action, 'error');
  assert.match(JSON.stringify(timeout.error), /wall-time limit/);
  const self = events.find((e) => e.name === 'pack_watchdog_d_self')!.snapshot as Array<Record<string, string>>;
  assert.deepEqual(self.find((r) => r.name === 'pack_watchdog_a_runaway'), { name: 'pack_watchdog_a_runaway', denylisted: '1', executions: '0' });
  assert.deepEqual(self.find((r) => r.name === 'pack_watchdog_c_fine'), { name: 'pack_watchdog_c_fine', denylisted: '0', executions: '1' });

  const second = await s.runOnce();
  assert.deepEqual(second.skipped.filter((x) => x.reason.startsWith('held back')).map((x) => x.name), ['pack_watchdog_a_runaway', 'pack_watchdog_b_flood']);
  assert.equal(second.errors.length, 0);
  await s.stop();
});

test('decorators (load, always, interval) decorate every event; discovery and platform gate packs', async () => {
  const config = writeFile('osquery.conf', JSON.stringify({
    options: { schedule_epoch: 7 },
    decorators: {
      load: ['SELECT hostname AS decorated_host FROM system_info;'],
      always: ["SELECT 'yes' AS always_there;"],
      interval: { '3600': ['SELECT count(*) AS user_count FROM users;'] },
    },
    schedule: { root_user: { query: 'SELECT username FROM users WHERE uid = 0;', interval: 60 } },
    packs: {
      present: { discovery: ["SELECT 1 FROM users WHERE username = 'root'; -- osquery packs end statements with ;", 'SELECT username FROM users'], queries: { q: { query: 'SELECT 1 AS one;', interval: 60 } } },
      absent: { discovery: ["SELECT 1 FROM users WHERE username = 'nobody-here';"], queries: { q: { query: 'SELECT 2 AS two;', interval: 60 } } },
      mac: { platform: 'darwin', queries: { q: { query: 'SELECT 3;', interval: 60 } } },
    },
  }));
  await fixture.add({ '/etc/passwd': passwd(['root', 'dave', 'erin']) });
  const pub = new CollectingPublisher();
  const s = scheduler(config, path.join(dir, 'state-deco'), pub);
  const summary = await s.runOnce();
  assert.deepEqual(summary.ran.sort(), ['pack_present_q', 'root_user']);
  assert.match(summary.skipped.find((x) => x.name === 'pack_absent_q')!.reason, /discovery query returned no rows/);
  assert.match(summary.skipped.find((x) => x.name === 'pack_mac_q')!.reason, /platform darwin/);
  const events = pub.take();
  assert.equal(events.length, 2);
  for (const e of events) {
    assert.deepEqual(e.decorations, { decorated_host: 'fixture', always_there: 'yes', user_count: '3' });
    assert.equal(e.epoch, 7);
  }
  await s.stop();
});

test('on timers, a run that fails outside the query is reported to onError, not thrown', async () => {
  await fixture.add({ '/etc/passwd': passwd(['root']) });
  const pack = writeFile('refused.json', JSON.stringify({ queries: { r: { query: 'SELECT 1 AS one;', interval: 1 } } }));
  const failures: string[] = [];
  const s = scheduler(pack, path.join(dir, 'state-refused'), { async publish() { throw new Error('spool full'); } }, { onError: (name, err) => failures.push(`${name}: ${err.message}`) });
  const started = Date.now();
  s.start();
  while (failures.length < 1 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 100));
  await s.stop();
  assert.equal(failures[0], 'pack_refused_r: spool full');
});

test('start() runs each query on its interval (with splay) until stop()', async () => {
  await fixture.add({ '/etc/passwd': passwd(['root']) });
  const pack = writeFile('ticking.json', JSON.stringify({ queries: { tick: { query: 'SELECT username FROM users;', interval: 1, snapshot: true } } }));
  const pub = new CollectingPublisher();
  const s = scheduler(pack, path.join(dir, 'state-tick'), pub);
  const started = Date.now();
  s.start();
  while (pub.events.length < 3 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 100));
  const elapsed = (Date.now() - started) / 1000;
  await s.stop();
  const events = pub.take();
  assert.ok(events.length >= 3, `${events.length} runs in ${elapsed} s of a 1 s interval`);
  assert.ok(events.length <= elapsed + 2, `no more runs than the interval allows: ${events.length} in ${elapsed} s`);
  assert.deepEqual(events.map((e) => e.counter), events.map((_, i) => i), 'one counter step per run');
});

test('a publisher that refuses events: that query reports an error and sends its rows again next run; the others go on', async () => {
  await fixture.add({ '/etc/passwd': passwd(['root']) });
  const pack = writeFile('flaky.json', JSON.stringify({ queries: { a: { query: "SELECT 'a' AS q;", interval: 60 }, b: { query: "SELECT 'b' AS q;", interval: 60 } } }));
  const accepted: Array<Record<string, unknown>> = [];
  let refuseA = true;
  const publisher: EventPublisher = {
    async publish(e) {
      if (refuseA && e.source === 'pack_flaky_a') throw new Error('spool full');
      accepted.push(e.data);
    },
  };
  const s = scheduler(pack, path.join(dir, 'state-flaky'), publisher);
  const first = await s.runOnce();
  assert.deepEqual(first.errors.map((e) => e.name), ['pack_flaky_a']);
  assert.deepEqual(accepted.map((e) => e.name), ['pack_flaky_b']);
  refuseA = false;
  await s.runOnce();
  assert.deepEqual(accepted.map((e) => `${e.name} ${e.action}`), ['pack_flaky_b added', 'pack_flaky_a added'], 'a sends its rows again; b has no changes');
  await s.stop();
});
