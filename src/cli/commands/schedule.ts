/**
 * `spyglass schedule run PACK`: runs an osquery pack (or osquery config with packs, schedule
 * and decorators) once and prints the result events as JSON lines, with differential state
 * kept in --state-dir so a second run prints only what changed. `spyglass schedule validate
 * PACK` only checks the file. Problems go to stderr as file:line: message.
 */
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { SpyglassError, formatError } from '../../core/errors.js';
import { countNoun } from '../../core/count-noun.js';
import { ExitCode } from '../exit-code.js';
import { existingRootDir } from '../root-option.js';

function defaultStateDir(): string {
  if (process.getuid?.() === 0) return '/var/lib/spyglass/query';
  return path.join(process.env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'spyglass', 'query');
}

const positiveInt = (what: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new SpyglassError('usage', `${what} must be a positive whole number, not "${v}"`);
  return n;
};

export function register(program: Command): void {
  const schedule = program.command('schedule').description('Scheduled queries: osquery packs with differential results');

  schedule
    .command('run <pack>')
    .description('Run a pack (or an osquery config) once and print its events as JSON lines')
    .option('--state-dir <dir>', 'where previous results are kept for differential output', defaultStateDir())
    .option('--root <dir>', 'read the host through this root directory', '/')
    .option('--timeout <ms>', 'wall-time limit per query', positiveInt('--timeout'), 60_000)
    .option('--max-rows <n>', 'row limit per query', positiveInt('--max-rows'), 100_000)
    .option('--denylist-seconds <s>', 'how long a query over a limit is held back', positiveInt('--denylist-seconds'), 86_400)
    .option('--host-identifier <name>', 'hostIdentifier in the events (default: host name)')
    .action(async (packFile: string, opts: { stateDir: string; root: string; timeout: number; maxRows: number; denylistSeconds: number; hostIdentifier?: string }) => {
      const [{ loadScheduleConfig }, { Scheduler }, { JsonLinesPublisher }] = await Promise.all([
        import('../../query/schedule/pack-config.js'),
        import('../../query/schedule/scheduler.js'),
        import('../../core/event.js'),
      ]);
      const config = loadScheduleConfig(packFile);
      for (const p of config.problems) process.stderr.write(`spyglass: ${formatError(p)}\n`);
      const scheduler = new Scheduler({
        config,
        stateDir: opts.stateDir,
        root: existingRootDir(opts.root),
        publisher: new JsonLinesPublisher(process.stdout),
        hostIdentifier: opts.hostIdentifier,
        watchdog: { timeoutMs: opts.timeout, maxRows: opts.maxRows, denylistSeconds: opts.denylistSeconds },
      });
      try {
        const summary = await scheduler.runOnce();
        for (const s of summary.skipped) process.stderr.write(`skipped ${s.name}: ${s.reason}\n`);
        for (const e of summary.errors) process.stderr.write(`spyglass: ${e.name}: ${e.message} [${e.code}]\n`);
        process.stderr.write(`${countNoun(summary.ran.length, 'query', 'queries')} ran, ${summary.skipped.length} skipped, ${summary.errors.length} failed, ${countNoun(summary.events, 'event')}\n`);
        if (config.problems.length > 0 || summary.errors.length > 0) throw new ExitCode(2);
      } finally {
        await scheduler.stop();
      }
    });

  schedule
    .command('validate <pack>')
    .description('Check a pack or osquery config; print problems as file:line')
    .action(async (packFile: string) => {
      const { loadScheduleConfig } = await import('../../query/schedule/pack-config.js');
      const config = loadScheduleConfig(packFile);
      for (const p of config.problems) process.stderr.write(`spyglass: ${formatError(p)}\n`);
      const count = config.schedule.length + config.packs.reduce((n, p) => n + p.queries.length, 0);
      process.stdout.write(`${packFile}: ${countNoun(count, 'query', 'queries')} in ${countNoun(config.packs.length, 'pack')}${config.schedule.length ? ' and the schedule' : ''}, ${countNoun(config.problems.length, 'problem')}\n`);
      if (config.problems.length > 0) throw new ExitCode(2);
    });
}
