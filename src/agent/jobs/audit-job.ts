/**
 * The scheduled audit: loads the profiles of the active set (or the shipped ones), keeps those
 * that target this host, runs them, and publishes one `audit` event per control plus one
 * summary event per profile. A profile that does not load is reported, the others still run.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { runAudit } from '../../audit/engine.js';
import { loadProfile, type LoadedProfile } from '../../audit/profile/load-profile.js';
import { loadExceptionsFile } from '../../audit/profile/exceptions.js';
import { formatError } from '../../core/errors.js';
import { selectProfiles } from '../../audit/profile/targeting.js';
import type { AgentContext, JobProvider } from '../agent-context.js';
import { scheduledJob } from './job-schedule.js';

async function profileFiles(dir: string): Promise<string[]> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => path.join(dir, n));
}

export async function loadTargetedProfiles(ctx: AgentContext, wanted: string[] | undefined): Promise<LoadedProfile[]> {
  const loaded: LoadedProfile[] = [];
  const dir = await ctx.profileDir();
  for (const file of await profileFiles(dir)) {
    // A profile set also holds FIM settings and tailoring files: a profile has top-level controls or includes.
    const text = await fsp.readFile(file, 'utf8').catch(() => '');
    if (!/^(controls|include)\s*:/m.test(text)) continue;
    // Includes stay inside the set: with signatures required, the MANIFEST covers exactly its files.
    const result = await loadProfile(file, { confineTo: dir });
    for (const e of result.errors) ctx.reportError(`profile ${path.basename(file)}: ${formatError(e)}`, { file });
    if (result.profile) loaded.push(result.profile);
  }
  return selectProfiles(loaded, ctx.host, { rules: ctx.config.profiles.targeting, ...(wanted ? { named: wanted } : {}) });
}

export const auditJobs: JobProvider = {
  name: 'audit',
  async build(ctx) {
    const cfg = ctx.config.jobs.audit;
    if (!cfg?.enabled) return { jobs: [] };
    return {
      jobs: [
        scheduledJob('audit', cfg, async (signal) => {
          const profiles = await loadTargetedProfiles(ctx, cfg.profiles);
          if (profiles.length === 0) {
            ctx.reportError('audit: no profile targets this host', { os: `${ctx.host.osId} ${ctx.host.osVersion}` });
            return;
          }
          const exceptions = [];
          if (cfg.exceptions) {
            const r = await loadExceptionsFile(cfg.exceptions);
            for (const e of r.errors) ctx.reportError(`audit exceptions: ${formatError(e)}`);
            exceptions.push(...r.exceptions);
          }
          const result = await runAudit({ profiles, root: ctx.root, exceptions, concurrency: 4, pace: () => ctx.governor.pace() });
          if (signal.aborted) return;
          const runId = randomUUID();
          const time = new Date(result.finished_at);
          for (const profile of result.profiles) {
            for (const control of result.controls.filter((c) => c.profile === profile.id)) {
              // The long texts live in the profile; events carry what a SIEM search needs.
              const { description: _d, rationale: _r, ...fields } = control;
              await ctx.publisher.publish({ kind: 'audit', source: profile.id, time, data: { action: 'control', run_id: runId, ...fields } });
            }
            await ctx.publisher.publish({
              kind: 'audit', source: profile.id, time,
              data: { action: 'summary', run_id: runId, profile, summary: result.profile_summaries[profile.id], duration_ms: result.duration_ms, host: result.host },
            });
          }
        }),
      ],
    };
  },
};
