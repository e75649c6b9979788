/**
 * File integrity in the agent. With `realtime: true` (the default) a FimMonitor watches the
 * configured trees with inotify: at start it compares the trees with the stored baseline
 * (what changed while the agent was down), then reports changes as they happen; trees over
 * the watch limit fall back to the monitor's own scheduled scans. With `realtime: false`,
 * the job's schedule runs a compare scan instead. The baseline lives in state_dir/fim/ unless
 * the FIM configuration names one.
 */
import path from 'node:path';
import { loadFimConfig } from '../../fim/config.js';
import { openFimRuntime } from '../../fim/fim-runtime.js';
import { FimMonitor } from '../../fim/fim-monitor.js';
import { TreeScanner } from '../../fim/tree-scanner.js';
import type { AgentService, JobProvider } from '../agent-context.js';
import { scheduledJob } from './job-schedule.js';

export const fimJobs: JobProvider = {
  name: 'fim',
  async build(ctx) {
    const cfg = ctx.config.jobs.fim;
    if (!cfg?.enabled) return { jobs: [] };
    const configFile = path.isAbsolute(cfg.config) ? cfg.config : path.join(await ctx.profileDir(), cfg.config);
    const fimConfig = await loadFimConfig(configFile);
    const baseline = fimConfig.baseline ?? path.join(ctx.stateDir, 'fim', 'baseline.db');
    const onProblem = (message: string) => ctx.reportError(`fim: ${message}`);
    if (!cfg.realtime) {
      return {
        jobs: [
          scheduledJob('fim', cfg, async () => {
            const rt = await openFimRuntime(fimConfig, { root: ctx.root, baseline, publisher: ctx.publisher, onProblem });
            try {
              const empty = rt.store.count() === 0;
              await new TreeScanner(rt).scan({ mode: empty ? 'baseline' : 'compare', detection: 'scan', update: true });
            } finally {
              await rt.close();
            }
          }),
        ],
      };
    }
    let runtime: Awaited<ReturnType<typeof openFimRuntime>> | undefined;
    let monitor: FimMonitor | undefined;
    const service: AgentService = {
      name: 'fim',
      async start() {
        runtime = await openFimRuntime(fimConfig, { root: ctx.root, baseline, publisher: ctx.publisher, onProblem });
        monitor = new FimMonitor(runtime, { onStatus: (m) => onStatusLine(m) });
        await monitor.start();
      },
      async stop() {
        await monitor?.stop();
        await runtime?.close();
      },
      status: () => ({ ...(monitor?.stats ?? {}) }),
    };
    const onStatusLine = (message: string) => {
      if (/limit|overflow|cannot|unreadable/i.test(message)) ctx.reportError(`fim: ${message}`);
    };
    return { jobs: [], services: [service] };
  },
};
