/**
 * osquery's `shadow`: password aging and the state of each account's password from the
 * root's /etc/shadow. The hash itself is never returned: only its state and algorithm.
 */
import { readAccountFileSync } from '../../host/account-files.js';
import { hashAlgorithm, passwordState, type ShadowEntry } from '../../host/shadow.js';
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';

const spec = osqueryTableSpec('shadow');

const orNull = (n: number | undefined) => (n === undefined ? null : n);

/** One row per shadow entry; password_status is src/host/shadow.ts's state, in osquery's words. */
export function shadowRow(e: ShadowEntry): Row {
  return {
    password_status: passwordState(e.hash), hash_alg: hashAlgorithm(e.hash),
    last_change: orNull(e.lastChange), min: orNull(e.minDays), max: orNull(e.maxDays), warning: orNull(e.warnDays),
    inactive: orNull(e.inactiveDays), expire: orNull(e.expire), flag: orNull(e.flag),
    username: e.name,
  };
}

export const table: Table = {
  spec,
  *generate(ctx) {
    let entries: ShadowEntry[] | undefined;
    try {
      entries = readAccountFileSync(ctx.root, 'shadow')?.entries;
    } catch { /* reported below */ }
    if (!entries) { ctx.warn('/etc/shadow is missing or unreadable'); return; }
    const names = ctx.equalsValues('username')?.map(String);
    for (const e of entries) if (!names || names.includes(e.name)) yield shadowRow(e);
  },
};
