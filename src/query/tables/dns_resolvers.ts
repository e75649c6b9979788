/**
 * osquery's `dns_resolvers`: nameserver, search, domain, sortlist and options entries of the
 * root's /etc/resolv.conf. `options` (osquery: the resolver's `_res.options` bit mask from
 * libc) is NULL: the mask belongs to the resolver of a running process, not to the file;
 * the file's `options` line is reported as a row of type "options" instead.
 */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Row, Table } from '../table.js';
import { lines, readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('dns_resolvers');

export function parseResolvConf(text: string): Row[] {
  const rows: Row[] = [];
  const counters = new Map<string, number>();
  const add = (type: string, address: string, netmask: string | null) => {
    const id = counters.get(type) ?? 0;
    counters.set(type, id + 1);
    rows.push({ id, type, address, netmask, options: null, pid_with_namespace: null });
  };
  for (const raw of lines(text)) {
    const f = raw.replace(/[#;].*/, '').trim().split(/\s+/).filter(Boolean);
    if (f.length < 2) continue;
    const [key, ...values] = f;
    if (key === 'nameserver') add('nameserver', values[0]!, null);
    else if (key === 'search' || key === 'domain') for (const v of values) add(key, v, null);
    else if (key === 'sortlist') for (const v of values) { const [a, m] = v.split('/'); add('sortlist', a!, m ?? null); }
    else if (key === 'options') for (const v of values) add('options', v, null);
  }
  return rows;
}

export const table: Table = {
  spec,
  *generate(ctx) {
    const text = readTextSync(ctx.root, '/etc/resolv.conf');
    if (text !== undefined) yield* parseResolvConf(text);
  },
};
