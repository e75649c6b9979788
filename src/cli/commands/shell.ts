/** `spyglass shell`: the interactive SQL prompt (see src/query/shell.ts). */
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { SpyglassError } from '../../core/errors.js';
import { ExitCode } from '../exit-code.js';
import { existingRootDir } from '../root-option.js';

/** setTimeout's longest delay (about 24.8 days): in effect no limit */
const SHELL_LIMITS = { timeoutMs: 2 ** 31 - 1, maxRows: Number.MAX_SAFE_INTEGER };

export function register(program: Command): void {
  program
    .command('shell [sql]')
    .description('Interactive SQL prompt over the host tables, like osqueryi')
    .option('--root <dir>', 'read the host through this root directory', '/')
    .option('--mode <mode>', 'output mode: table, line, list, csv, json, jsonl', 'table')
    .option('--json', 'output mode json (as osqueryi --json)')
    .option('--csv', 'output mode csv')
    .option('--line', 'output mode line')
    .option('--history <file>', 'history file (default ~/.spyglass_history; SPYGLASS_HISTORY overrides)')
    .addHelpText('after', `
With SQL (spyglass shell "SELECT * FROM os_version"), runs it, prints the result and exits, as osqueryi does.`)
    .action(async (sqlArg: string | undefined, opts: { root: string; mode: string; history?: string; json?: boolean; csv?: boolean; line?: boolean }) => {
      const [{ QueryEngine }, { QueryShell }, { isOutputFormat }, { HostRoot }, { QueryRunner }] = await Promise.all([
        import('../../query/engine.js'),
        import('../../query/shell.js'),
        import('../../query/output-format.js'),
        import('../../core/host-root.js'),
        import('../../query/schedule/query-runner.js'),
      ]);
      const flagged = (['json', 'csv', 'line'] as const).filter((f) => opts[f]);
      if (flagged.length > 1) throw new SpyglassError('usage', `--${flagged.join(' and --')}: choose one output mode`);
      if (flagged[0]) opts.mode = flagged[0];
      if (!isOutputFormat(opts.mode)) throw new SpyglassError('usage', `unknown mode "${opts.mode}"`);
      const rootDir = existingRootDir(opts.root);
      const engine = new QueryEngine({ root: new HostRoot(rootDir) });
      // statements run in the scheduler's killable worker process, so Ctrl-C can stop one;
      // no time or row limit (osqueryi has none), the worker lives 5 minutes between statements
      const worker = new QueryRunner(rootDir, 300_000);
      const runner = { run: (sql: string) => worker.run(sql, SHELL_LIMITS), cancel: () => worker.cancel() };
      // a statement on the command line: run it as piped input would be, then leave
      const { Readable } = await import('node:stream');
      const input = sqlArg === undefined ? process.stdin : Readable.from([`${sqlArg.replace(/;?\s*$/, ';')}\n`]);
      const interactive = sqlArg === undefined && Boolean(process.stdin.isTTY);
      const historyFile = opts.history ?? process.env.SPYGLASS_HISTORY ?? (interactive ? path.join(os.homedir(), '.spyglass_history') : undefined);
      const shell = new QueryShell({ engine, runner, signals: process, input, output: process.stdout, errorOutput: process.stderr, historyFile, interactive, mode: opts.mode });
      try {
        await shell.run();
      } finally {
        engine.close();
        await worker.close();
      }
      // piped statements: a failed one makes the exit status 2 (a bad statement is a usage error), so scripts notice
      if (!interactive && shell.errors > 0) throw new ExitCode(2);
    });
}
