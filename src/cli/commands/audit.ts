/**
 * `spyglass audit`: audit a host (or a mounted image with --root) against compliance
 * profiles and report every control. Exit 0 when no control failed, 1 when one did (or the
 * score is under --fail-under), 2 for a usage or profile error.
 */
import type { Command } from 'commander';
// Type-only: the options this command parses are what the audit runner takes (erased at run time).
import type { AuditRunOptions } from '../../audit/audit-command.js';
import { ExitCode } from '../exit-code.js';

const collect = (value: string, previous: string[]) => [...previous, value];
const collectList = (value: string, previous: string[]) => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

export function register(program: Command): void {
  program
    .command('audit')
    .description('Audit this host (or --root DIR) against compliance profiles')
    .option('-p, --profile <file|id>', 'profile file or shipped profile id (repeatable; default: the shipped profiles for the detected OS)', collect, [])
    .option('-r, --root <dir>', 'root directory of the system to audit (a mounted image, an unpacked container)', '/')
    .option('-f, --format <name>', 'table, json, junit, html, csv (repeatable or comma list)', collect, [])
    .option('-o, --output <file>', 'write a report to FILE; FMT=FILE per format; with several formats a base name gets .<ext> each', collect, [])
    .option('-t, --tags <glob>', 'only controls with a tag, id or CIS-<ref> matching (repeatable or comma list), e.g. "CIS-5.*"', collectList, [])
    .option('--skip-tags <glob>', 'leave out controls with a tag, id or CIS-<ref> matching (repeatable or comma list), e.g. filesystem-scan', collectList, [])
    .option('-l, --level <n>', 'only controls of level N and below (CIS levels nest)')
    // no short flag: -c means --config in every command
    .option('--controls <glob>', 'only controls whose id matches (repeatable or comma list)', collectList, [])
    .option('--tailoring <file>', 'tailoring file: select/deselect controls and set the profile\'s named values (see profiles/tailoring/)')
    .option('-e, --exceptions <file>', 'exceptions file (repeatable): failing controls it covers are reported as controlled', collect, [])
    .option('--fail-under <score>', 'exit 1 only when the score (0-100) is under SCORE, instead of on any failure')
    .option('--check-timeout <seconds>', 'time budget of one check', '60')
    .option('--concurrency <n>', 'controls evaluated at once', '8')
    .option('--hide-passing', 'table: list only controls that did not pass')
    .option('--status <list>', 'table: list only controls with these statuses (comma list of pass, fail, controlled, not_applicable or n/a, error)', collectList, [])
    .option('-w, --wide', 'table on a terminal: whole titles and evidence, not cut to its width (a file or a pipe always gets them whole)')
    .option('--no-progress', 'no progress line on a terminal')
    .action(async (opts: AuditRunOptions) => {
      const { runAuditCommand } = await import('../../audit/audit-command.js');
      const code = await runAuditCommand(opts);
      if (code !== 0) throw new ExitCode(code);
    });
}
