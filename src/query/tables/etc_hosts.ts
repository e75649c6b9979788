/** osquery's `etc_hosts`: the root's /etc/hosts, one row per address line. */
import { osqueryTableSpec } from '../schema/table-spec.js';
import type { Table } from '../table.js';
import { lines, readTextSync } from '../table-support/host-files.js';

const spec = osqueryTableSpec('etc_hosts');

export const table: Table = {
  spec,
  *generate(ctx) {
    const text = readTextSync(ctx.root, '/etc/hosts');
    if (text === undefined) return;
    for (const raw of lines(text)) {
      const f = raw.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
      if (f.length < 2) continue;
      yield { address: f[0]!, hostnames: f.slice(1).join(' '), pid_with_namespace: null };
    }
  },
};
