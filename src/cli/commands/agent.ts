/**
 * `spyglass agent [--config FILE]`: the daemon (SIGHUP reloads, SIGTERM stops gracefully);
 * `spyglass status [--state-dir DIR]`: what the running agent wrote in its status file;
 * `spyglass config check [--config FILE]`: validate the configuration and its drop-ins.
 */
import type { Command } from 'commander';
import { SpyglassError, formatError } from '../../core/errors.js';
import { ExitCode } from '../exit-code.js';

const DEFAULT_CONFIG = '/etc/spyglass/agent.yaml';

async function printConfigProblems(err: unknown): Promise<never> {
  const { ConfigErrors } = await import('../../agent/config/agent-config.js');
  if (err instanceof ConfigErrors) {
    for (const p of err.problems) process.stderr.write(`${formatError(p)}\n`);
    throw new ExitCode(2);
  }
  throw err;
}

export function register(program: Command): void {
  program
    .command('agent')
    .description('Run the agent: scheduled audits, queries, file integrity and vulnerability scans, shipped through the spool')
    .option('-c, --config <file>', 'agent configuration (drop-ins in <name>.d/ beside it)', DEFAULT_CONFIG)
    .option('--stop-grace <seconds>', 'on SIGTERM, how long sends and jobs may take to finish', '20')
    .action(async (opts: { config: string; stopGrace: string }) => {
      const { Agent } = await import('../../agent/agent.js');
      const agent = new Agent({ configFile: opts.config });
      try {
        await agent.start();
      } catch (err) {
        await printConfigProblems(err);
      }
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: string) => {
          if (stopping) return;
          stopping = true;
          process.stderr.write(`spyglass agent: ${signal}: stopping\n`);
          void agent.stop(Number(opts.stopGrace) * 1000).finally(resolve);
        };
        process.on('SIGTERM', () => stop('SIGTERM'));
        process.on('SIGINT', () => stop('SIGINT'));
        process.on('SIGHUP', () => {
          if (!stopping) void agent.reload();
        });
      });
    });

  program
    .command('status')
    .description("Show the running agent's jobs, sinks, spool, watches and resources (from its status file)")
    .option('--state-dir <dir>', 'the agent state directory', '/var/lib/spyglass')
    .option('--json', 'print the status file as JSON')
    .action(async (opts: { stateDir: string; json?: boolean }) => {
      const { readStatus, isAgentRunning, formatStatus } = await import('../../agent/status-file.js');
      const status = await readStatus(opts.stateDir);
      if (!status) throw new SpyglassError('usage', `no status file in ${opts.stateDir}: the agent has not run there (see --state-dir)`);
      const running = isAgentRunning(status);
      process.stdout.write(opts.json ? JSON.stringify({ running, ...status }, null, 2) + '\n' : formatStatus(status, running));
      if (!running) throw new ExitCode(1);
    });

  program
    .command('config')
    .description('Agent configuration')
    .command('check')
    .description('Validate the agent configuration and its drop-ins; every problem as file:line:column')
    .option('-c, --config <file>', 'agent configuration', DEFAULT_CONFIG)
    .action(async (opts: { config: string }) => {
      const { loadAgentConfig } = await import('../../agent/config/agent-config.js');
      try {
        const { files, warnings } = await loadAgentConfig(opts.config);
        const { formatWarning } = await import('../../core/config-error.js');
        for (const w of warnings) process.stderr.write(`${formatWarning(w)}\n`);
        process.stdout.write(`configuration valid${warnings.length ? ` (${warnings.length} warning(s))` : ''}: ${files.join(', ')}\n`);
      } catch (err) {
        await printConfigProblems(err);
      }
    });
}
