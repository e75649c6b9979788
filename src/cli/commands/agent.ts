/**
 * `spyglass agent [--config FILE]`: the daemon (SIGHUP reloads, SIGTERM stops gracefully; an
 *   error nothing caught exits 70 after reporting it);
 * `spyglass status [--state-dir DIR]`: what the running agent wrote in its status file;
 * `spyglass config check [--config FILE]`: validate the configuration and its drop-ins.
 */
import type { Command } from 'commander';
import { SpyglassError, formatError } from '../../core/errors.js';
import { ExitCode } from '../exit-code.js';

const DEFAULT_CONFIG = '/etc/spyglass/agent.yaml';

/** The agent's exit code after an error nothing caught (EX_SOFTWARE): not a configuration problem. */
export const EXIT_INTERNAL_ERROR = 70;

/** An internal error in one line: the message and where it was thrown (no stack trace for the journal). */
function describeInternalError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const frame = err.stack?.split('\n').find((l) => /^\s+at /.test(l))?.trim().replace(/^at /, '');
  return `${err.name}: ${err.message}${frame ? ` (at ${frame})` : ''}`;
}

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
      const { Agent, FATAL_STOP_GRACE_MS } = await import('../../agent/agent.js');
      const graceMs = Number(opts.stopGrace) * 1000;
      if (!Number.isFinite(graceMs) || graceMs <= 0) throw new SpyglassError('usage', `--stop-grace ${opts.stopGrace}: a number of seconds above 0`);
      let failing = false;
      // An error nothing caught: logged, sent as an agent event, and the agent exits non-zero so
      // systemd (Restart=on-failure) starts a fresh one. The spool keeps what was accepted.
      const fatal = (what: string, err: unknown) => {
        if (failing) return;
        failing = true;
        const line = `internal error (${what}): ${describeInternalError(err)}; exiting with ${EXIT_INTERNAL_ERROR}`;
        process.stderr.write(`spyglass agent: ${line}\n`);
        setTimeout(() => process.exit(EXIT_INTERNAL_ERROR), FATAL_STOP_GRACE_MS + 2_000);
        void agent.fail(line).finally(() => process.exit(EXIT_INTERNAL_ERROR));
      };
      const agent = new Agent({ configFile: opts.config, onFatal: (err) => fatal('reload', err) });
      process.on('uncaughtException', (err) => fatal('uncaught exception', err));
      process.on('unhandledRejection', (err) => fatal('unhandled rejection', err));
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
          // stop() keeps to the grace; a socket that never closes must not keep the process past it.
          setTimeout(() => {
            process.stderr.write(`spyglass agent: still stopping after ${opts.stopGrace} s: exiting; unsent events stay spooled\n`);
            process.exit(0);
          }, graceMs + 1_000).unref();
          void agent.stop(graceMs).finally(() => {
            setTimeout(() => process.exit(process.exitCode ?? 0), 1_000).unref();
            resolve();
          });
        };
        process.on('SIGTERM', () => stop('SIGTERM'));
        process.on('SIGINT', () => stop('SIGINT'));
        process.on('SIGHUP', () => {
          if (!stopping) agent.requestReload();
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
        const { config, files, warnings } = await loadAgentConfig(opts.config);
        // the checks start and reload make beyond the schema: the trust anchors
        const { loadProfileTrust } = await import('../../agent/profile-trust.js');
        await loadProfileTrust(config.profiles);
        const { formatWarning } = await import('../../core/config-error.js');
        for (const w of warnings) process.stderr.write(`${formatWarning(w)}\n`);
        process.stdout.write(`configuration valid${warnings.length ? ` (${warnings.length} warning(s))` : ''}: ${files.join(', ')}\n`);
      } catch (err) {
        await printConfigProblems(err);
      }
    });
}
