/**
 * The `grub` check type: kernel command-line arguments of every GRUB boot entry (and of
 * GRUB_CMDLINE_LINUX, so update-grub keeps them), and the boot loader password. Parsed, so a
 * commented line, another entry's arguments or a later override are not mistaken for a match.
 */
import { SpyglassError, toSpyglassError } from '../../../core/errors.js';
import { outcome, type CheckType, type Evidence } from '../../check.js';
import { parseKeyValue, keyValueValue } from '../../../host/keyvalue.js';
import { argSatisfies, parseArgRule, parseGrubCfg } from './grub-config.js';
import { grubSchema, type GrubSpec } from './schema.js';

async function readOptional(ctx: Parameters<CheckType['evaluate']>[1], p: string): Promise<string | undefined> {
  try {
    return await ctx.root.readText(p);
  } catch (err) {
    if (err instanceof SpyglassError && (err.code === 'not_found' || err.code === 'not_directory')) return undefined;
    throw err;
  }
}

export const grubCheck: CheckType<typeof grubSchema> = {
  type: 'grub',
  description: 'GRUB 2: arguments every kernel entry (and GRUB_CMDLINE_LINUX) must or must not have, and the boot loader password.',
  schema: grubSchema,
  async evaluate(spec: GrubSpec, ctx) {
    let text: string | undefined;
    let defaults: string | undefined;
    try {
      text = await readOptional(ctx, spec.path);
      defaults = spec.kernel_args.length ? await readOptional(ctx, spec.defaults_file) : undefined;
    } catch (err) {
      return outcome.error(toSpyglassError(err, 'io_error', { path: spec.path }));
    }
    if (text === undefined) {
      const why = `${spec.path}: no GRUB configuration`;
      return spec.missing === 'fail' ? outcome.fail(why, [{ source: spec.path, found: 'no file' }]) : outcome.notApplicable(why);
    }
    const cfg = parseGrubCfg(text);
    const evidence: Evidence[] = [];
    const problems: string[] = [];
    const wanted = spec.kernel_args.map(parseArgRule);
    const forbidden = spec.forbidden_args.map(parseArgRule);
    if ((wanted.length || forbidden.length) && cfg.kernels.length === 0) {
      problems.push('no kernel entry');
      evidence.push({ source: spec.path, found: 'no linux line', expected: wanted.map((w) => w.text).join(' ') });
    }
    for (const k of cfg.kernels) {
      const missing = wanted.filter((w) => !argSatisfies(k.args, w)).map((w) => w.text);
      const bad = forbidden.filter((f) => argSatisfies(k.args, f)).map((f) => f.text);
      if (missing.length || bad.length) {
        problems.push(`entry "${k.entry}"${missing.length ? ` lacks ${missing.join(' ')}` : ''}${bad.length ? ` has ${bad.join(' ')}` : ''}`);
        evidence.push({ source: spec.path, line: k.line, found: k.args.join(' '), expected: [...wanted.map((w) => w.text), ...forbidden.map((f) => `not ${f.text}`)].join(' '), note: k.entry });
      } else if (evidence.length < 5) {
        evidence.push({ source: spec.path, line: k.line, found: k.args.join(' '), note: k.entry });
      }
    }
    if (defaults !== undefined && wanted.length) {
      let entries;
      try {
        entries = parseKeyValue(defaults, spec.defaults_file);
      } catch (err) {
        return outcome.error(toSpyglassError(err, 'parse_error', { path: spec.defaults_file }));
      }
      const line = keyValueValue(entries, 'GRUB_CMDLINE_LINUX');
      const args = (line?.value ?? '').split(/\s+/).filter(Boolean);
      const missing = wanted.filter((w) => !argSatisfies(args, w)).map((w) => w.text);
      if (missing.length) {
        problems.push(`GRUB_CMDLINE_LINUX lacks ${missing.join(' ')} (update-grub would drop them)`);
        evidence.push({ source: spec.defaults_file, line: line?.line, found: line ? `GRUB_CMDLINE_LINUX="${line.value}"` : 'GRUB_CMDLINE_LINUX not set', expected: wanted.map((w) => w.text).join(' ') });
      }
    }
    if (spec.password) {
      const protectedBy = cfg.passwords.filter((p) => p.pbkdf2 && cfg.superusers.includes(p.user));
      if (cfg.superusers.length === 0) problems.push('no superusers set');
      else if (protectedBy.length === 0) problems.push(`no PBKDF2 password for superusers ${cfg.superusers.join(', ')}`);
      evidence.push({ source: spec.path, found: `superusers: ${cfg.superusers.join(', ') || 'none'}; passwords: ${cfg.passwords.map((p) => `${p.user}${p.pbkdf2 ? ' (pbkdf2)' : ' (plain text)'}`).join(', ') || 'none'}`, expected: 'a superuser with a password_pbkdf2 hash' });
    }
    if (problems.length) return outcome.fail(problems.join('; '), evidence);
    return outcome.pass(`${cfg.kernels.length} kernel entr${cfg.kernels.length === 1 ? 'y' : 'ies'} checked${spec.password ? '; password set' : ''}`, evidence);
  },
};
