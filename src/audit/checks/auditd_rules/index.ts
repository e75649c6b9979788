/**
 * The `auditd_rules` check type: the audit rules on disk (augenrules' rules.d, or audit.rules)
 * make the kernel record at least what each wanted rule records. Rules are parsed, not matched
 * as text, so field order, syscall grouping and keys do not matter (see audit-rule.ts).
 */
import { SpyglassError } from '../../../core/errors.js';
import { outcome, type CheckType, type Evidence } from '../../check.js';
import { coverage, parseAuditRule, type LocatedRule } from './audit-rule.js';
import { auditdRulesSchema, type AuditdRulesSpec } from './schema.js';
import { DEFAULT_SCAN_LIMITS, sharedTreeScan } from '../common/tree-scan.js';

/** The wanted rules: the fixed ones, then one per SUID/SGID program found (or the reason the walk cannot say). */
async function wantedRules(spec: AuditdRulesSpec, ctx: Parameters<CheckType['evaluate']>[1]): Promise<{ rules: string[]; programs?: number; incomplete?: string }> {
  if (!spec.privileged_programs) return { rules: spec.rules };
  const p = spec.privileged_programs;
  // the same options as file_tree's SUID/SGID scan of the same trees, so one walk serves both
  const scan = await sharedTreeScan(ctx, { paths: p.paths, exclude: p.exclude, one_filesystem: false, ...DEFAULT_SCAN_LIMITS });
  const programs = [...new Set([...scan.offenders.suid, ...scan.offenders.sgid].map((o) => o.path))].sort();
  const stopped = scan.walk.stopped !== undefined || scan.walk.unreadable.length > 0 || scan.totals.suid > scan.offenders.suid.length || scan.totals.sgid > scan.offenders.sgid.length;
  const rules = [...spec.rules, ...programs.map((path) => p.rule.replaceAll('{path}', path))];
  return stopped
    ? { rules, programs: programs.length, incomplete: scan.walk.stopped ? `the walk stopped (${scan.walk.stopped})` : `${scan.walk.unreadable.length} unreadable path(s), e.g. ${scan.walk.unreadable[0]?.path ?? 'too many offenders'}` }
    : { rules, programs: programs.length };
}

interface LoadedRules {
  rules: LocatedRule[];
  files: string[];
  unparsed: Evidence[];
}

async function loadRules(globs: readonly string[], ctx: Parameters<CheckType['evaluate']>[1]): Promise<LoadedRules> {
  return ctx.memo(`auditd_rules:${globs.join('\0')}`, async () => {
    const out: LoadedRules = { rules: [], files: [], unparsed: [] };
    for (const g of globs) {
      const files = /[*?[]/.test(g) ? await ctx.root.glob(g) : [g];
      for (const f of files) {
        let text: string;
        try {
          text = await ctx.root.readText(f);
        } catch (err) {
          if ((err as SpyglassError).code === 'not_found' || (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw err;
        }
        out.files.push(f);
        text.split('\n').forEach((line, i) => {
          try {
            const rule = parseAuditRule(line);
            if (rule) out.rules.push({ rule, source: f, line: i + 1, text: line.trim() });
          } catch (err) {
            out.unparsed.push({ source: f, line: i + 1, found: line.trim(), note: `ignored: ${(err as Error).message}` });
          }
        });
      }
    }
    return out;
  });
}

export const auditdRulesCheck: CheckType<typeof auditdRulesSchema> = {
  type: 'auditd_rules',
  description: 'Audit rules on disk (rules.d or audit.rules) record at least what each wanted rule records: parsed, so option order, syscall grouping and keys do not matter.',
  schema: auditdRulesSchema,
  async evaluate(spec: AuditdRulesSpec, ctx) {
    let loaded: LoadedRules;
    try {
      loaded = await loadRules(spec.files, ctx);
    } catch (err) {
      return outcome.error(err instanceof SpyglassError ? err : new SpyglassError('io_error', `cannot read audit rules: ${(err as Error).message}`, {}));
    }
    if (loaded.files.length === 0) {
      const why = `no audit rule file at ${spec.files.join(', ')}`;
      return spec.missing === 'not_applicable' ? outcome.notApplicable(why) : outcome.fail(why, [{ source: spec.files.join(', '), found: 'no file', expected: spec.rules.join('\n') }]);
    }
    let wanted: Awaited<ReturnType<typeof wantedRules>>;
    try {
      wanted = await wantedRules(spec, ctx);
    } catch (err) {
      return outcome.error(err instanceof SpyglassError ? err : new SpyglassError('io_error', `cannot scan for privileged programs: ${(err as Error).message}`, {}));
    }
    const evidence: Evidence[] = [];
    const missing: string[] = [];
    if (wanted.programs !== undefined) evidence.push({ source: spec.privileged_programs!.paths.join(', '), found: `${wanted.programs} SUID/SGID program(s)`, note: 'each needs the privileged_programs rule' });
    for (const line of wanted.rules) {
      const wanted = parseAuditRule(line)!;
      const { covered, missing: gaps } = coverage(wanted, loaded.rules, spec.match_key);
      for (const c of covered) evidence.push({ source: c.source, line: c.line, found: c.text, expected: line });
      if (gaps.length) {
        missing.push(wanted.kind === 'syscall' && wanted.syscalls.size > 1 ? `${line} (not covered: ${gaps.join(', ')})` : line);
        evidence.push({ source: loaded.files.join(', '), found: 'no rule covering it', expected: line, note: gaps.length && wanted.kind === 'syscall' ? `syscalls not covered: ${gaps.join(', ')}` : undefined });
      }
    }
    evidence.push(...loaded.unparsed);
    const total = wanted.rules.length;
    if (missing.length) return outcome.fail(`${total - missing.length} of ${total} audit rules in effect; missing: ${missing.join('; ')}`, evidence);
    if (wanted.incomplete) {
      return outcome.error(new SpyglassError('scan_incomplete', `the search for SUID/SGID programs did not finish (${wanted.incomplete}): the ${total} rules found are in effect, but programs not found cannot be checked`, {}), evidence);
    }
    return outcome.pass(`all ${total} audit rules in effect (${loaded.files.length} rule file${loaded.files.length === 1 ? '' : 's'})`, evidence);
  },
};
