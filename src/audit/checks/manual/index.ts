/**
 * The `manual` check type: a recommendation a person must review (site policy, or state no
 * file shows). It never reads the host and is always `not_applicable` with "manual: <reason>",
 * so a report lists the whole benchmark and says which parts are left to a person.
 */
import { outcome, type CheckType } from '../../check.js';
import { manualSchema, type ManualSpec } from './schema.js';

export const manualCheck: CheckType<typeof manualSchema> = {
  type: 'manual',
  description: 'A recommendation left to a person: always not_applicable with "manual: <reason>", so reports show the whole benchmark.',
  schema: manualSchema,
  async evaluate(spec: ManualSpec) {
    return outcome.notApplicable(`manual: ${spec.reason}`, [{ note: 'reviewed by a person, not decided by the agent' }]);
  },
};
