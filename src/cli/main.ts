/**
 * The `spyglass` command line. Each command lives in `cli/commands/<name>.ts` and exports
 * `register(program)`; add a new command by adding its module to COMMANDS below.
 *
 * Exit codes, for every command: 0 success, 1 the job found something (a failed control,
 * a vulnerable package), 2 a usage, profile or configuration error.
 */
import { Command, CommanderError, Help, type Option } from 'commander';
import { SpyglassError, formatError } from '../core/errors.js';
import { AGENT_VERSION } from '../core/version.js';
import { ExitCode } from './exit-code.js';

export type RegisterCommand = (program: Command) => void;

/**
 * The command modules, with the top-level command names each one registers. Only the module
 * of the command being run is imported (help imports them all), and a command module keeps
 * its top-level imports light, importing its engine inside the action handler, so
 * `spyglass query` does not pay for the audit engine and the other way round.
 * profile-signing attaches to the `profiles` command, so it comes after the module that
 * defines it. A test checks these names against what the modules register.
 */
export const COMMANDS: ReadonlyArray<{ names: readonly string[]; load: () => Promise<{ register: RegisterCommand }> }> = [
  { names: ['query'], load: () => import('./commands/query.js') },
  { names: ['tables'], load: () => import('./commands/tables.js') },
  { names: ['shell'], load: () => import('./commands/shell.js') },
  { names: ['schedule'], load: () => import('./commands/schedule.js') },
  { names: ['audit'], load: () => import('./commands/audit.js') },
  { names: ['profiles'], load: () => import('./commands/profiles.js') },
  { names: ['profiles'], load: () => import('./commands/profile-signing.js') },
  { names: ['agent', 'status', 'config'], load: () => import('./commands/agent.js') },
  { names: ['fim'], load: () => import('./commands/fim.js') },
  { names: ['vuln'], load: () => import('./commands/vuln.js') },
  { names: ['ship'], load: () => import('./commands/ship.js') },
];

/** Builds the program with the modules `command` needs (all of them when it is not a known name). */
export async function buildProgram(command?: string): Promise<Command> {
  const program = new Command('spyglass')
    .description('Host security compliance and monitoring agent')
    .version(AGENT_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ optionDescription: optionHelp })
    .exitOverride();
  const needed = COMMANDS.filter((c) => c.names.includes(command ?? ''));
  for (const c of needed.length ? needed : COMMANDS) (await c.load()).register(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

const plainHelp = new Help();

/** An option's help line without "(default: [])": a repeatable option starts empty, which says nothing. */
function optionHelp(option: Option): string {
  const text = plainHelp.optionDescription(option);
  return Array.isArray(option.defaultValue) && option.defaultValue.length === 0 ? text.replace(/ \(default: \[\]\)$/, '') : text;
}

/** Runs the CLI; resolves to the process exit code (never calls process.exit itself). */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv[2]);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof ExitCode) return err.code;
    if (err instanceof CommanderError) {
      // --help and --version are "errors" to commander but successes to the user; a command
      // group run without its subcommand (spyglass, spyglass fim) prints the help and exits 1, as git does
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
      if (err.code === 'commander.help') return err.exitCode;
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
