/**
 * Scheduled queries in the agent: the configured packs (osquery JSON or YAML, paths absolute
 * or relative to the active profile set, else to the shipped packs/) merged into one schedule
 * and run by the query scheduler, which keeps each query's own interval, splay, differential
 * state and watchdog, and runs each query as a job on the job scheduler (src/core/scheduler). The inventory job runs its snapshot queries through the same machinery.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { formatError } from '../../core/errors.js';
import { packageRoot } from '../../audit/profile/shipped-profiles.js';
import { loadScheduleConfig, type ScheduleConfig } from '../../query/schedule/pack-config.js';
import { Scheduler as QueryScheduler } from '../../query/schedule/scheduler.js';
import type { AgentContext, JobProvider } from '../agent-context.js';
import { scheduledJob } from './job-schedule.js';

/** Finds a pack: as given when absolute, else in the active profile set, else in the shipped packs/. */
export async function resolvePackFile(ctx: AgentContext, file: string): Promise<string> {
  if (path.isAbsolute(file)) return file;
  const inSet = path.join(await ctx.profileDir(), file);
  if (existsSync(inSet)) return inSet;
  return path.join(packageRoot(), 'packs', file);
}

/** One schedule from several pack or osquery config files; a broken file is reported and left out. */
export async function loadPacks(ctx: AgentContext, files: string[]): Promise<ScheduleConfig> {
  const merged: ScheduleConfig = { packs: [], schedule: [], decorators: { load: [], always: [], interval: {} }, epoch: 0, problems: [], files: [] };
  for (const file of files) {
    try {
      const one = loadScheduleConfig(await resolvePackFile(ctx, file));
      merged.packs.push(...one.packs);
      merged.schedule.push(...one.schedule);
      merged.decorators.load.push(...one.decorators.load);
      merged.decorators.always.push(...one.decorators.always);
      for (const [interval, queries] of Object.entries(one.decorators.interval)) (merged.decorators.interval[interval] ??= []).push(...queries);
      merged.epoch = Math.max(merged.epoch, one.epoch);
      merged.problems.push(...one.problems);
      merged.files.push(...one.files);
    } catch (err) {
      ctx.reportError(`query pack ${file}: ${err instanceof Error ? err.message : String(err)}`, { file });
    }
  }
  for (const problem of merged.problems) ctx.reportError(`query pack: ${formatError(problem)}`);
  return merged;
}

export const queryJobs: JobProvider = {
  name: 'queries',
  async build(ctx) {
    const cfg = ctx.config.jobs.queries;
    if (!cfg?.enabled || cfg.packs.length === 0) return { jobs: [] };
    const config = await loadPacks(ctx, cfg.packs);
    let scheduler: QueryScheduler | undefined;
    return {
      jobs: [],
      services: [
        {
          name: 'queries',
          async start() {
            scheduler = new QueryScheduler({
              config, stateDir: path.join(ctx.stateDir, 'queries'), publisher: ctx.publisher, root: ctx.root.dir,
              hostIdentifier: ctx.host.hostname,
              watchdog: { timeoutMs: cfg.max_query_time, maxRows: cfg.max_rows },
            });
            scheduler.start();
          },
          async stop() {
            await scheduler?.stop();
          },
          status: () => ({ queries: config.schedule.length + config.packs.reduce((n, p) => n + p.queries.length, 0) }),
        },
      ],
    };
  },
};

/** Host inventory: the configured queries as snapshots, on the job's own schedule. */
export const inventoryJobs: JobProvider = {
  name: 'inventory',
  async build(ctx) {
    const cfg = ctx.config.jobs.inventory;
    if (!cfg?.enabled) return { jobs: [] };
    const queries = Object.fromEntries(cfg.queries.map((sql, i) => [`inventory_${i + 1}`, { query: sql, interval: 86_400, snapshot: true }]));
    const config: ScheduleConfig = {
      packs: [], decorators: { load: [], always: [], interval: {} }, epoch: 0, problems: [], files: [],
      schedule: Object.entries(queries).map(([key, q]) => ({ ...q, key, name: key, file: 'agent configuration', removed: true, denylist: true })),
    };
    return {
      jobs: [
        scheduledJob('inventory', cfg, async () => {
          const scheduler = new QueryScheduler({ config, stateDir: path.join(ctx.stateDir, 'inventory'), publisher: ctx.publisher, root: ctx.root.dir, hostIdentifier: ctx.host.hostname });
          try {
            const summary = await scheduler.runOnce();
            for (const e of summary.errors) ctx.reportError(`inventory ${e.name}: ${e.message}`);
          } finally {
            await scheduler.stop();
          }
        }),
      ],
    };
  },
};
