/**
 * `spyglass query "SQL" [--root DIR] [--format table|json|csv|jsonl|line|list]`: runs one
 * read-only statement against the osquery-compatible tables and prints the result. Only the
 * tables the statement names are loaded (start-up time is most of a one-shot query).
 *
 * The statement runs under the scheduler's watchdog (time and row limits, overridable): a
 * recursive CTE or a huge result stops with a message and exit 2 instead of running until
 * killed. The time limit needs the scheduler's worker process (SQLite's VM cannot be
 * interrupted from JavaScript); `--timeout 0` runs in this process without one.
 */
import type { Command } from 'commander';
import { parseDuration } from '../../core/config-values.js';
import { SpyglassError } from '../../core/errors.js';
import type { QueryResult } from '../../query/engine.js';
import type { ScheduledQueryStats } from '../../query/runtime-info.js';
import { DEFAULT_RUN_LIMITS, type RunLimits } from '../../query/schedule/query-runner.js';
import { ExitCode } from '../exit-code.js';
import { existingRootDir } from '../root-option.js';

export function register(program: Command): void {
  program
    .command('query <sql>')
    .summary('Run one read-only SQL statement over host state ("-": read it from stdin)')
    .description('Run an osquery-compatible SQL statement against host state (read-only)')
    .option('--root <dir>', 'read the host through this root directory (a mounted image, a fixture tree)', '/')
    .option('-f, --format <format>', 'table, json, jsonl, csv, line or list', 'table')
    .option('--state-dir <dir>', 'fill spyglass_schedule from the scheduled queries recorded here')
    .option('--timeout <duration>', `stop the query after this long (30s, 5m, or seconds; 0: no limit) (default: ${DEFAULT_RUN_LIMITS.timeoutMs / 1000}s, the scheduler's watchdog)`)
    .option('--max-rows <n>', `stop when the result passes this many rows (default: ${DEFAULT_RUN_LIMITS.maxRows})`)
    .addHelpText('after', `
Examples:
  spyglass query "SELECT pid, name, path FROM processes WHERE pid = 1"
  spyglass query "SELECT * FROM file WHERE path LIKE '/etc/ssh/%'" --format json
  spyglass query "SELECT username, shell FROM users WHERE uid >= 1000" --root /mnt/image
  spyglass query - < query.sql`)
    .action(async (sql: string, opts: { root: string; format: string; stateDir?: string; timeout?: string; maxRows?: string }) => {
      const [{ formatResult, isOutputFormat, OUTPUT_FORMATS }, { renderSqlError }] = await Promise.all([
        import('../../query/output-format.js'),
        import('../../query/sql-errors.js'),
      ]);
      const rootDir = existingRootDir(opts.root);
      if (!isOutputFormat(opts.format)) throw new SpyglassError('usage', `unknown format "${opts.format}" (${OUTPUT_FORMATS.join(', ')})`);
      const timeoutMs = opts.timeout === undefined ? DEFAULT_RUN_LIMITS.timeoutMs : parseDuration(/^\d+(\.\d+)?$/.test(opts.timeout) ? Number(opts.timeout) : opts.timeout);
      if (timeoutMs === undefined) throw new SpyglassError('usage', `--timeout: expected a duration such as 30s, 5m or a number of seconds, got "${opts.timeout}"`);
      const maxRows = opts.maxRows === undefined ? DEFAULT_RUN_LIMITS.maxRows : Number(opts.maxRows);
      if (!Number.isInteger(maxRows) || maxRows < 1) throw new SpyglassError('usage', `--max-rows: expected a positive whole number, got "${opts.maxRows}"`);
      if (sql === '-') sql = (await readStdin()).replace(/;\s*$/, '');
      let schedule: ScheduledQueryStats[] | undefined;
      if (opts.stateDir !== undefined) {
        const { readScheduleStats } = await import('../../query/schedule/state-store.js');
        schedule = readScheduleStats(opts.stateDir);
      }
      let result: QueryResult;
      try {
        result = timeoutMs === 0 ? await queryHere(rootDir, sql, maxRows, schedule) : await queryInWorker(rootDir, sql, { timeoutMs, maxRows }, schedule);
      } catch (err) {
        if (!(err instanceof SpyglassError)) throw err;
        process.stderr.write(`spyglass: ${renderSqlError(withLimitHint(err), sql)}\n`);
        throw new ExitCode(2);
      }
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(formatResult(result, opts.format));
    });
}

/** Runs the statement in this process: no time limit can stop it (--timeout 0). */
async function queryHere(root: string, sql: string, maxRows: number, schedule: ScheduledQueryStats[] | undefined): Promise<QueryResult> {
  const [{ QueryEngine }, { HostRoot }, { setScheduleStats }] = await Promise.all([
    import('../../query/engine.js'), import('../../core/host-root.js'), import('../../query/runtime-info.js'),
  ]);
  if (schedule) setScheduleStats(schedule);
  const engine = new QueryEngine({ root: new HostRoot(root) });
  try {
    return await engine.query(sql, { maxRows });
  } finally {
    engine.close();
  }
}

/** Runs the statement in the scheduler's worker process, which is killed past the time limit. */
async function queryInWorker(root: string, sql: string, limits: RunLimits, schedule: ScheduledQueryStats[] | undefined): Promise<QueryResult> {
  const { QueryRunner } = await import('../../query/schedule/query-runner.js');
  const runner = new QueryRunner(root, 0);
  try {
    return await runner.run(sql, limits, schedule);
  } finally {
    await runner.close();
  }
}

/** The watchdog's errors name the option that changes the limit. */
function withLimitHint(err: SpyglassError): SpyglassError {
  if (err.code === 'query_timeout') return new SpyglassError(err.code, `${err.message} (--timeout sets the limit)`, err.context);
  if (err.code === 'row_limit') return new SpyglassError(err.code, `${err.message} (--max-rows sets the limit)`, err.context);
  return err;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
