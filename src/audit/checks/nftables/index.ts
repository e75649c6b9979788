/**
 * The `nftables` check type: the persisted ruleset (ruleset.ts) has tables, filter base chains
 * on the wanted hooks with the wanted policy, and wanted rules in those chains, decided from the
 * parsed structure, so a rule in the wrong chain, a commented line or a policy on another hook
 * does not count.
 */
import { SpyglassError, toSpyglassError } from '../../../core/errors.js';
import { outcome, type CheckType, type Evidence } from '../../check.js';
import { readRuleset, type NftChain, type NftRuleset } from './ruleset.js';
import { nftablesSchema, type NftablesSpec } from './schema.js';
import { compileUserRegex } from '../../../core/user-regex.js';

const FILTER_FAMILIES = new Set(['inet', 'ip', 'ip6']);

export const nftablesCheck: CheckType<typeof nftablesSchema> = {
  type: 'nftables',
  description: 'The persisted nftables ruleset (with its includes) has tables, filter base chains on given hooks with a given policy, and given rules in them.',
  schema: nftablesSchema,
  async evaluate(spec: NftablesSpec, ctx) {
    let rs: NftRuleset;
    try {
      rs = await ctx.memo(`nftables:${spec.path}`, () => readRuleset(ctx.root, spec.path));
    } catch (err) {
      if (err instanceof SpyglassError && (err.code === 'not_found' || err.code === 'not_directory')) {
        const why = `${spec.path}: no nftables ruleset`;
        return spec.missing === 'not_applicable' ? outcome.notApplicable(why) : outcome.fail(why, [{ source: spec.path, found: 'no file' }]);
      }
      return outcome.error(toSpyglassError(err, 'io_error', { path: spec.path }));
    }
    const problems: string[] = [];
    const evidence: Evidence[] = [];
    if (rs.tables.length < spec.tables) problems.push(`${rs.tables.length} table(s), at least ${spec.tables} wanted`);
    const baseChains = (hook: string): NftChain[] => rs.chains.filter((c) => c.type === 'filter' && c.hook === hook && FILTER_FAMILIES.has(c.family));
    for (const hook of spec.hooks) {
      const chains = baseChains(hook);
      if (chains.length === 0) { problems.push(`no filter base chain on hook ${hook}`); continue; }
      for (const c of chains) {
        const policy = c.policy ?? 'accept';
        const ok = !spec.policy || policy === spec.policy;
        if (!ok) problems.push(`${c.family} ${c.table} ${c.name} (hook ${hook}) has policy ${policy}`);
        evidence.push({ source: c.source, line: c.line, found: `${c.family} ${c.table} chain ${c.name}: type filter hook ${hook} priority ${c.priority}; policy ${policy}`, ...(spec.policy ? { expected: `policy ${spec.policy}` } : {}) });
      }
    }
    for (const r of spec.rules) {
      const re = compileUserRegex(r.pattern);
      const hit = baseChains(r.hook).flatMap((c) => c.rules).find((x) => re.test(x.text));
      if (hit) evidence.push({ source: hit.source, line: hit.line, found: hit.text, expected: `/${r.pattern}/ in the ${r.hook} chain` });
      else {
        problems.push(`no rule matching /${r.pattern}/ in a filter chain on hook ${r.hook}`);
        evidence.push({ source: rs.files.join(', '), found: 'no matching rule', expected: `/${r.pattern}/ in the ${r.hook} chain` });
      }
    }
    for (const n of rs.notes.slice(0, 5)) evidence.push({ note: n });
    if (problems.length) return outcome.fail(problems.join('; '), evidence);
    return outcome.pass(`${rs.tables.length} table(s), ${rs.chains.length} chain(s) in ${rs.files.length} file(s)${spec.hooks.length ? `; base chains on ${spec.hooks.join(', ')}` : ''}${spec.policy ? ` with policy ${spec.policy}` : ''}`, evidence);
  },
};
