/**
 * `spyglass vuln --feed PATH [--feed PATH…] [--root DIR] [--format table|json|csv]
 * [--max-feed-age DAYS] [--ecosystem NAME…] [--release CODENAME]`: installed packages
 * matched offline against OSV or Debian security tracker feeds.
 * Exit 0 no findings, 1 findings, 2 errors (including an incomplete scan).
 */
import type { Command } from 'commander';
import { SpyglassError } from '../../core/errors.js';
import { ExitCode } from '../exit-code.js';
import { existingRootDir } from '../root-option.js';

interface VulnOptions {
  feed: string[];
  root: string;
  format: string;
  maxFeedAge?: string;
  ecosystem?: string[];
  release?: string;
}

export function register(program: Command): void {
  program
    .command('vuln')
    .description('Find installed packages with known vulnerabilities, offline, from OSV or Debian security tracker feeds')
    .requiredOption('--feed <path>', 'OSV directory, OSV .zip or .json, or Debian tracker JSON (repeatable)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--root <dir>', 'scan the tree under this directory instead of /', '/')
    .option('-f, --format <format>', 'table, json or csv', 'table')
    .option('--max-feed-age <days>', 'feeds older than this are reported as stale (default 7)')
    .option('--ecosystem <name>', 'OSV ecosystem to use instead of the one /etc/os-release implies, e.g. "Debian:12" (repeatable: add "Ubuntu:Pro:22.04:LTS" on an Ubuntu Pro host)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--release <codename>', 'Debian tracker release to use instead of VERSION_CODENAME, e.g. bookworm')
    .action(async (opts: VulnOptions) => {
      const [{ scanHost }, report] = await Promise.all([import('../../vuln/scan.js'), import('../../vuln/report.js')]);
      if (!report.REPORT_FORMATS.includes(opts.format as never)) throw new SpyglassError('usage', `unknown format "${opts.format}" (${report.REPORT_FORMATS.join(', ')})`);
      let maxFeedAgeDays: number | undefined;
      if (opts.maxFeedAge !== undefined) {
        maxFeedAgeDays = Number(opts.maxFeedAge);
        if (!Number.isFinite(maxFeedAgeDays) || maxFeedAgeDays < 0) throw new SpyglassError('usage', `--max-feed-age: expected a number of days, got "${opts.maxFeedAge}"`);
      }
      const result = await scanHost({ root: existingRootDir(opts.root), feeds: opts.feed, maxFeedAgeDays, ecosystems: opts.ecosystem, release: opts.release });
      const format = opts.format as 'table' | 'json' | 'csv';
      process.stdout.write(report.formatReport(result, format));
      // csv carries only findings and json is read by programs: warnings and problems also go to
      // stderr, so a person running it sees a stale feed (the table already shows them)
      if (format !== 'table') {
        for (const line of report.summaryLines(result.summary).filter((l) => /^(WARNING|INCOMPLETE|  - )/.test(l))) process.stderr.write(`spyglass: ${line}\n`);
      }
      if (!result.summary.complete) {
        if (format === 'table') process.stderr.write('spyglass: the scan is incomplete (see the problems above); exit 2\n');
        throw new ExitCode(2);
      }
      if (result.findings.length > 0) throw new ExitCode(1);
    });
}
