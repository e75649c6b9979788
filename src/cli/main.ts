/**
 * The `spyglass` command line. Each command lives in `cli/commands/<name>.ts` and exports
 * `register(program)`; add a new command by adding its module to COMMANDS below.
 *
 * Exit codes, for every command: 0 success, 1 the job found something (a failed control,
 * a vulnerable package), 2 a usage, profile or configuration error.
 */
import { Command, CommanderError } from 'commander';
import { SpyglassError, formatError } from '../core/errors.js';
import { AGENT_VERSION } from '../core/version.js';

export type RegisterCommand = (program: Command) => void;

/**
 * Every command module is imported at start to register its options, so a command module
 * keeps its top-level imports light and imports its engine inside the action handler
 * (`spyglass audit` must not pay for loading the SQL engine, and so on).
 * profile-signing attaches to the `profiles` command, so it comes after the module that
 * defines it.
 */
const COMMANDS: Array<() => Promise<{ register: RegisterCommand }>> = [
  () => import('./commands/query.js'),
  () => import('./commands/tables.js'),
  () => import('./commands/shell.js'),
  () => import('./commands/schedule.js'),
  () => import('./commands/audit.js'),
  () => import('./commands/profiles.js'),
  () => import('./commands/profile-signing.js'),
  () => import('./commands/agent.js'),
  () => import('./commands/fim.js'),
  () => import('./commands/vuln.js'),
];

/** Thrown by a command's action to end with a given exit code after printing nothing more. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('spyglass')
    .description('Host security compliance and monitoring agent')
    .version(AGENT_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const load of COMMANDS) (await load()).register(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Runs the CLI; resolves to the process exit code (never calls process.exit itself). */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof ExitCode) return err.code;
    if (err instanceof CommanderError) {
      // help and version are "errors" to commander but successes to the user
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      return 2;
    }
    if (err instanceof SpyglassError) {
      process.stderr.write(`spyglass: ${formatError(err)}\n`);
      return 2;
    }
    process.stderr.write(`spyglass: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return 2;
  }
}
