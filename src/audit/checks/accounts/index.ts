/**
 * `accounts` check type: one named rule over the root's passwd / shadow / group / gshadow
 * (parsed once per audit): uid 0, empty passwords, legacy entries, duplicates, password aging,
 * system account shells, home directories and dot files. Offending entries are the evidence,
 * with file:line and any password hash redacted.
 */
import { toSpyglassError } from '../../../core/errors.js';
import { outcome, type CheckContext, type CheckOutcome, type CheckType } from '../../check.js';
import { accountsSchema, type AccountsSpec } from './schema.js';
import { RULES } from './rules.js';

async function evaluateAccounts(spec: AccountsSpec, ctx: CheckContext): Promise<CheckOutcome> {
  let result;
  try {
    result = await RULES[spec.rule](spec, ctx);
  } catch (err) {
    return outcome.error(toSpyglassError(err, 'io_error'));
  }
  const { offenders, examined, notes = [] } = result;
  if (result.notApplicable) return outcome.notApplicable(`${spec.rule}: ${result.notApplicable}`, [{ found: examined, note: result.notApplicable }]);
  if (offenders.length === 0) return outcome.pass(`${spec.rule}: no offending entry among ${examined}`, [{ found: examined, expected: spec.rule }, ...notes]);
  const first = offenders[0]!;
  const where = first.source ? `${first.source}${first.line ? `:${first.line}` : ''}` : '';
  return outcome.fail(`${spec.rule}: ${offenders.length} offending ${offenders.length === 1 ? 'entry' : 'entries'} (first: ${first.note ?? first.found} at ${where})`, [...offenders, ...notes]);
}

export const accountsCheck: CheckType<typeof accountsSchema> = {
  type: 'accounts',
  description: 'A named rule over the accounts of the root (passwd, shadow, group, gshadow): uid 0, empty passwords, duplicates, aging, shells, home directories.',
  schema: accountsSchema,
  evaluate: evaluateAccounts,
};
