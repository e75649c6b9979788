/**
 * `config` check type: the effective value of a setting in a key/value configuration file
 * (sshd_config, login.defs, sysctl files, KEY=VALUE, INI with drop-ins, PAM stacks), compared
 * with what the control wants. Evidence: where the value was set (file:line and the line), or
 * that it was not set and which default applied.
 */
import { toSpyglassError } from '../../../core/errors.js';
import { outcome, type CheckContext, type CheckOutcome, type CheckType, type Evidence } from '../../check.js';
import { compareValue, describeExpectation } from '../common/comparison.js';
import { lookupEffectiveValue, type Lookup } from './effective-value.js';
import { canonicalSshdValue } from '../../../host/sshd-config.js';
import { configSchema, type ConfigSpec } from './schema.js';

function displayKey(spec: ConfigSpec): string {
  if (spec.format === 'ini' && spec.section) return `[${spec.section}] ${spec.key}`;
  if (spec.format === 'pam') return `${spec.key}${spec.pam_type ? ` (${spec.pam_type})` : ''}${spec.argument !== undefined ? ` ${spec.argument}` : ''}`;
  return spec.key;
}

async function evaluateConfig(spec: ConfigSpec, ctx: CheckContext): Promise<CheckOutcome> {
  let found: Lookup;
  try {
    found = await lookupEffectiveValue(spec, ctx);
  } catch (err) {
    return outcome.error(toSpyglassError(err, 'parse_error', { check: 'config' }));
  }
  const key = displayKey(spec);
  if (found.kind === 'missing_file') {
    const summary = spec.format === 'sshd'
      ? `openssh-server not configured: ${found.path} does not exist`
      : `${found.path} does not exist`;
    const ev: Evidence[] = [{ source: found.path, found: 'no such file' }];
    if (spec.missing_file === 'pass') return outcome.pass(summary, ev);
    if (spec.missing_file === 'fail') return outcome.fail(summary, ev);
    return outcome.notApplicable(summary, ev);
  }

  // sshd prints canonical values (prohibit-password as without-password, 1m as 60): compare like with like
  // (and a YAML boolean, `value: false`, means sshd's no)
  const canonical = (v: string | number | boolean) =>
    spec.format === 'sshd' ? canonicalSshdValue(spec.key, typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v)) : String(v);
  const wanted = spec.value === undefined ? undefined : Array.isArray(spec.value) ? spec.value.map(canonical) : canonical(spec.value);
  const cmp = { op: spec.op, value: wanted, ignore_case: spec.ignore_case };
  let value = found.value;
  let items = found.items;
  let fromDefault = found.builtInDefault ? 'built-in default' : undefined;
  if (found.setAt.length === 0 && spec.default !== undefined && spec.op !== 'present' && spec.op !== 'absent') {
    value = canonical(spec.default);
    items = undefined;
    fromDefault = 'the control\'s default';
  }
  const r = compareValue(value, cmp, items);
  const expected = describeExpectation(cmp);
  const evidence: Evidence[] = found.setAt.length
    ? found.setAt.map((s) => ({ source: s.source, line: s.line, found: s.text, expected, ...(r.reason ? { note: r.reason } : {}) }))
    : [{
        source: found.filesRead[0], found: value === undefined ? 'not set' : `${value} (${fromDefault})`, expected,
        note: [`not set in ${found.filesRead.join(', ')}`, r.reason].filter(Boolean).join('; '),
      }];
  const unset = spec.format === 'pam'
    ? (found.setAt.length ? `has no argument ${spec.argument}` : `has no module line in ${found.filesRead.join(', ')}`)
    : 'not set';
  const shown = value === undefined ? unset : `${value}${fromDefault ? ` (${fromDefault})` : ''}`;
  const where = found.setAt[0] ? ` at ${found.setAt[0].source}:${found.setAt[0].line}` : '';
  const summary = `${key} ${shown}${where}${r.ok ? '' : `; want ${expected}${r.reason && r.reason !== 'not set' ? ` (${r.reason})` : ''}`}`;
  return r.ok ? outcome.pass(summary, evidence) : outcome.fail(summary, evidence);
}

export const configCheck: CheckType<typeof configSchema> = {
  type: 'config',
  description: 'The effective value of a setting in sshd_config, login.defs, sysctl, KEY=VALUE, INI or PAM configuration, compared with what the control wants.',
  schema: configSchema,
  evaluate: evaluateConfig,
};

export default configCheck;
