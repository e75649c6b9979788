/** The scheduled vulnerability scan: one `vuln` event per finding and a summary (src/vuln). */
import { formatDuration } from '../../core/config-values.js';
import { runVulnScan } from '../../vuln/scan.js';
import type { JobProvider } from '../agent-context.js';
import { scheduledJob } from './job-schedule.js';

export const vulnJobs: JobProvider = {
  name: 'vuln',
  async build(ctx) {
    const cfg = ctx.config.jobs.vuln;
    if (!cfg?.enabled) return { jobs: [] };
    return {
      jobs: [
        scheduledJob('vuln', cfg, async () => {
          const result = await runVulnScan({ root: ctx.root, feeds: cfg.feeds, maxFeedAgeDays: cfg.max_feed_age / 86_400_000 }, ctx.publisher);
          if (!result.summary.complete) ctx.reportError(`vuln: scan incomplete (${result.summary.problems.length} problem(s)); see the summary event`);
          if (result.summary.staleFeeds.length) ctx.reportError(`vuln: feeds older than ${formatDuration(cfg.max_feed_age)}: ${result.summary.staleFeeds.join(', ')}`);
        }),
      ],
    };
  },
};
