/**
 * `spyglass query "SQL" [--root DIR] [--format table|json|csv|jsonl|line|list]`: runs one
 * read-only statement against the osquery-compatible tables and prints the result. Only the
 * tables the statement names are loaded (start-up time is most of a one-shot query).
 */
import type { Command } from 'commander';
import { SpyglassError } from '../../core/errors.js';
import { ExitCode } from '../exit-code.js';

export function register(program: Command): void {
  program
    .command('query <sql>')
    .summary('Run one read-only SQL statement over host state ("-": read it from stdin)')
    .description('Run an osquery-compatible SQL statement against host state (read-only)')
    .option('--root <dir>', 'read the host through this root directory (a mounted image, a fixture tree)', '/')
    .option('--format <format>', 'table, json, jsonl, csv, line or list', 'table')
    .option('--state-dir <dir>', 'fill spyglass_schedule from the scheduled queries recorded here')
    .addHelpText('after', `
Examples:
  spyglass query "SELECT pid, name, path FROM processes WHERE pid = 1"
  spyglass query "SELECT * FROM file WHERE path LIKE '/etc/ssh/%'" --format json
  spyglass query "SELECT username, shell FROM users WHERE uid >= 1000" --root /mnt/image
  spyglass query - < query.sql`)
    .action(async (sql: string, opts: { root: string; format: string; stateDir?: string }) => {
      const [{ QueryEngine }, { formatResult, isOutputFormat, OUTPUT_FORMATS }, { renderSqlError }, { HostRoot }] = await Promise.all([
        import('../../query/engine.js'),
        import('../../query/output-format.js'),
        import('../../query/sql-errors.js'),
        import('../../core/host-root.js'),
      ]);
      if (!isOutputFormat(opts.format)) throw new SpyglassError('usage', `unknown format "${opts.format}" (${OUTPUT_FORMATS.join(', ')})`);
      if (sql === '-') sql = (await readStdin()).replace(/;\s*$/, '');
      if (opts.stateDir !== undefined) {
        const [{ readScheduleStats }, { setScheduleStats }] = await Promise.all([import('../../query/schedule/state-store.js'), import('../../query/runtime-info.js')]);
        setScheduleStats(readScheduleStats(opts.stateDir));
      }
      const engine = new QueryEngine({ root: new HostRoot(opts.root) });
      try {
        const result = await engine.query(sql);
        for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
        process.stdout.write(formatResult(result, opts.format));
      } catch (err) {
        if (!(err instanceof SpyglassError)) throw err;
        process.stderr.write(`spyglass: ${renderSqlError(err, sql)}\n`);
        throw new ExitCode(2);
      } finally {
        engine.close();
      }
    });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
