/** `spyglass_schedule` (also osquery's `osquery_schedule`): the scheduled queries and how they ran. */
import { runtimeInfo } from '../runtime-info.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';

const spec = osqueryTableSpec('spyglass_schedule', { osqueryName: 'osquery_schedule' });

export const table: Table = {
  spec,
  *generate() {
    for (const s of runtimeInfo.schedule.values()) yield { ...s };
  },
};

/** The same table under osquery's name. */
export const osquerySchedule: Table = { spec: { ...spec, name: 'osquery_schedule' }, generate: table.generate };
