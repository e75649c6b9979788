/**
 * The interactive prompt (`spyglass shell`), in the manner of osqueryi: statements may span
 * lines and run at `;`; dot-commands (.tables, .schema, .all, .show, .mode, .timer, .help, .quit) act at
 * once; errors show the line and a caret under the token SQLite names; history is kept in a
 * file. Works the same with a terminal or with statements piped on stdin (no prompts then).
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { SpyglassError, formatError } from '../core/errors.js';
import type { QueryEngine, QueryResult } from './engine.js';
import { formatResult, isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from './output-format.js';
import { renderSqlError } from './sql-errors.js';
import { nearestNames } from '../core/nearest-names.js';
import { isBlank, splitStatements } from './sql-tokens.js';
import { tableCreateSql } from './table-docs.js';

/** Where statements run when not in the shell's own engine: a process that can be stopped. */
export interface CancellableRunner {
  run(sql: string): Promise<QueryResult>;
  /** stops the running statement; its run() rejects */
  cancel(): Promise<void>;
}

export interface ShellOptions {
  /** the tables, for the dot-commands and completion (and the statements, without a runner) */
  engine: QueryEngine;
  /**
   * runs the statements so that Ctrl-C can stop one: better-sqlite3 runs a statement
   * synchronously, so in this process a long one would hold the event loop and no key or
   * signal would be seen until it ended
   */
  runner?: CancellableRunner;
  /** the process whose SIGINT cancels the running statement when the input is not a terminal */
  signals?: NodeJS.EventEmitter;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  errorOutput: NodeJS.WritableStream;
  /** file to load history from and append to; none when undefined */
  historyFile?: string;
  /** show prompts (when the input is a terminal) */
  interactive: boolean;
  mode?: OutputFormat;
}

const HISTORY_SIZE = 1000;

const HELP = `Statements end with ';' and may span several lines. Commands:
  .tables [TEXT]   list tables (whose name contains TEXT)
  .schema [TABLE]  show the CREATE TABLE statement of a table (or of all)
  .mode [MODE]     show or set the output mode: ${OUTPUT_FORMATS.join(', ')}
  .all TABLE       every row of a table (SELECT * FROM TABLE)
  .show            the current settings
  .timer on|off    print how long each statement took
  .help            this text
  Ctrl-C           cancel the running statement (at the prompt: drop what is typed)
  .quit, .exit     leave (so does end of input, Ctrl-D)
`;

export class QueryShell {
  private buffer = '';
  private mode: OutputFormat;
  private timer = false;
  private readonly o: ShellOptions;
  /** set while a statement runs: Ctrl-C cancels it instead of touching the prompt */
  private running: { cancelled: boolean } | undefined;
  /** the last key was a Ctrl-C on an empty prompt: another one leaves */
  private interruptedAtPrompt = false;
  /** how many statements failed, for the exit code when input is piped */
  errors = 0;

  constructor(options: ShellOptions) {
    this.o = options;
    this.mode = options.mode ?? 'table';
  }

  private out(s: string): void { this.o.output.write(s); }
  private err(s: string): void { this.o.errorOutput.write(s); }

  /** Runs until `.quit` or end of input. */
  async run(): Promise<void> {
    const history = this.loadHistory();
    const rl = readline.createInterface({
      input: this.o.input,
      output: this.o.interactive ? this.o.output : undefined,
      terminal: this.o.interactive,
      history,
      historySize: HISTORY_SIZE,
      prompt: 'spyglass> ',
      completer: (line: string) => this.complete(line),
    });
    if (this.o.interactive) {
      this.out('Spyglass interactive shell: osquery-compatible SQL. Type .help for help.\n');
      rl.prompt();
    }
    // Ctrl-C while a statement runs cancels it; at the prompt it drops the statement being
    // typed (a second one on an empty prompt leaves). With piped input it arrives as a signal.
    rl.on('SIGINT', () => {
      if (this.running) { void this.cancelRunning(); return; }
      // on an empty prompt a slip of the finger must not end the session: a second Ctrl-C does
      if (isBlank(this.buffer)) {
        if (this.interruptedAtPrompt) { rl.close(); return; }
        this.interruptedAtPrompt = true;
        this.out('^C\n(Ctrl-C again, .quit or Ctrl-D to leave)\n');
        rl.prompt();
        return;
      }
      this.buffer = '';
      this.out('^C\n');
      rl.setPrompt('spyglass> ');
      rl.prompt();
    });
    let quit = false;
    for await (const line of rl) {
      this.interruptedAtPrompt = false;
      this.appendHistory(line);
      const keepGoing = await this.handleLine(line);
      if (!keepGoing) { quit = true; break; }
      if (this.o.interactive) {
        rl.setPrompt(isBlank(this.buffer) ? 'spyglass> ' : '     ...> ');
        rl.prompt();
      }
    }
    rl.close();
    if (!quit && !isBlank(this.buffer)) {
      // input ended inside a statement: run what there is, as osqueryi does
      const sql = this.buffer;
      this.buffer = '';
      await this.runStatement(sql);
    }
  }

  private async cancelRunning(): Promise<void> {
    if (!this.running || this.running.cancelled) return;
    this.running.cancelled = true;
    await this.o.runner?.cancel();
  }

  /** Handles one input line; false means quit. */
  async handleLine(line: string): Promise<boolean> {
    if (isBlank(this.buffer) && line.trim().startsWith('.')) {
      try {
        return await this.dotCommand(line.trim());
      } catch (err) {
        this.errors++;
        this.err(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
        return true;
      }
    }
    this.buffer += (this.buffer ? '\n' : '') + line;
    const { statements, rest } = splitStatements(this.buffer);
    this.buffer = isBlank(rest) ? '' : rest;
    for (const sql of statements) await this.runStatement(sql);
    return true;
  }

  private async runStatement(sql: string): Promise<void> {
    const started = performance.now();
    const running = { cancelled: false };
    this.running = running;
    // only while the statement runs: otherwise SIGINT keeps its usual meaning (leave)
    const onSignal = () => void this.cancelRunning();
    this.o.signals?.on('SIGINT', onSignal);
    try {
      const result = await (this.o.runner ? this.o.runner.run(sql) : this.o.engine.query(sql));
      for (const w of result.warnings) this.err(`warning: ${w}\n`);
      this.out(formatResult(result, this.mode));
      if (this.timer) this.out(`Run Time: ${((performance.now() - started) / 1000).toFixed(3)} s, ${result.rows.length} rows\n`);
    } catch (err) {
      // a cancelled statement is not a failed one: the user asked, and the shell goes on
      if (running.cancelled) { this.err(`Query cancelled (Ctrl-C) after ${((performance.now() - started) / 1000).toFixed(1)} s\n`); return; }
      this.errors++;
      if (err instanceof SpyglassError) this.err(`Error: ${renderSqlError(err, sql)}\n`);
      else this.err(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    } finally {
      this.running = undefined;
      this.o.signals?.off('SIGINT', onSignal);
    }
  }

  private async dotCommand(line: string): Promise<boolean> {
    const [cmd = '', ...args] = line.split(/\s+/);
    const arg = args.join(' ');
    const engine = this.o.engine;
    switch (cmd) {
      case '.quit':
      case '.exit':
        return false;
      case '.help':
        this.out(HELP);
        return true;
      case '.tables': {
        const names = engine.tableNames().filter((n) => !arg || n.includes(arg.toLowerCase()));
        this.out(names.map((n) => `  => ${n}\n`).join(''));
        return true;
      }
      case '.schema': {
        const names = arg ? [arg.toLowerCase()] : engine.tableNames();
        for (const name of names) {
          const spec = await engine.spec(name);
          if (spec) { this.out(tableCreateSql(spec)); continue; }
          this.errors++;
          const near = nearestNames(name, engine.tableNames());
          this.err(`Error: no such table: ${name}${near.length ? `; did you mean ${near.join(', ')}?` : ''}\n`);
        }
        return true;
      }
      case '.mode': {
        if (!arg) { this.out(`current output mode: ${this.mode}\n`); return true; }
        const wanted = arg === 'pretty' ? 'table' : arg;
        if (isOutputFormat(wanted)) this.mode = wanted;
        else { this.errors++; this.err(`Error: unknown mode "${arg}" (${OUTPUT_FORMATS.join(', ')})\n`); }
        return true;
      }
      case '.timer':
        this.timer = arg === 'on';
        return true;
      case '.all':
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg)) { this.errors++; this.err('Error: .all needs a table name (.tables lists them)\n'); return true; }
        await this.runStatement(`SELECT * FROM ${arg}`);
        return true;
      case '.show':
        this.out(`        mode: ${this.mode}\n       timer: ${this.timer ? 'on' : 'off'}\n     history: ${this.o.historyFile ?? '(none)'}\n`);
        return true;
      default: {
        this.errors++;
        const near = nearestNames(cmd.slice(1), ['tables', 'schema', 'all', 'show', 'mode', 'timer', 'help', 'quit', 'exit']);
        this.err(`Error: unknown command ${cmd}${near.length ? `; did you mean .${near[0]}?` : ''} (.help lists them)\n`);
        return true;
      }
    }
  }

  /** Tab completion: dot-commands at the start of a line, else table and column names. */
  complete(line: string): [string[], string] {
    const word = /[\w.]*$/.exec(line)?.[0] ?? '';
    let candidates: string[];
    if (line.trimStart() === word && word.startsWith('.')) {
      candidates = ['.tables', '.schema', '.all', '.show', '.mode', '.timer', '.help', '.quit', '.exit'];
    } else {
      const engine = this.o.engine;
      const columns = engine.loadedTables().flatMap((t) => t.spec.columns.map((c) => c.name));
      candidates = [...new Set([...engine.tableNames(), ...columns])].sort();
    }
    const lower = word.toLowerCase();
    return [candidates.filter((c) => c.startsWith(lower)), word];
  }

  private loadHistory(): string[] {
    if (!this.o.historyFile) return [];
    try {
      // readline wants the newest first
      return fs.readFileSync(this.o.historyFile, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
    } catch {
      return [];
    }
  }

  private appendHistory(line: string): void {
    if (!this.o.historyFile || !line.trim()) return;
    try {
      fs.appendFileSync(this.o.historyFile, line.replace(/\n/g, ' ') + '\n', { mode: 0o600 });
    } catch (err) {
      const e = err instanceof SpyglassError ? err : new SpyglassError('io_error', `cannot write history to ${this.o.historyFile}: ${(err as Error).message}`);
      this.err(`warning: ${formatError(e)}\n`);
      this.o.historyFile = undefined;
    }
  }
}
