/** `spyglass shell`: the interactive SQL prompt (see src/query/shell.ts). */
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { SpyglassError } from '../../core/errors.js';
import { ExitCode } from '../exit-code.js';
import { existingRootDir } from '../root-option.js';

export function register(program: Command): void {
  program
    .command('shell')
    .description('Interactive SQL prompt over the host tables, like osqueryi')
    .option('--root <dir>', 'read the host through this root directory', '/')
    .option('--mode <mode>', 'output mode: table, line, list, csv, json, jsonl', 'table')
    .option('--history <file>', 'history file (default ~/.spyglass_history; SPYGLASS_HISTORY overrides)')
    .action(async (opts: { root: string; mode: string; history?: string }) => {
      const [{ QueryEngine }, { QueryShell }, { isOutputFormat }, { HostRoot }] = await Promise.all([
        import('../../query/engine.js'),
        import('../../query/shell.js'),
        import('../../query/output-format.js'),
        import('../../core/host-root.js'),
      ]);
      if (!isOutputFormat(opts.mode)) throw new SpyglassError('usage', `unknown mode "${opts.mode}"`);
      const engine = new QueryEngine({ root: new HostRoot(existingRootDir(opts.root)) });
      const interactive = Boolean(process.stdin.isTTY);
      const historyFile = opts.history ?? process.env.SPYGLASS_HISTORY ?? (interactive ? path.join(os.homedir(), '.spyglass_history') : undefined);
      const shell = new QueryShell({ engine, input: process.stdin, output: process.stdout, errorOutput: process.stderr, historyFile, interactive, mode: opts.mode });
      await shell.run();
      engine.close();
      // piped statements: a failed one makes the exit status 2 (a bad statement is a usage error), so scripts notice
      if (!interactive && shell.errors > 0) throw new ExitCode(2);
    });
}
