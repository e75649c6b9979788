/**
 * Scheduled queries with osquery's differential results.
 *
 * For each query that applies to this host (platform, version, shard, pack discovery), a run
 * is: the query in the worker under the watchdog -> its rows in osquery's log form -> compared
 * with the previous set from the state store -> events published (kind 'query'):
 *   - differential (default): one event per row, `action` "added" or "removed" (no removed
 *     ones with `removed: false`); the first run in an epoch reports every row as added;
 *   - `snapshot: true`: one event with the whole set in `snapshot`, `action` "snapshot".
 * Every event carries osquery's fields: name, hostIdentifier, calendarTime, unixTime, epoch,
 * counter, numerics, decorations. A query over its time or row limit is stopped, reported as an
 * event with `action` "error", and held back (denylisted) for `denylistSeconds`; the other
 * queries go on. The new set is stored after its events are accepted by the publisher.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import { toSpyglassError } from '../../core/errors.js';
import type { EventPublisher } from '../../core/event.js';
import { systemClock, type Clock } from '../../core/scheduler/clock.js';
import { JobScheduler, type JobDefinition, type JobState } from '../../core/scheduler/job-scheduler.js';
import { settledWithin } from '../../core/settled-within.js';
import type { QueryResult } from '../engine.js';
import { osqueryTimestamp } from '../tables/time.js';
import { runtimeInfo, setScheduleStats, type ScheduledQueryStats } from '../runtime-info.js';
import { significantTokens } from '../sql-tokens.js';
import { canonicalRow, diffRows, logRow } from './differential.js';
import { platformMatches, versionSatisfied, type Pack, type ScheduleConfig, type ScheduledQuery } from './pack-config.js';
import { DEFAULT_RUN_LIMITS, QueryRunner, type RunLimits } from './query-runner.js';
import { StateStore } from './state-store.js';

export interface WatchdogOptions {
  /** wall-time limit per query run (default 60 s) */
  timeoutMs: number;
  /** result rows allowed per run (default 100 000) */
  maxRows: number;
  /** how long a query over a limit is held back (default 24 h, osquery's denylist duration) */
  denylistSeconds: number;
}

export const DEFAULT_WATCHDOG: WatchdogOptions = { ...DEFAULT_RUN_LIMITS, denylistSeconds: 86_400 };

export interface SchedulerOptions {
  config: ScheduleConfig;
  stateDir: string;
  publisher: EventPublisher;
  /** host root the tables read (default "/") */
  root?: string;
  /** osquery's host_identifier (default: the host name) */
  hostIdentifier?: string;
  watchdog?: Partial<WatchdogOptions>;
  /** the time events carry (tests; default: the clock's time) */
  now?: () => Date;
  /** when start() runs each query (tests move a ManualClock by hand; default: the system clock) */
  clock?: Clock;
  /**
   * Told about a run that failed outside the query itself (the publisher refused its events,
   * the state store could not be written) when running on timers (start()); runOnce() reports
   * those in its summary instead. Default: a line on stderr.
   */
  onError?: (queryName: string, error: Error) => void;
}

export interface RunSummary {
  ran: string[];
  skipped: Array<{ name: string; reason: string }>;
  errors: Array<{ name: string; code: string; message: string }>;
  events: number;
}

export class Scheduler {
  private readonly store: StateStore;
  private readonly runner: QueryRunner;
  private readonly watchdog: WatchdogOptions;
  private readonly host: string;
  private readonly now: () => Date;
  private decorations: Record<string, string> = {};
  private loadDecorationsDone = false;
  private readonly intervalDecorations = new Map<string, Record<string, string>>();
  /** seconds since start() when each interval decorator group last ran */
  private readonly intervalDecoratedAt = new Map<string, number>();
  private readonly clock: Clock;
  /** runs each query as a job once start() is called */
  private jobs: JobScheduler | undefined;
  /** runs started by the job scheduler, waited for (bounded) before the state store closes */
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly options: SchedulerOptions) {
    this.store = new StateStore(options.stateDir);
    this.runner = new QueryRunner(options.root ?? '/');
    this.watchdog = { ...DEFAULT_WATCHDOG, ...options.watchdog };
    this.host = options.hostIdentifier ?? os.hostname();
    this.clock = options.clock ?? systemClock;
    this.now = options.now ?? (() => new Date(this.clock.now()));
    runtimeInfo.configHash = crypto.createHash('sha1').update(options.config.files.join('\n')).digest('hex');
    runtimeInfo.configValid = options.config.problems.length === 0 ? 1 : 0;
    this.publishStats();
  }

  /** osquery's machine shard: 1-100 from the host identifier; a query with shard N runs where shard <= N. */
  get machineShard(): number {
    return (crypto.createHash('sha1').update(this.host).digest().readUInt32BE(0) % 100) + 1;
  }

  /** Every query that applies to this host, with the reason for those that do not. */
  private plan(): { run: ScheduledQuery[]; packs: Pack[]; skipped: RunSummary['skipped'] } {
    const skipped: RunSummary['skipped'] = [];
    const run: ScheduledQuery[] = [];
    const packs: Pack[] = [];
    const shardOk = (s: number | undefined) => !s || s >= this.machineShard;
    for (const q of this.options.config.schedule) {
      const why = this.queryCheck(q);
      if (why) skipped.push({ name: q.name, reason: why }); else run.push(q);
    }
    for (const p of this.options.config.packs) {
      const why = !platformMatches(p.platform) ? `pack platform ${p.platform}` : !versionSatisfied(p.version) ? `pack needs osquery ${p.version}` : !shardOk(p.shard) ? `pack shard ${p.shard}` : undefined;
      if (why) { for (const q of p.queries) skipped.push({ name: q.name, reason: why }); continue; }
      packs.push(p);
    }
    return { run, packs, skipped };
  }

  /** Runs every applicable query once (what `spyglass schedule run` does). */
  async runOnce(): Promise<RunSummary> {
    const summary: RunSummary = { ran: [], skipped: [], errors: [], events: 0 };
    const { run, packs, skipped } = this.plan();
    summary.skipped.push(...skipped);
    await this.refreshDecorations(undefined);
    const queries = [...run];
    for (const p of packs) {
      const active = await this.discoveryPasses(p);
      if (active === true) { queries.push(...p.queries.filter((q) => { const why = this.queryCheck(q); if (why) summary.skipped.push({ name: q.name, reason: why }); return !why; })); continue; }
      for (const q of p.queries) summary.skipped.push({ name: q.name, reason: active });
    }
    for (const q of queries) {
      try {
        await this.runQuery(q, summary);
      } catch (err) {
        // the publisher refused (spool full, closed): this query's state is not saved, so its
        // differences are sent again next run; the other queries go on
        const e = toSpyglassError(err, 'publish_failed');
        summary.errors.push({ name: q.name, code: e.code, message: e.message });
      }
    }
    return summary;
  }

  private queryCheck(q: ScheduledQuery): string | undefined {
    if (!platformMatches(q.platform)) return `platform ${q.platform}`;
    if (!versionSatisfied(q.version)) return `needs osquery ${q.version}`;
    if (q.shard && q.shard < this.machineShard) return `shard ${q.shard} (this host is ${this.machineShard})`;
    return undefined;
  }

  /** osquery: a pack runs only when every discovery query returns at least one row. */
  private async discoveryPasses(p: Pack): Promise<true | string> {
    for (const sql of p.discovery) {
      try {
        // only "any row?" matters: stop at the first one
        const r = await this.runner.run(`SELECT 1 FROM (${withoutTrailingSemicolons(sql)}\n) LIMIT 1`, this.limits());
        if (r.rows.length === 0) return `discovery query returned no rows: ${sql}`;
      } catch (err) {
        return `discovery query failed (${toSpyglassError(err).message}): ${sql}`;
      }
    }
    return true;
  }

  private limits(): RunLimits {
    return { timeoutMs: this.watchdog.timeoutMs, maxRows: this.watchdog.maxRows };
  }

  /** Runs one scheduled query and publishes its events. */
  async runQuery(q: ScheduledQuery, summary: RunSummary = { ran: [], skipped: [], errors: [], events: 0 }): Promise<RunSummary> {
    const now = this.now();
    const unixTime = Math.floor(now.getTime() / 1000);
    const denied = this.store.deniedUntil(q.name, unixTime);
    if (denied) {
      summary.skipped.push({ name: q.name, reason: `held back until ${new Date(denied.until * 1000).toISOString()} (${denied.reason})` });
      return summary;
    }
    const started = performance.now();
    let result: QueryResult;
    try {
      result = await this.runner.run(q.query, this.limits(), this.scheduleRows());
    } catch (err) {
      if (this.stopped) return summary; // the worker was stopped with the scheduler, not by this query
      const e = toSpyglassError(err, 'query_error');
      const overLimit = e.code === 'query_timeout' || e.code === 'row_limit';
      if (overLimit && q.denylist) this.store.deny(q.name, unixTime + this.watchdog.denylistSeconds, e.message);
      summary.errors.push({ name: q.name, code: e.code, message: e.message });
      await this.publish(q, now, { action: 'error', error: { code: e.code, message: e.message, ...(overLimit && q.denylist ? { denylistedUntil: unixTime + this.watchdog.denylistSeconds } : {}) } });
      summary.events++;
      return summary;
    }
    // stop() came while the query ran: leave its state as it was; the next start re-runs it
    if (this.stopped) return summary;
    const wallMs = Math.round(performance.now() - started);
    const names = result.columns.map((c) => c.name);
    const rows = result.rows.map((r) => logRow(names, r));
    const canonical = rows.map(canonicalRow);
    const epoch = this.options.config.epoch;
    const prev = this.store.previous(q.name);
    const fresh = !prev || prev.epoch !== epoch;
    const counter = fresh ? 0 : prev.counter + 1;
    const base = { epoch, counter };
    let outputSize = 0;
    if (q.snapshot) {
      outputSize += await this.publish(q, now, { ...base, snapshot: rows, action: 'snapshot' });
      summary.events++;
    } else {
      const { added, removed } = diffRows(fresh ? [] : prev.rows, canonical);
      for (const r of added) { outputSize += await this.publish(q, now, { ...base, columns: JSON.parse(r) as Record<string, string>, action: 'added' }); summary.events++; }
      if (q.removed) for (const r of removed) { outputSize += await this.publish(q, now, { ...base, columns: JSON.parse(r) as Record<string, string>, action: 'removed' }); summary.events++; }
    }
    this.store.saveResults(q.name, { epoch, counter, rows: canonical });
    this.store.recordRun({ name: q.name, query: q.query, interval: q.interval, at: unixTime, wallTimeMs: wallMs, outputSize });
    for (const w of result.warnings) summary.skipped.push({ name: q.name, reason: `warning: ${w}` });
    this.publishStats();
    summary.ran.push(q.name);
    return summary;
  }

  /** Publishes one osquery-shaped log item; returns its size in bytes (osquery's output_size). */
  private async publish(q: ScheduledQuery, at: Date, fields: Record<string, unknown>): Promise<number> {
    const data = {
      name: q.name,
      hostIdentifier: this.host,
      calendarTime: osqueryTimestamp(at),
      unixTime: Math.floor(at.getTime() / 1000),
      epoch: this.options.config.epoch,
      counter: 0,
      numerics: false,
      decorations: this.currentDecorations(),
      ...fields,
    };
    await this.options.publisher.publish({ kind: 'query', source: q.name, time: at, data });
    return Buffer.byteLength(JSON.stringify(data));
  }

  private currentDecorations(): Record<string, string> {
    const merged: Record<string, string> = { ...this.decorations };
    for (const d of this.intervalDecorations.values()) Object.assign(merged, d);
    return merged;
  }

  /**
   * osquery's decorators: `load` queries run once, `always` before every run, `interval`
   * ones every N seconds (on the first call, then when N seconds have passed since they last
   * ran; `elapsedSeconds` undefined means a one-off run, which refreshes them all). The
   * first row of each adds its columns to every event's `decorations`.
   */
  async refreshDecorations(elapsedSeconds: number | undefined): Promise<void> {
    const d = this.options.config.decorators;
    const run = async (sql: string): Promise<Record<string, string>> => {
      try {
        const r = await this.runner.run(sql, this.limits());
        const first = r.rows[0];
        return first ? logRow(r.columns.map((c) => c.name), first) : {};
      } catch {
        return {}; // a failing decorator leaves its columns out, as in osquery
      }
    };
    const fromLoad: Record<string, string> = {};
    if (!this.loadDecorationsDone) {
      for (const sql of d.load) Object.assign(fromLoad, await run(sql));
      this.loadDecorationsDone = true;
      this.loadDecorations = fromLoad;
    }
    const always: Record<string, string> = {};
    for (const sql of d.always) Object.assign(always, await run(sql));
    this.decorations = { ...this.loadDecorations, ...always };
    for (const [seconds, queries] of Object.entries(d.interval)) {
      const n = Number(seconds);
      const last = this.intervalDecoratedAt.get(seconds);
      if (elapsedSeconds !== undefined && last !== undefined && (n <= 0 || elapsedSeconds - last < n)) continue;
      this.intervalDecoratedAt.set(seconds, elapsedSeconds ?? 0);
      const got: Record<string, string> = {};
      for (const sql of queries) Object.assign(got, await run(sql));
      this.intervalDecorations.set(seconds, got);
    }
  }
  private loadDecorations: Record<string, string> = {};

  /** Every applicable query (what start() schedules). */
  queries(): ScheduledQuery[] {
    const { run, packs } = this.plan();
    return [...run, ...packs.flatMap((p) => p.queries.filter((q) => !this.queryCheck(q)))];
  }

  /**
   * Runs each query every `interval` seconds until stop(), each as a job on the job scheduler
   * (src/core/scheduler), so a query never runs twice at once (a slot that comes while it
   * still runs is skipped) and slots missed while the machine slept are folded into one run.
   * Intervals count from the start, as they always have here (the first run comes within the
   * splay, not up to a whole interval later), and each query is splayed by up to 10% of its
   * interval, osquery's default splay percentage; the splay comes from the host and the query,
   * so it is stable across restarts. Discovery is re-checked before each run of a pack query.
   */
  start(): void {
    if (this.jobs || this.stopped) return;
    const startedAt = this.clock.now();
    const packOf = new Map(this.options.config.packs.flatMap((p) => p.queries.map((q) => [q.name, p] as const)));
    this.jobs = new JobScheduler(this.clock, this.host);
    const names = new Map<string, number>();
    for (const q of this.queries()) {
      // two files of the agent's schedule may name a query alike: both run, as before
      const seen = (names.get(q.name) ?? 0) + 1;
      names.set(q.name, seen);
      const tick = async () => {
        if (this.stopped) return;
        try {
          const elapsed = Math.round((this.clock.now() - startedAt) / 1000);
          await this.refreshDecorations(elapsed);
          const pack = packOf.get(q.name);
          if (pack && (await this.discoveryPasses(pack)) !== true) return;
          await this.runQuery(q);
        } catch (err) {
          const e = toSpyglassError(err, 'query_run_failed');
          if (this.options.onError) this.options.onError(q.name, e);
          else process.stderr.write(`spyglass: scheduled query ${q.name}: ${e.message}\n`);
        }
      };
      this.jobs.add(queryJob(seen === 1 ? q.name : `${q.name}#${seen}`, q.interval, startedAt, () => this.track(tick())));
    }
    this.jobs.start();
  }

  /** Each query's job: runs, overlap skips and missed slots (empty before start()). */
  jobStates(): JobState[] {
    return this.jobs?.states() ?? [];
  }

  private track(run: Promise<void>): Promise<void> {
    this.inFlight.add(run);
    return run.finally(() => this.inFlight.delete(run));
  }

  private scheduleRows(): ScheduledQueryStats[] {
    return [...runtimeInfo.schedule.values()];
  }

  /** Fills spyglass_schedule from the stored statistics. */
  private publishStats(): void {
    const stats = new Map(this.store.allStats().map((s) => [s.name, s]));
    const now = Math.floor(this.now().getTime() / 1000);
    const all = [...this.options.config.schedule, ...this.options.config.packs.flatMap((p) => p.queries)];
    setScheduleStats(all.map((q) => {
      const s = stats.get(q.name);
      return {
        name: q.name, query: q.query, interval: q.interval,
        executions: s?.executions ?? 0, last_executed: s?.lastExecuted ?? 0,
        denylisted: this.store.deniedUntil(q.name, now) ? 1 : 0,
        output_size: s?.outputSize ?? 0,
        wall_time: Math.round((s?.wallTimeMs ?? 0) / 1000), wall_time_ms: s?.wallTimeMs ?? 0, last_wall_time_ms: s?.lastWallTimeMs ?? 0,
        user_time: 0, last_user_time: 0, system_time: 0, last_system_time: 0, average_memory: 0, last_memory: 0,
      };
    }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.jobs?.stop(0);
    // the runner finishes (or times out) the query in hand; a run that was publishing ends
    // before its state store closes
    await this.runner.close();
    await settledWithin(this.inFlight, STOP_GRACE_MS);
    this.store.close();
  }

  /** Workers started so far (1 + one per stopped runaway query). */
  get workersStarted(): number {
    return this.runner.workersStarted;
  }
}


/** How long stop() waits for a run that is publishing its events before closing the state. */
const STOP_GRACE_MS = 10_000;

/**
 * One scheduled query as a job: every `interval` seconds from `startedAt`, splayed by up to
 * 10% of the interval (osquery's default schedule_splay_percent; osquery varies the interval
 * itself, this keeps the interval exact and offsets it, as the query schedule did before).
 * An interval under a second runs every second, the job scheduler's resolution.
 */
function queryJob(name: string, intervalSeconds: number, startedAt: number, run: () => Promise<void>): JobDefinition {
  const every = Math.max(1, intervalSeconds) * 1000;
  return { name, schedule: { every, anchorMs: startedAt, maxSplayMs: Math.floor(every / 10) }, run };
}

/** The statement up to its last meaningful token: no trailing `;` or comments (to nest it). */
function withoutTrailingSemicolons(sql: string): string {
  const tokens = significantTokens(sql);
  while (tokens.at(-1)?.type === 'semicolon') tokens.pop();
  return sql.slice(0, tokens.at(-1)?.end ?? 0);
}
