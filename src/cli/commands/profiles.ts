/**
 * `spyglass profiles list | show ID|FILE | validate FILE...`: the shipped profiles, one
 * profile's controls, and validation that prints every problem as file:line:column (exit 2
 * on any). Signing subcommands attach to this command from profile-signing.ts.
 */
import type { Command } from 'commander';
import { ExitCode } from '../exit-code.js';

export function register(program: Command): void {
  const profiles = program.command('profiles').description('Compliance profiles: list, show, validate (and sign, verify)');

  profiles
    .command('list')
    .description('List the shipped profiles (id, version, targets, controls)')
    .option('--json', 'as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { listProfiles } = await import('../../audit/profile/profiles-command.js');
      const code = await listProfiles(opts, process.stdout, process.stderr);
      if (code) throw new ExitCode(code);
    });

  profiles
    .command('show <profile>')
    .description('Show a profile (shipped id or file): metadata and its controls')
    .option('--json', 'as JSON (the loaded profile, defaults applied)')
    .action(async (profile: string, opts: { json?: boolean }) => {
      const { showProfile } = await import('../../audit/profile/profiles-command.js');
      const code = await showProfile(profile, opts, process.stdout, process.stderr);
      if (code) throw new ExitCode(code);
    });

  profiles
    .command('validate <files...>')
    .description('Validate profile files: every problem as file:line:column; exit 2 on any')
    .action(async (files: string[]) => {
      const { validateProfiles } = await import('../../audit/profile/profiles-command.js');
      const code = await validateProfiles(files, process.stdout, process.stderr);
      if (code) throw new ExitCode(code);
    });
}
