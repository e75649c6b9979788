/**
 * The scheduler's state on disk: one SQLite file (`<stateDir>/query-state.db`, WAL mode) with
 * the previous result set of each scheduled query (for differential results across runs and
 * restarts), its run counter and epoch, the denylist, and per-query run statistics.
 *
 * Rows are stored as canonical JSON (keys sorted, values as osquery logs them: strings), so
 * two result sets compare as multisets of strings. A result set is replaced in one
 * transaction after its events are published; a crash in between re-emits that run's
 * differences on the next run rather than losing them (at least once, as osquery).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SpyglassError } from '../../core/errors.js';
import type { ScheduledQueryStats } from '../runtime-info.js';

export interface StoredResults {
  epoch: number;
  /** how many times the query has run in this epoch */
  counter: number;
  rows: string[];
}

export interface QueryRunStats {
  name: string;
  query: string;
  interval: number;
  executions: number;
  lastExecuted: number;
  wallTimeMs: number;
  lastWallTimeMs: number;
  outputSize: number;
}

export class StateStore {
  private readonly db: Database.Database;

  constructor(readonly stateDir: string) {
    try {
      fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      this.db = new Database(path.join(stateDir, 'query-state.db'));
    } catch (err) {
      throw new SpyglassError('state_store', `cannot open the query state store in ${stateDir}: ${(err as Error).message}`, { path: stateDir });
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS results (name TEXT PRIMARY KEY, epoch INTEGER NOT NULL, counter INTEGER NOT NULL, rows TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS denylist (name TEXT PRIMARY KEY, until INTEGER NOT NULL, reason TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS stats (name TEXT PRIMARY KEY, query TEXT NOT NULL, interval INTEGER NOT NULL, executions INTEGER NOT NULL,
        last_executed INTEGER NOT NULL, wall_time_ms INTEGER NOT NULL, last_wall_time_ms INTEGER NOT NULL, output_size INTEGER NOT NULL);
    `);
  }

  previous(name: string): StoredResults | undefined {
    const r = this.db.prepare('SELECT epoch, counter, rows FROM results WHERE name = ?').get(name) as { epoch: number; counter: number; rows: string } | undefined;
    return r ? { epoch: r.epoch, counter: r.counter, rows: JSON.parse(r.rows) as string[] } : undefined;
  }

  saveResults(name: string, results: StoredResults): void {
    this.db.prepare('INSERT INTO results (name, epoch, counter, rows) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET epoch = excluded.epoch, counter = excluded.counter, rows = excluded.rows')
      .run(name, results.epoch, results.counter, JSON.stringify(results.rows));
  }

  /** Seconds-since-epoch until which the query is held back, if it is. */
  deniedUntil(name: string, now: number): { until: number; reason: string } | undefined {
    const r = this.db.prepare('SELECT until, reason FROM denylist WHERE name = ?').get(name) as { until: number; reason: string } | undefined;
    if (!r) return undefined;
    if (r.until <= now) {
      this.db.prepare('DELETE FROM denylist WHERE name = ?').run(name);
      return undefined;
    }
    return r;
  }

  deny(name: string, until: number, reason: string): void {
    this.db.prepare('INSERT INTO denylist (name, until, reason) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET until = excluded.until, reason = excluded.reason').run(name, until, reason);
  }

  recordRun(s: { name: string; query: string; interval: number; at: number; wallTimeMs: number; outputSize: number }): void {
    this.db.prepare(`INSERT INTO stats (name, query, interval, executions, last_executed, wall_time_ms, last_wall_time_ms, output_size)
      VALUES (@name, @query, @interval, 1, @at, @wallTimeMs, @wallTimeMs, @outputSize)
      ON CONFLICT(name) DO UPDATE SET query = excluded.query, interval = excluded.interval, executions = executions + 1,
        last_executed = excluded.last_executed, wall_time_ms = wall_time_ms + excluded.wall_time_ms,
        last_wall_time_ms = excluded.last_wall_time_ms, output_size = output_size + excluded.output_size`).run(s);
  }

  allStats(): QueryRunStats[] {
    return (this.db.prepare('SELECT * FROM stats ORDER BY name').all() as Array<Record<string, number | string>>).map((r) => ({
      name: String(r.name), query: String(r.query), interval: Number(r.interval), executions: Number(r.executions),
      lastExecuted: Number(r.last_executed), wallTimeMs: Number(r.wall_time_ms), lastWallTimeMs: Number(r.last_wall_time_ms), outputSize: Number(r.output_size),
    }));
  }

  close(): void {
    this.db.close();
  }
}

/**
 * The spyglass_schedule rows recorded in a state directory, read-only (for `spyglass query
 * --state-dir` outside the agent); [] when there is no store there.
 */
export function readScheduleStats(stateDir: string, now = Math.floor(Date.now() / 1000)): ScheduledQueryStats[] {
  const file = path.join(stateDir, 'query-state.db');
  if (!fs.existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const denied = new Set((db.prepare('SELECT name FROM denylist WHERE until > ?').all(now) as Array<{ name: string }>).map((r) => r.name));
    return (db.prepare('SELECT * FROM stats ORDER BY name').all() as Array<Record<string, number | string>>).map((r) => ({
      name: String(r.name), query: String(r.query), interval: Number(r.interval), executions: Number(r.executions),
      last_executed: Number(r.last_executed), denylisted: denied.has(String(r.name)) ? 1 : 0, output_size: Number(r.output_size),
      wall_time: Math.round(Number(r.wall_time_ms) / 1000), wall_time_ms: Number(r.wall_time_ms), last_wall_time_ms: Number(r.last_wall_time_ms),
      user_time: 0, last_user_time: 0, system_time: 0, last_system_time: 0, average_memory: 0, last_memory: 0,
    }));
  } finally {
    db.close();
  }
}
